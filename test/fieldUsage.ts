// Which selected GraphQL fields no code reads. Two sides, joined by the generated types:
// - GraphQL: every leaf field an operation selects, as a path in the operation's generated result
//   type (`RunsQuery.project.runs.edges.node.id`) and, when a fragment brought it, as a path in
//   that fragment's type (`LightRunFieldsFragment.id`);
// - TypeScript (the compiler's type checker over the packages' hand-written sources): every
//   property of a generated type that code reads — `a.b`, `a['b']`, `{ b } = a`, `{ ...a }` (copies
//   every field as it came), or a value handed where a hand-written type expects it (a parameter,
//   a return type, an annotated variable: the fields that type names are read).
//   Values that meet (`a ? x : y`, `x ?? y`, one variable assigned twice, a cast from one
//   generated type to another) are read alike: TypeScript may keep only one of two alike types.
// A leaf is read when any of its paths is. So the check follows types, not names: a field named
// `name` is read only where a value of that generated type has its `name` read. `__typename` is
// not checked (every server has it; it tells union members apart and is how a selection that
// reads nothing is written).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  Kind,
  buildSchema,
  getNamedType,
  TypeMetaFieldDef,
  isLeafType,
  parse,
} from 'graphql';
import ts from 'typescript';
import { sourceProgram } from './sourceProgram.js';

export const PACKAGES = ['core', 'runs', 'artifacts', 'launch', 'admin'] as const;
/** Packages whose sources read generated results (the facade reads what the packages return). */
const SOURCE_PACKAGES = [...PACKAGES, 'api'];

/** One selected leaf field: where it is in the operation's result and, through fragments, in theirs. */
export interface SelectedLeaf {
  /** The operation (or fragment) file that selects it. */
  readonly document: string;
  /** `Type.field` in the schema. */
  readonly coordinate: string;
  /** `RunsQuery.project.runs.edges.node.id` and, per fragment spread on the way, `LightRunFieldsFragment.id`. */
  readonly paths: readonly string[];
}

const graphqlFiles = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir) : [])
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => join(dir, f));

/** The generated type name of an operation or fragment (typescript-operations' convention). */
const typeName = (name: string, kind: 'query' | 'mutation' | 'subscription' | 'fragment') => name + kind[0]!.toUpperCase() + kind.slice(1);

/** Every leaf field every operation of `pkg` selects. */
export function selectedLeaves(root: string, schema: GraphQLSchema, pkg: string): SelectedLeaf[] {
  const dir = join(root, 'operations', pkg);
  const subdirs = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name)) : [];
  const files = [dir, ...subdirs].flatMap(graphqlFiles);
  // Shared fragments, and those an operation file defines for itself.
  const fragments = new Map<string, { def: FragmentDefinitionNode; file: string }>();
  for (const file of [...graphqlFiles(join(root, 'operations', '_fragments')), ...files]) {
    for (const def of parse(readFileSync(file, 'utf8')).definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, { def, file });
  }
  const leaves: SelectedLeaf[] = [];
  // Walks a selection set whose parent type is known; `paths` are where it sits in each generated type.
  const walk = (set: SelectionSetNode, parent: string, paths: string[], file: string) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition?.name.value ?? parent, paths, file);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)!;
        const own = typeName(fragment.def.name.value, 'fragment');
        walk(fragment.def.selectionSet, fragment.def.typeCondition.name.value, [...paths, own], file);
      } else {
        const key = selection.alias?.value ?? selection.name.value;
        const here = paths.map((p) => `${p}.${key}`);
        // `__typename` exists on every server, so it costs no compatibility: it tells union members
        // apart, and it is how a selection reads nothing (a mutation whose answer is not used).
        if (selection.name.value === '__typename') continue;
        const type = schema.getType(parent) as { getFields(): Record<string, { type: Parameters<typeof getNamedType>[0] }> };
        // `__type(name:)` (introspection) is a field of every query root, not in its field list.
        const field = selection.name.value === '__type' ? TypeMetaFieldDef : type.getFields()[selection.name.value]!;
        const fieldType = getNamedType(field.type);
        if (isLeafType(fieldType) || !selection.selectionSet) leaves.push({ document: file, coordinate: `${parent}.${selection.name.value}`, paths: here });
        else walk(selection.selectionSet, fieldType.name, here, file);
      }
    }
  };
  for (const file of files) {
    for (const def of parse(readFileSync(file, 'utf8')).definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      const rootType = def.operation === 'query' ? 'Query' : def.operation === 'mutation' ? 'Mutation' : 'Subscription';
      walk(def.selectionSet, rootType, [typeName(def.name!.value, def.operation)], relative(root, file));
    }
  }
  return leaves;
}

