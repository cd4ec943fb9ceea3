/**
 * Bounds on a GraphQL document, checked before it runs, so that no query text can exhaust the stack,
 * the CPU or the answer size: length, tokens and bracket nesting before parsing (graphql-js parses
 * recursively), then field depth, field count and aliases with fragments expanded, and only query
 * and mutation operations. The clients we serve stay far below: our largest operation is ~240 tokens,
 * 11 fields deep, 70 fields and 2 aliases.
 */
import { GraphQLError, Kind, Lexer, Source, TokenKind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** The limits; every one is a 400 with a GraphQL error naming it. */
export const QUERY_LIMITS = {
  /** Characters of query text (longer texts are a 413). */
  length: 128 * 1024,
  /** Lexical tokens. */
  tokens: 20_000,
  /** Nesting of `{`, `[` and `(`. */
  nesting: 64,
  /** Depth of fields, fragments expanded. */
  depth: 32,
  /** Fields in the operation, fragments expanded (a fragment spread twice counts twice). */
  fields: 5_000,
  /** Aliased fields, fragments expanded: each alias can repeat a costly field. */
  aliases: 200,
} as const;

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** Counts tokens and bracket nesting without parsing; returns the error, if any. Lexer errors are thrown as GraphQLErrors. */
export function checkQueryText(query: string): GraphQLError | undefined {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > QUERY_LIMITS.tokens) return new GraphQLError(`the query has more than ${QUERY_LIMITS.tokens} tokens`);
    if (OPENING.has(token.kind) && ++nesting > QUERY_LIMITS.nesting) {
      return new GraphQLError(`the query nests brackets more than ${QUERY_LIMITS.nesting} deep`);
    }
    if (CLOSING.has(token.kind)) nesting--;
  }
  return undefined;
}

interface Cost {
  depth: number;
  fields: number;
  aliases: number;
}

/**
 * Checks a parsed document before validation (which is itself costly on huge documents): operation
 * types, then depth, fields and aliases per operation. Fragment costs are memoised, so a "fragment
 * bomb" (each fragment spreading the next twice) is measured in linear time; unknown or cyclic
 * fragments count nothing here and are reported by validation.
 */
export function checkDocument(document: DocumentNode): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const memo = new Map<string, Cost>();
  const inProgress = new Set<string>();
  const none = (): Cost => ({ depth: 0, fields: 0, aliases: 0 });
  const cap = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);

  const measure = (set: SelectionSetNode): Cost => {
    const cost: Cost = { depth: 0, fields: 0, aliases: 0 };
    for (const sel of set.selections) {
      let inner: Cost;
      if (sel.kind === Kind.FIELD) {
        const sub = sel.selectionSet ? measure(sel.selectionSet) : none();
        inner = { depth: sub.depth + 1, fields: sub.fields + 1, aliases: sub.aliases + (sel.alias ? 1 : 0) };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(sel.selectionSet);
      } else {
        const name = sel.name.value;
        let known = memo.get(name);
        const def = fragments.get(name);
        if (!known && def && !inProgress.has(name)) {
          inProgress.add(name);
          known = measure(def.selectionSet);
          inProgress.delete(name);
          memo.set(name, known);
        }
        inner = known ?? none();
      }
      cost.depth = Math.max(cost.depth, inner.depth);
      cost.fields = cap(cost.fields + inner.fields);
      cost.aliases = cap(cost.aliases + inner.aliases);
    }
    return cost;
  };

  const errors: GraphQLError[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = def.name ? `operation ${def.name.value}` : 'the operation';
    if (def.operation === 'subscription') {
      errors.push(new GraphQLError('subscriptions are not supported: send a query or a mutation', { nodes: def }));
      continue;
    }
    const cost = measure(def.selectionSet);
    if (cost.depth > QUERY_LIMITS.depth) errors.push(new GraphQLError(`${name} is ${cost.depth} fields deep; at most ${QUERY_LIMITS.depth}`, { nodes: def }));
    if (cost.fields > QUERY_LIMITS.fields) {
      errors.push(new GraphQLError(`${name} selects ${cost.fields} fields (fragments expanded); at most ${QUERY_LIMITS.fields}`, { nodes: def }));
    }
    if (cost.aliases > QUERY_LIMITS.aliases) {
      errors.push(new GraphQLError(`${name} has ${cost.aliases} aliased fields (fragments expanded); at most ${QUERY_LIMITS.aliases}`, { nodes: def }));
    }
  }
  return errors;
}
