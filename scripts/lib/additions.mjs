// The schema as it was in April 2023, derived from ours: the reference SDL's ADDITIONS.md lists every
// item W&B's schema gained since (types, fields, arguments, input fields, enum values, union
// members, interfaces) and the fields whose type was relaxed. `additionsIn` reads that list and keeps
// the items our subset (schema/wandb.graphql) has: that is schema/wandb-2023.json, committed, so the
// 2023 profile needs no reference at run time (the server takes them out of its schema:
// packages/server/src/graphql/profiles.ts).
import { buildASTSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, parse } from 'graphql';

/** The items one ADDITIONS.md lists, by kind, as schema coordinates. */
export function parseAdditions(markdown) {
  const items = { type: [], field: [], argument: [], inputField: [], enumValue: [], unionMember: [], implements: [], retyped: {} };
  let section = '';
  let owner = null; // the type a `### …` heading names, with its kind when the heading says it
  const cells = (line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.slice(3);
      owner = null;
      continue;
    }
    const heading = /^### (?:(type|input|enum|interface|union) )?(\w+)/.exec(line);
    if (heading) {
      owner = { name: heading[2], kind: heading[1] ?? null };
      // A whole new type: everything of it goes with it.
      if (owner.kind) items.type.push(owner.name);
      continue;
    }
    if (!line.startsWith('| ') || line.startsWith('| Item') || line.startsWith('|---')) continue;
    const [item, second] = cells(line);
    if (section.startsWith('Fields of the base whose type is changed')) {
      // `Initiator! -> Initiator`: the 2023 type is the one before the arrow.
      items.retyped[item] = second.split(' -> ')[0];
    } else if (section.startsWith('From the weave snapshot')) {
      const kind = { type: 'type', input: 'type', enum: 'type', field: 'field', 'input field': 'inputField', 'enum value': 'enumValue', argument: 'argument' }[second];
      if (!kind) throw new Error(`ADDITIONS.md: unknown kind "${second}" of ${item}`);
      items[kind].push(item);
    } else if (section.startsWith('SDK layer') && owner && !owner.kind) {
      // Added to a type of the base: a field (with its arguments), an argument, a value or a member.
      const argument = /^(\w+)\((\w+)\) \(arg\)$/.exec(item);
      const value = /^value (\w+)$/.exec(item);
      const member = /^member (\w+)$/.exec(item);
      const field = /^(\w+)(?:\(|$)/.exec(item);
      if (argument) items.argument.push(`${owner.name}.${argument[1]}(${argument[2]}:)`);
      else if (value) items.enumValue.push(`${owner.name}.${value[1]}`);
      else if (member) items.unionMember.push(`${owner.name}.${member[1]}`);
      else if (/^implements (\w+)$/.test(item)) items.implements.push(`${owner.name}.${item.slice('implements '.length)}`);
      else if (field) items.field.push(`${owner.name}.${field[1]}`);
      else throw new Error(`ADDITIONS.md: cannot read "${item}" under ${owner.name}`);
    }
  }
  return items;
}

/**
 * The ADDITIONS items our schema has, as committed in schema/wandb-2023.json. A field of a type
 * that is itself new is left out (removing the type removes it); an added field or input field of
 * a base type is classed by what our schema makes of that type.
 */
export function additionsIn(ourSdl, markdown) {
  const schema = buildASTSchema(parse(ourSdl));
  const listed = parseAdditions(markdown);
  const newTypes = new Set(listed.type);
  const ownerOf = (coordinate) => coordinate.split('.')[0];
  const fieldsOf = (name) => {
    const type = schema.getType(name);
    return type && (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) ? type.getFields() : {};
  };
  const out = { type: [], field: [], argument: [], inputField: [], enumValue: [], unionMember: [], implements: [], retyped: {} };
  out.type = listed.type.filter((name) => schema.getType(name));
  for (const coordinate of [...listed.field, ...listed.inputField]) {
    const [owner, name] = coordinate.split('.');
    if (newTypes.has(owner) || !fieldsOf(owner)[name]) continue;
    out[isInputObjectType(schema.getType(owner)) ? 'inputField' : 'field'].push(coordinate);
  }
  for (const coordinate of listed.argument) {
    const [, owner, field, arg] = /^(\w+)\.(\w+)\((\w+):\)$/.exec(coordinate);
    if (!newTypes.has(owner) && fieldsOf(owner)[field]?.args.some((a) => a.name === arg)) out.argument.push(coordinate);
  }
  for (const coordinate of listed.enumValue) {
    const type = schema.getType(ownerOf(coordinate));
    if (!newTypes.has(type?.name) && isEnumType(type) && type.getValue(coordinate.split('.')[1])) out.enumValue.push(coordinate);
  }
  for (const coordinate of listed.unionMember) {
    const type = schema.getType(ownerOf(coordinate));
    if (isUnionType(type) && type.getTypes().some((t) => t.name === coordinate.split('.')[1])) out.unionMember.push(coordinate);
  }
  for (const coordinate of listed.implements) {
    const type = schema.getType(ownerOf(coordinate));
    if (!newTypes.has(type?.name) && (isObjectType(type) || isInterfaceType(type)) && type.getInterfaces().some((t) => t.name === coordinate.split('.')[1])) out.implements.push(coordinate);
  }
  for (const [coordinate, before] of Object.entries(listed.retyped)) {
    const [owner, name] = coordinate.split('.');
    if (fieldsOf(owner)[name]) out.retyped[coordinate] = before;
  }
  for (const key of Object.keys(out)) if (Array.isArray(out[key])) out[key].sort();
  return out;
}

/** The file schema/wandb-2023.json holds (stable key order, one item per line). */
export function additionsFile(additions) {
  return `${JSON.stringify(
    {
      $comment:
        'Generated by `node scripts/legacy-schema.mjs` from schema/wandb.graphql and the reference ADDITIONS.md (../shared/wandb-schema): the items of our schema that W&B added after April 2023, and the fields whose type was relaxed since (with the 2023 type). The server\'s w&b-2023 profile is our schema without them. Do not edit; test/legacy-schema.test.ts checks it.',
      ...additions,
    },
    null,
    2,
  )}\n`;
}
