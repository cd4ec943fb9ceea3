#!/usr/bin/env node
// codegen hook, run on every generated file. It makes the documents cost as little as possible
// in a browser bundle, without changing what is sent:
// - each `new TypedDocumentString(`…`)` becomes the plain string, typed as before
//   (`TypedDocumentString<R, V>` is now `string & DocumentTypeDecoration<R, V>`): no class per
//   package, no `new` at module level (which bundlers must keep as a possible side effect), so an
//   application's bundle holds only the documents it uses;
// - the document text loses its ignored characters (indentation, newlines, commas), the way
//   graphql-js `stripIgnoredCharacters` defines them (string literals are kept as they are);
// - `DocumentTypeDecoration` is imported from @wandb-api/core (its own copy of that one type)
//   instead of @graphql-typed-document-node/core, so no package needs that dependency;
// - a mutation's text starts with its class from operations/mutations.json as a GraphQL comment
//   (`#idempotent`, `#delete`, `#unsafe`), which the request loop reads to decide whether it may
//   send it again; a mutation missing from that table fails codegen;
// - a document that uses what W&B added to its schema after April 2023 (schema/wandb-2023.json) is
//   marked with a line `#needs`, and what it needs (fields and input fields `Type.field`, arguments
//   `Type.field(arg:)`, types by name) is written, by operation name, to
//   packages/core/src/generated/needs.ts: the client checks them against the server's capabilities
//   before sending, and picks an older variant of the operation, or refuses with UnsupportedError,
//   when one is missing. (The list sits in the module core loads only for marked documents, so no
//   bundle carries it up front.)
import { readFileSync, writeFileSync } from 'node:fs';
import { TypeInfo, buildSchema, getNamedType, parse, stripIgnoredCharacters, visit, visitWithTypeInfo } from 'graphql';

const CLASS = /export class TypedDocumentString<TResult, TVariables>\n[\s\S]*?\n\}\n/;
const TYPE = 'export type TypedDocumentString<TResult, TVariables> = string & DocumentTypeDecoration<TResult, TVariables>;\n';
const DOCUMENT = /(?:\/\*#__PURE__\*\/ )?new TypedDocumentString\(`([^`]*)`(?:, \{[^`]*?\})?\)/g;
const IMPORT = "import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';";

const { mutations } = JSON.parse(readFileSync(new URL('../operations/mutations.json', import.meta.url), 'utf8'));

const schema = buildSchema(readFileSync(new URL('../schema/wandb.graphql', import.meta.url), 'utf8'));
const { $comment, ...added } = JSON.parse(readFileSync(new URL('../schema/wandb-2023.json', import.meta.url), 'utf8'));
const newer = new Set([...added.type, ...added.field, ...added.argument, ...added.inputField]);

/** What the document uses of the schema's newer items: fields, arguments and types it names. */
function needsOf(text) {
  const needs = new Set();
  const typeInfo = new TypeInfo(schema);
  const use = (coordinate) => newer.has(coordinate) && needs.add(coordinate);
  visit(
    parse(text),
    visitWithTypeInfo(typeInfo, {
      Field: () => {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) use(`${parent.name}.${field.name}`);
      },
      Argument: (node) => {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) use(`${parent.name}.${field.name}(${node.name.value}:)`);
      },
      // Input fields a document writes out (`input: { files: $files, projectId: $id }`).
      ObjectField: (node) => {
        const input = getNamedType(typeInfo.getParentInputType());
        if (input) use(`${input.name}.${node.name.value}`);
      },
      // Types named where a fragment applies (variables' input types come with their field).
      InlineFragment: (node) => void (node.typeCondition && use(node.typeCondition.name.value)),
      FragmentDefinition: (node) => void use(node.typeCondition.name.value),
    }),
  );
  return [...needs].sort();
}

/** What each marked operation needs, by operation name. */
const needsByOperation = {};

/** The document text with its write class in front, for a mutation, and its needs marked. */
function stamped(text) {
  const operation = /^(?:query|mutation)\s*(\w+)/.exec(text)?.[1];
  // Fragments are never sent on their own.
  const needs = operation ? needsOf(text) : [];
  if (needs.length) {
    const known = needsByOperation[operation];
    if (known && known.join(' ') !== needs.join(' ')) throw new Error(`two operations named ${operation} need different things`);
    needsByOperation[operation] = needs;
  }
  const withNeeds = needs.length ? `#needs\n${text}` : text;
  const name = /^mutation\s*(\w+)/.exec(text)?.[1];
  if (!name) return withNeeds;
  const kind = mutations[name]?.[0];
  if (!['idempotent', 'delete', 'unsafe'].includes(kind)) {
    throw new Error(`mutation ${name} is not classified in operations/mutations.json (idempotent, delete or unsafe)`);
  }
  return `#${kind}\n${withNeeds}`;
}

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const inCore = /packages[/\\]core[/\\]/.test(file);
  const out = text
    .replace(CLASS, TYPE)
    // Template text with escapes or substitutions is left alone (codegen emits none today).
    .replace(DOCUMENT, (_, body) => (/[\\$]\{|\\/.test(body) ? `\`${body}\`` : `\`${stamped(stripIgnoredCharacters(body))}\``))
    .replace(IMPORT, `import type { DocumentTypeDecoration } from '${inCore ? '../document.js' : '@wandb-api/core'}';`);
  if (out !== text) writeFileSync(file, out);
}

const needsFile = new URL('../packages/core/src/generated/needs.ts', import.meta.url);
const sorted = Object.fromEntries(Object.entries(needsByOperation).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(
  needsFile,
  [
    '// Generated by scripts/pure-documents.mjs (codegen) from operations/ and schema/wandb-2023.json. Do not edit.',
    '',
    '/** What each operation marked `#needs` uses of W&B\'s schema beyond April 2023, by operation name. */',
    'export const NEEDS: Readonly<Record<string, readonly string[]>> = {',
    ...Object.entries(sorted).map(([operation, needs]) => `  ${operation}: [${needs.map((n) => `'${n}'`).join(', ')}],`),
    '};',
    '',
  ].join('\n'),
);
