/**
 * Schema profiles: which version of W&B's schema the server speaks. 'current' is our whole subset;
 * 'w&b-2023' is the schema as it was in April 2023: our subset without the items W&B added since
 * (schema/wandb-2023.json, derived from the reference's ADDITIONS.md by scripts/legacy-schema.mjs),
 * with the 2023 types of the fields relaxed since. Same resolvers; a document that names anything
 * newer fails validation there, as it does on an older W&B Server.
 */
import { type DefinitionNode, type FieldDefinitionNode, Kind, parse, parseType, print } from 'graphql';

/** The schemas a server can speak: W&B's current one, or W&B's of April 2023. */
export type SchemaProfile = 'current' | 'w&b-2023';

export const SCHEMA_PROFILES: readonly SchemaProfile[] = ['current', 'w&b-2023'];

/** What the 2023 profile takes out (schema/wandb-2023.json without its comment). */
export interface SchemaRemovals {
  readonly type: readonly string[];
  readonly field: readonly string[];
  /** `Type.field(arg:)`. */
  readonly argument: readonly string[];
  readonly inputField: readonly string[];
  readonly enumValue: readonly string[];
  /** `Union.Member`. */
  readonly unionMember: readonly string[];
  /** `Type.Interface`. */
  readonly implements: readonly string[];
  /** `Type.field` → its type in 2023. */
  readonly retyped: Readonly<Record<string, string>>;
}

/** The SDL without the removed items (and with the 2023 types of the retyped fields). */
export function withoutAdditions(sdl: string, removals: SchemaRemovals): string {
  const drop = {
    type: new Set(removals.type),
    field: new Set(removals.field),
    argument: new Set(removals.argument),
    inputField: new Set(removals.inputField),
    enumValue: new Set(removals.enumValue),
    unionMember: new Set(removals.unionMember),
    implements: new Set(removals.implements),
  };
  const field = (owner: string) => (f: FieldDefinitionNode) => {
    const at = `${owner}.${f.name.value}`;
    const retyped = removals.retyped[at];
    return {
      ...f,
      type: retyped ? parseType(retyped) : f.type,
      arguments: f.arguments?.filter((a) => !drop.argument.has(`${at}(${a.name.value}:)`)),
    };
  };
  const definitions = parse(sdl).definitions.flatMap((def): DefinitionNode[] => {
    if (!('name' in def) || !def.name) return [def];
    if (drop.type.has(def.name.value)) return [];
    const owner = def.name.value;
    // Definitions and `extend type …` alike.
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        return [
          {
            ...def,
            interfaces: def.interfaces?.filter((i) => !drop.implements.has(`${owner}.${i.name.value}`)),
            fields: def.fields?.filter((f) => !drop.field.has(`${owner}.${f.name.value}`)).map(field(owner)),
          },
        ];
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        return [{ ...def, fields: def.fields?.filter((f) => !drop.inputField.has(`${owner}.${f.name.value}`)) }];
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        return [{ ...def, values: def.values?.filter((v) => !drop.enumValue.has(`${owner}.${v.name.value}`)) }];
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        return [{ ...def, types: def.types?.filter((t) => !drop.unionMember.has(`${owner}.${t.name.value}`)) }];
      default:
        return [def];
    }
  });
  // An `extend type …` whose every item went would not parse: it goes too.
  const empty = (def: DefinitionNode) =>
    def.kind.endsWith('Extension') && !['fields', 'values', 'types', 'interfaces'].some((key) => ((def as unknown as Record<string, unknown[] | undefined>)[key]?.length ?? 0) > 0);
  return print({ kind: Kind.DOCUMENT, definitions: definitions.filter((def) => !empty(def)) });
}
