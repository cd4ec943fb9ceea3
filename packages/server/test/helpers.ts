/** Test helpers: real HTTP against a server on port 0, and the exact operation documents clients send. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalServer } from '../src/index';

const OPERATIONS_DIR = fileURLToPath(new URL('../../../operations', import.meta.url));

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;
}

export interface GqlResult<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  headers: Headers;
}

/** POSTs like the Go client: operationName always "". */
export async function gql<T = any>(
  server: LocalServer,
  query: string,
  variables?: Record<string, unknown>,
  opts: { apiKey?: string | null; headers?: Record<string, string> } = {},
): Promise<GqlResult<T>> {
  const apiKey = opts.apiKey === undefined ? server.apiKey : opts.apiKey;
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'W&B Public Client 0.28.3',
      ...(apiKey === null ? {} : { Authorization: basicAuth(apiKey) }),
      ...opts.headers,
    },
    body: JSON.stringify({ query, variables, operationName: '' }),
  });
  return { status: res.status, body: (await res.json()) as GqlResult<T>['body'], headers: res.headers };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.graphql') ? [path] : [];
  });
}

/**
 * `document` with `fields` also selected inside the first `opening` (a field and its `{`): for
 * answers of the server that our clients no longer read but other clients (Python) do.
 * @example selecting(operation('CreateProject'), 'upsertModel(input: $input) {', 'inserted')
 */
export function selecting(document: string, opening: string, fields: string): string {
  if (!document.includes(opening)) throw new Error(`no "${opening}" in the document`);
  return document.replace(opening, `${opening}\n${fields}`);
}

/** The operation `name` from operations/, with the fragments it uses (transitively) appended. */
export function operation(name: string): string {
  const files = walk(OPERATIONS_DIR);
  const fragments = new Map<string, string>();
  for (const file of files.filter((f) => f.includes('_fragments'))) {
    // Split a fragments file into its definitions.
    for (const def of readFileSync(file, 'utf8').split(/(?=^fragment )/m)) {
      const match = /^fragment (\w+)/.exec(def);
      if (match) fragments.set(match[1] as string, def.replace(/^#.*$/gm, '').trim());
    }
  }
  const file = files.find((f) => f.endsWith(`/${name}.graphql`) && !f.includes('_fragments'));
  if (!file) throw new Error(`no operation ${name}`);
  let text = readFileSync(file, 'utf8');
  const used = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [, spread] of text.matchAll(/\.\.\.(\w+)/g)) {
      if (spread && !used.has(spread) && fragments.has(spread)) {
        used.add(spread);
        text += `\n${fragments.get(spread)}`;
        changed = true;
      }
    }
  }
  return text;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
