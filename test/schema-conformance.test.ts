// Our schema subset must agree with the reference SDL of the real W&B API: every type, field,
// argument, input field and enum value we declare exists there with the same type, and every
// operation we send validates against the reference too. Skips (with a notice) only when the
// reference file is absent, i.e. on a machine outside this workplace.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GraphQLNamedType,
  type GraphQLSchema,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const referencePath = join(root, '..', 'shared', 'wandb-schema', 'schema.graphql');
const hasReference = existsSync(referencePath);
if (!hasReference) console.warn(`[schema-conformance] skipped: reference SDL not found at ${referencePath}`);

const ours = buildSchema(readFileSync(join(root, 'schema', 'wandb.graphql'), 'utf8'));

/** Every problem with one of our types, compared with the reference. */
function differences(mine: GraphQLNamedType, reference: GraphQLSchema): string[] {
  const theirs = reference.getType(mine.name);
  if (!theirs) return [`type ${mine.name} is not in the reference`];
  const problems: string[] = [];
  if (isObjectType(mine) || isInterfaceType(mine)) {
    if (!isObjectType(theirs) && !isInterfaceType(theirs)) return [`${mine.name} is not an object type in the reference`];
    const refFields = theirs.getFields();
    for (const field of Object.values(mine.getFields())) {
      const ref = refFields[field.name];
      if (!ref) {
        problems.push(`${mine.name}.${field.name} is not in the reference`);
        continue;
      }
      if (String(field.type) !== String(ref.type)) problems.push(`${mine.name}.${field.name}: ${field.type} here, ${ref.type} in the reference`);
      for (const arg of field.args) {
        const refArg = ref.args.find((a) => a.name === arg.name);
        if (!refArg) problems.push(`${mine.name}.${field.name}(${arg.name}) is not in the reference`);
        else if (String(arg.type) !== String(refArg.type)) problems.push(`${mine.name}.${field.name}(${arg.name}): ${arg.type} here, ${refArg.type} in the reference`);
      }
    }
  } else if (isInputObjectType(mine)) {
    if (!isInputObjectType(theirs)) return [`${mine.name} is not an input type in the reference`];
    const refFields = theirs.getFields();
    for (const field of Object.values(mine.getFields())) {
      const ref = refFields[field.name];
      if (!ref) problems.push(`input ${mine.name}.${field.name} is not in the reference`);
      else if (String(field.type) !== String(ref.type)) problems.push(`input ${mine.name}.${field.name}: ${field.type} here, ${ref.type} in the reference`);
    }
    // A required reference input field that we leave out would make our inputs unsendable.
    for (const ref of Object.values(refFields)) {
      if (String(ref.type).endsWith('!') && !mine.getFields()[ref.name]) problems.push(`input ${mine.name} lacks the required field ${ref.name}`);
    }
  } else if (isEnumType(mine)) {
    if (!isEnumType(theirs)) return [`${mine.name} is not an enum in the reference`];
    const refValues = new Set(theirs.getValues().map((v) => v.name));
    for (const v of mine.getValues()) if (!refValues.has(v.name)) problems.push(`enum value ${mine.name}.${v.name} is not in the reference`);
  } else if (isUnionType(mine)) {
    if (!isUnionType(theirs)) return [`${mine.name} is not a union in the reference`];
    const members = new Set(theirs.getTypes().map((t) => t.name));
    for (const t of mine.getTypes()) if (!members.has(t.name)) problems.push(`union member ${mine.name}.${t.name} is not in the reference`);
  } else if (isScalarType(mine) && !isScalarType(theirs)) {
    problems.push(`${mine.name} is not a scalar in the reference`);
  }
  return problems;
}

function operationFiles(): string[] {
  const dir = join(root, 'operations');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => join(dir, f))
    .sort();
}

describe.skipIf(!hasReference)('schema conformance with the reference SDL', () => {
  const reference = hasReference ? buildSchema(readFileSync(referencePath, 'utf8')) : undefined;

  it('declares only types, fields, arguments and values the reference has, with the same types', () => {
    const types = Object.values(ours.getTypeMap()).filter((t) => !t.name.startsWith('__'));
    const problems = types.flatMap((t) => differences(t, reference!));
    expect(problems).toEqual([]);
  });

  it('has operations that validate against the reference as well as against our subset', () => {
    const documents = operationFiles().map((f) => readFileSync(f, 'utf8')).join('\n');
    const document = parse(documents);
    expect(validate(ours, document).map((e) => e.message)).toEqual([]);
    expect(validate(reference!, document).map((e) => e.message)).toEqual([]);
  });

  it('catches a field whose type differs from the reference (the check can fail)', () => {
    const wrong = buildSchema('type Query { viewer: User } type User { id: ID! name: Int }');
    expect(differences(wrong.getType('User')!, reference!)).toEqual(['User.name: Int here, String! in the reference']);
  });
});