const sourceFiles = (dir: string): string[] =>
  (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));

/** The paths (`RunsQuery.project.runs`) of the generated property declarations, by declaration node. */
function generatedPaths(file: ts.SourceFile): Map<ts.Node, string> {
  const paths = new Map<ts.Node, string>();
  const walkType = (node: ts.TypeNode, path: string): void => {
    if (ts.isTypeLiteralNode(node)) {
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.type) {
          const name = member.name.getText(file).replace(/^['"]|['"]$/g, '');
          paths.set(member, `${path}.${name}`);
          walkType(member.type, `${path}.${name}`);
        }
      }
    } else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) node.types.forEach((t) => walkType(t, path));
    else if (ts.isParenthesizedTypeNode(node) || ts.isArrayTypeNode(node)) walkType(ts.isArrayTypeNode(node) ? node.elementType : node.type, path);
    else if (ts.isTypeReferenceNode(node)) node.typeArguments?.forEach((t) => walkType(t, path));
  };
  for (const statement of file.statements) {
    // A fragment on an abstract type is a union of one alias per possible type (`X_ArtifactSequence_Fragment`).
    if (ts.isTypeAliasDeclaration(statement) && /(Query|Mutation|Fragment)$/.test(statement.name.text)) walkType(statement.type, statement.name.text.replace(/^(\w+?)_\w+_Fragment$/, '$1Fragment'));
  }
  return paths;
}

/** The paths of generated result types that the packages' hand-written sources read. */
export function readPaths(root: string): Set<string> {
  const pkg = (p: string) => join(root, 'packages', p, 'src');
  const rootNames = SOURCE_PACKAGES.flatMap((p) => sourceFiles(pkg(p)));
  const program = sourceProgram(root, rootNames, { noUncheckedIndexedAccess: true });
  const checker = program.getTypeChecker();
  const generated = new Map<ts.Node, string>();
  const isGenerated = (f: ts.SourceFile) => /[\\/]generated[\\/]\w+\.ts$/.test(f.fileName);
  for (const file of program.getSourceFiles()) if (isGenerated(file)) for (const [node, path] of generatedPaths(file)) generated.set(node, path);

  const read = new Set<string>();
  const markSymbol = (symbol: ts.Symbol | undefined) => {
    for (const decl of symbol?.declarations ?? []) {
      const path = generated.get(decl);
      if (path) read.add(path);
    }
  };
  const isGeneratedSymbol = (symbol: ts.Symbol) => symbol.declarations?.some((d) => generated.has(d)) ?? false;
  // Every property of a value copied as-is (`{ ...node }`), at every depth.
  const markDeep = (type: ts.Type, seen = new Set<ts.Type>()) => {
    if (seen.has(type)) return;
    seen.add(type);
    for (const t of type.isUnionOrIntersection() ? type.types : [type]) {
      const element = checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
      if (element) markDeep(element, seen);
      for (const prop of t.getProperties()) {
        if (!isGeneratedSymbol(prop)) continue;
        markSymbol(prop);
        markDeep(checker.getTypeOfSymbol(prop), seen);
      }
    }
  };
  // A generated value where a hand-written type is expected: the fields that type names are read.
  const markAgainst = (source: ts.Type, target: ts.Type, seen = new Set<string>()) => {
    const key = `${checker.typeToString(source)}→${checker.typeToString(target)}`;
    if (seen.has(key)) return;
    seen.add(key);
    const targets = target.isUnion() ? target.types : [target];
    for (const s of source.isUnionOrIntersection() ? source.types : [source]) {
      const sourceElement = checker.isArrayType(s) ? checker.getTypeArguments(s as ts.TypeReference)[0] : undefined;
      for (const t of targets) {
        const targetElement = checker.isArrayType(t) || checker.isTupleType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
        if (sourceElement && targetElement) markAgainst(sourceElement, targetElement, seen);
        if (sourceElement || t.flags & ts.TypeFlags.Any || t.flags & ts.TypeFlags.Unknown) continue;
        const parents = new Set<string>();
        for (const prop of s.getProperties()) {
          if (!isGeneratedSymbol(prop)) continue;
          for (const d of prop.declarations ?? []) parents.add(generated.get(d)!.replace(/\.[^.]+$/, ''));
          const expected = t.getProperty(prop.name) ?? checker.getApparentType(t).getProperty(prop.name);
          if (!expected || isGeneratedSymbol(expected)) continue;
          markSymbol(prop);
          markAgainst(checker.getTypeOfSymbol(prop), checker.getTypeOfSymbol(expected), seen);
        }
        // What the hand-written type names, wherever a value alike this one (its type dropped in a
        // union) has it: an optional field that only the newer variant selects.
        if (parents.size) wanted.push({ parents, target: t });
      }
    }
  };
  const hasGeneratedProperty = (type: ts.Type, depth = 0): boolean =>
    depth < 3 &&
    (type.isUnionOrIntersection() ? type.types : [type]).some(
      (t) => t.getProperties().some(isGeneratedSymbol) || (checker.isArrayType(t) && hasGeneratedProperty(checker.getTypeArguments(t as ts.TypeReference)[0]!, depth + 1)),
    );

  // Two values that meet in one (`a ? x : y`, `x ?? y`, the returns of one function): TypeScript
  // may keep only one of their types when they are alike, so a field read on the result is read on both.
  const alike = new Map<string, Set<string>>();
  const wanted: { parents: Set<string>; target: ts.Type }[] = [];
  const returns = new Map<ts.Node, ts.Type[]>();
  const link = (a: ts.Type, b: ts.Type, depth = 0) => {
    if (depth > 8 || a === b) return;
    const elementOf = (t: ts.Type) => (checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined);
    for (const x of a.isUnion() ? a.types : [a]) {
      for (const y of b.isUnion() ? b.types : [b]) {
        const [ex, ey] = [elementOf(x), elementOf(y)];
        if (ex && ey) link(ex, ey, depth + 1);
        // The two objects themselves are alike (where they sit in their generated types).
        const parentOf = (t: ts.Type) =>
          t.getProperties().flatMap((p) => p.declarations ?? []).map((d) => generated.get(d)?.replace(/\.[^.]+$/, '')).find(Boolean);
        const [ox, oy] = [parentOf(x), parentOf(y)];
        if (ox && oy && ox !== oy) {
          const group = new Set([...(alike.get(ox) ?? [ox]), ...(alike.get(oy) ?? [oy])]);
          for (const path of group) alike.set(path, group);
        }
        for (const px of x.getProperties()) {
          const py = y.getProperty(px.name);
          if (!py) continue;
          const [dx, dy] = [px.declarations?.map((d) => generated.get(d)).find(Boolean), py.declarations?.map((d) => generated.get(d)).find(Boolean)];
          if (dx && dx === dy) continue;
          if (dx && dy) {
            const group = new Set([...(alike.get(dx) ?? [dx]), ...(alike.get(dy) ?? [dy])]);
            for (const path of group) alike.set(path, group);
          }
          // Hand-written wrappers too (`{ page, total }`): what they hold may be generated.
          link(checker.getTypeOfSymbol(px), checker.getTypeOfSymbol(py), depth + 1);
        }
      }
    }
  };

  // Every value assigned to one variable meets the others there.
  const assignments = new Map<ts.Symbol, ts.Type[]>();
  const assigned = (symbol: ts.Symbol | undefined, value: ts.Expression) => {
    if (!symbol) return;
    const type = checker.getTypeAtLocation(value);
    const earlier = assignments.get(symbol) ?? [];
    for (const other of earlier) link(other, type);
    assignments.set(symbol, [...earlier, type]);
  };

  const visitNode = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) markSymbol(checker.getSymbolAtLocation(node.name));
    else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      markSymbol(checker.getTypeAtLocation(node.expression).getProperty(node.argumentExpression.text));
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const name = node.propertyName ?? node.name;
      if (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) {
        const type = checker.getTypeAtLocation(node.parent);
        for (const t of type.isUnion() ? type.types : [type]) markSymbol(t.getProperty(name.text));
      }
      if (node.dotDotDotToken) markDeep(checker.getTypeAtLocation(node.parent));
    } else if (ts.isSpreadAssignment(node)) markDeep(checker.getTypeAtLocation(node.expression));
    else if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) {
      const [from, to] = [checker.getTypeAtLocation(node.expression), checker.getTypeFromTypeNode(node.type)];
      markAgainst(from, to);
      link(from, to);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
      assigned(checker.getSymbolAtLocation(node.left), node.right);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) assigned(checker.getSymbolAtLocation(node.name), node.initializer);
    if (ts.isReturnStatement(node) && node.expression) {
      let fn: ts.Node = node.parent;
      while (!ts.isFunctionLike(fn)) fn = fn.parent;
      const type = checker.getTypeAtLocation(node.expression);
      for (const other of returns.get(fn) ?? []) link(other, type);
      returns.set(fn, [...(returns.get(fn) ?? []), type]);
    }
    if (ts.isConditionalExpression(node)) link(checker.getTypeAtLocation(node.whenTrue), checker.getTypeAtLocation(node.whenFalse));
    else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) {
      link(checker.getTypeAtLocation(node.left), checker.getTypeAtLocation(node.right));
    }
    if (ts.isExpression(node) && !ts.isObjectLiteralExpression(node)) {
      const type = checker.getTypeAtLocation(node);
      if (hasGeneratedProperty(type)) {
        const expected = checker.getContextualType(node);
        if (expected && expected !== type) {
          markAgainst(type, expected);
          link(type, expected);
        }
      }
    }
    ts.forEachChild(node, visitNode);
  };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || isGenerated(file) || !rootNames.includes(file.fileName)) continue;
    visitNode(file);
  }
  const paths = new Set(generated.values());
  // The hand-written type's fields (and theirs, at every depth) under each alike parent.
  const resolveWanted = (parents: Iterable<string>, target: ts.Type, depth = 0): void => {
    if (depth > 8) return;
    const unwrapped = checker.getNonNullableType(target);
    const element = checker.isArrayType(unwrapped) ? checker.getTypeArguments(unwrapped as ts.TypeReference)[0]! : unwrapped;
    for (const prop of checker.getApparentType(element).getProperties()) {
      if (isGeneratedSymbol(prop)) continue;
      const found = [...parents].flatMap((parent) => [...(alike.get(parent) ?? [parent])]).map((p) => `${p}.${prop.name}`).filter((p) => paths.has(p));
      if (!found.length) continue;
      found.forEach((p) => read.add(p));
      resolveWanted(found, checker.getTypeOfSymbol(prop), depth + 1);
    }
  };
  for (const { parents, target } of wanted) resolveWanted(parents, target);
  for (const path of [...read]) for (const other of alike.get(path) ?? []) read.add(other);
  return read;
}

/** The selected leaves that no code reads. */
export function unreadLeaves(root: string): SelectedLeaf[] {
  const schema = buildSchema(readFileSync(join(root, 'schema', 'wandb.graphql'), 'utf8'));
  const read = readPaths(root);
  return PACKAGES.flatMap((p) => selectedLeaves(root, schema, p)).filter((leaf) => !leaf.paths.some((p) => read.has(p)));
}
