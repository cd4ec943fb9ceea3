/**
 * Hostile input: whatever a client sends, the server stays up, keeps serving others, and answers
 * with a 4xx that says what is wrong (a 5xx would make clients retry it).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from '../src/graphql/context';
import { createExecutor } from '../src/graphql/execute';
import { getSchema } from '../src/graphql/schema';
import { startServer, type LocalServer } from '../src/index';
import { PRIMARY_KEY_FILE } from '../src/primaryKey';
import { API_KEYS_HASHED_MIGRATION } from '../src/store/apiKeysSchema';
import { basicAuth, gql } from './helpers';

let server: LocalServer;
let aliceKey: string;
let bobKey: string;

beforeAll(async () => {
  server = await startServer();
  aliceKey = server.store.createUser({ username: 'alice' }).apiKey;
  bobKey = server.store.createUser({ username: 'bob' }).apiKey;
  server.store.createProject({ entity: 'alice', name: 'p' });
  const base = { entity: 'alice', project: 'p', username: 'alice' };
  // Names on which a backtracking engine takes seconds for ^(a+)+$ (it doubles with each 'a').
  server.store.createRun({ ...base, name: 'r1', displayName: `${'a'.repeat(29)}!`, config: { k: 1 }, tags: ['t1'] });
  server.store.createRun({ ...base, name: 'r2', displayName: `${'a'.repeat(29)}?`, config: { k: 2 }, tags: ['t2'] });
  server.store.createRun({ ...base, name: 'r3', displayName: 'plain', config: { k: 'x' }, tags: [] });
});
afterAll(() => server.stop());

const RUNS = 'query($f: JSONString) { project(name: "p", entityName: "alice") { runs(filters: $f, first: 100) { edges { node { name } } } runCount(filters: $f) } }';

async function runNames(filters: unknown): Promise<{ status: number; names: string[]; error?: string }> {
  const r = await gql(server, RUNS, { f: typeof filters === 'string' ? filters : JSON.stringify(filters) }, { apiKey: aliceKey });
  const names = r.status === 200 ? r.body.data.project.runs.edges.map((e: { node: { name: string } }) => e.node.name).sort() : [];
  if (r.status === 200) expect(r.body.data.project.runCount).toBe(names.length);
  return { status: r.status, names, ...(r.body.errors ? { error: r.body.errors[0]?.message } : {}) };
}

describe('$regex', () => {
  it('runs in linear time: a catastrophic pattern neither blocks the server nor fails', async () => {
    const started = performance.now();
    const [slow, other] = await Promise.all([
      runNames({ displayName: { $regex: '^(a+)+$' } }),
      gql(server, '{ viewer { username } }', undefined, { apiKey: bobKey }),
    ]);
    expect(slow).toEqual({ status: 200, names: [] });
    expect(other.body.data.viewer.username).toBe('bob');
    // Generous: JS RegExp needs tens of seconds here; the linear matcher a few milliseconds.
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await runNames({ displayName: { $regex: '(a+)+[!]$' } })).names).toEqual(['r1']);
  });

  it('RE2 syntax: backreferences and lookaround are a 400 saying so', async () => {
    expect(await runNames({ displayName: { $regex: '(a)\\1' } })).toMatchObject({ status: 400, error: expect.stringMatching(/backreferences are not supported/) });
    expect(await runNames({ displayName: { $regex: 'a(?=!)' } })).toMatchObject({ status: 400, error: expect.stringMatching(/lookaround/) });
    expect(await runNames({ displayName: { $regex: '(?i)PLAIN' } })).toEqual({ status: 200, names: ['r3'] });
  });
});

describe('filters with thousands of values', () => {
  const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

  it('$in and $nin with 5,000 values', async () => {
    expect(await runNames({ name: { $in: [...many(5000, (i) => `x${i}`), 'r2'] } })).toEqual({ status: 200, names: ['r2'] });
    expect(await runNames({ name: { $nin: many(5000, (i) => `x${i}`) } })).toEqual({ status: 200, names: ['r1', 'r2', 'r3'] });
    expect(await runNames({ 'config.k': { $in: [...many(5000, (i) => i + 10), 2, 'x'] } })).toEqual({ status: 200, names: ['r2', 'r3'] });
    expect(await runNames({ tags: { $in: [...many(5000, (i) => `t${i + 10}`), 't1'] } })).toEqual({ status: 200, names: ['r1'] });
  });

  it('$or and $and with 5,000 branches', async () => {
    expect(await runNames({ $or: many(5000, (i) => ({ 'config.k': i + 1 })) })).toEqual({ status: 200, names: ['r1', 'r2'] });
    expect(await runNames({ $or: [...many(5000, (i) => ({ name: `x${i}` })), { 'config.k': 1 }] })).toEqual({ status: 200, names: ['r1'] });
    expect(await runNames({ $and: many(5000, (i) => ({ name: { $ne: `x${i}` } })) })).toEqual({ status: 200, names: ['r1', 'r2', 'r3'] });
    expect(await runNames({ $nor: many(5000, (i) => ({ name: `r${i + 2}` })) })).toEqual({ status: 200, names: ['r1'] });
  });

  it('nesting and the number of compared values are bounded with a 400', async () => {
    let nested: Record<string, unknown> = { name: 'r1' };
    for (let i = 0; i < 32; i++) nested = { $and: [nested] };
    expect(await runNames(nested)).toEqual({ status: 200, names: ['r1'] });
    expect(await runNames({ $or: [nested] })).toMatchObject({ status: 400, error: expect.stringMatching(/nested more than 32 deep/) });
    const deep = `${'{"$or": ['.repeat(100_000)}{"name": "r1"}${']}'.repeat(100_000)}`;
    expect(await runNames(deep)).toMatchObject({ status: 400, error: expect.stringMatching(/nested more than/) });
    // Conditions that cannot be merged into one $in are capped (SQLite prepares thousands slowly).
    expect(await runNames({ $or: many(1000, (i) => ({ 'config.k': { $gt: i } })) })).toEqual({ status: 200, names: ['r1', 'r2'] });
    expect(await runNames({ $or: many(1001, (i) => ({ 'config.k': { $gt: i } })) })).toMatchObject({ status: 400, error: expect.stringMatching(/more than 1000 conditions/) });
  });
});

describe('limits of SQLite or the stack reached by input', () => {
  it('are a 400 BAD_USER_INPUT, whichever resolver reached them; other errors stay a 500', async () => {
    const thrower = (message: string) => ({ type: GraphQLString, resolve: () => { throw new Error(message); } });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          variables: thrower('too many SQL variables'),
          depth: thrower('Expression tree is too large (maximum depth 1000)'),
          stack: thrower('Maximum call stack size exceeded'),
          bug: thrower('undefined is not a function'),
        },
      }),
    });
    const executor = createExecutor(schema);
    const run = (query: string) => executor.run(executor.prepare(query), { query }, {} as Context);
    for (const field of ['variables', 'depth', 'stack']) {
      const reply = await run(`{ ${field} }`);
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.body)).toMatch(/too large or too complex.*BAD_USER_INPUT/);
    }
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await run('{ bug }')).status).toBe(500);
    error.mockRestore();
  });

  it('a config nested 200,000 deep is not a 5xx', async () => {
    const config = `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`;
    const r = await gql(server, 'mutation($c: JSONString) { upsertBucket(input: { name: "deep", modelName: "p", entityName: "alice", config: $c }) { bucket { id } } }', { c: config }, { apiKey: aliceKey });
    expect(r.status).toBeLessThan(500);
  });
});

describe('GraphQL documents are bounded before they run', () => {
  async function expect400(query: string, message: RegExp): Promise<void> {
    const r = await gql(server, query, undefined, { apiKey: aliceKey });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(r.body.data).toBeUndefined();
  }

  it('nesting 5,000 deep is a 400, and the server keeps answering', async () => {
    await expect400(`{ ${'viewer { '.repeat(5000)}id${' }'.repeat(5000)} }`, /nests brackets more than 64 deep/);
    await expect400(`query($v: [[[[Int]]]]) { viewer { id } }`.replace('[[[[Int]]]]', `${'['.repeat(5000)}Int${']'.repeat(5000)}`), /nests brackets/);
    expect((await gql(server, '{ viewer { username } }', undefined, { apiKey: bobKey })).body.data.viewer.username).toBe('bob');
  });

  it('field depth counts through fragments', async () => {
    // Valid for the schema, brackets nested 6 deep, fields 4 × 10 + 2 deep.
    const fragments = Array.from({ length: 10 }, (_, i) => `fragment F${i} on Project { runs { edges { node { project { ...F${i + 1} } } } } }`).join('\n');
    await expect400(`{ project(name: "p", entityName: "alice") { ...F0 } }\n${fragments}\nfragment F10 on Project { id }`, /is 42 fields deep; at most 32/);
  });

  it('1,600 aliases, a fragment bomb and 21,000 tokens are 400s', async () => {
    await expect400(`{ ${Array.from({ length: 1600 }, (_, i) => `a${i}: viewer { username }`).join(' ')} }`, /1600 aliased fields/);
    const bomb = Array.from({ length: 30 }, (_, i) => `fragment B${i} on User { ...B${i + 1} ...B${i + 1} }`).join('\n');
    await expect400(`{ viewer { ...B0 } }\n${bomb}\nfragment B30 on User { id }`, /selects \d+ fields \(fragments expanded\); at most 5000/);
    await expect400(`{ viewer { ${'id '.repeat(21_000)}} }`, /more than 20000 tokens/);
    // Within the limits, aliases work.
    const ok = await gql(server, `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: viewer { username }`).join(' ')} }`, undefined, { apiKey: aliceKey });
    expect(ok.body.data.a49.username).toBe('alice');
  });

  it('subscription operations are a 400', async () => {
    await expect400('subscription { viewer { id } }', /subscriptions are not supported/);
  });

  it('a query text over 128 KiB is a 413, a body over 16 MiB is a 413, both JSON', async () => {
    const long = await gql(server, `{ viewer { id } } # ${'x'.repeat(130 * 1024)}`, undefined, { apiKey: aliceKey });
    expect(long.status).toBe(413);
    expect(long.body.errors?.[0]?.message).toMatch(/at most 131072/);
    const huge = await gql(server, '{ viewer { id } }', { pad: 'x'.repeat(17 * 1024 * 1024) }, { apiKey: aliceKey });
    expect(huge.status).toBe(413);
    expect(huge.body.errors?.[0]?.message).toMatch(/over the limit of 16777216 bytes/);
    // Unauthenticated: nothing is parsed beyond the length check, and nothing is cached.
    const anonymous = await gql(server, `{ viewer { id } } # ${'x'.repeat(8 * 1024 * 1024)}`, undefined, { apiKey: null });
    expect(anonymous.status).toBe(401);
  });

  it('the document cache fills only from authenticated requests, bounded by count and size', async () => {
    const executor = createExecutor(getSchema());
    const context = {} as Context; // invalid documents stop before execution
    for (let i = 0; i < 50; i++) executor.prepare(`{ nope${i} }`);
    expect(executor.cacheStats().entries).toBe(0);
    for (let i = 0; i < 2000; i++) {
      const query = `{ nope${i} } # ${'x'.repeat(i % 2 === 0 ? 100 : 15_000)}`;
      expect((await executor.run(executor.prepare(query), { query }, context)).status).toBe(400);
      const { entries, chars } = executor.cacheStats();
      expect(entries).toBeLessThanOrEqual(256);
      expect(chars).toBeLessThanOrEqual(1024 * 1024);
    }
    const big = `{ nope } # ${'x'.repeat(20_000)}`;
    await executor.run(executor.prepare(big), { query: big }, context);
    expect(executor.cacheStats().entries).toBeGreaterThan(60);
    expect(executor.cacheStats().chars).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('the file stream', () => {
  const post = (body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/files/alice/p/r3/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth(aliceKey), 'Content-Type': 'application/json', ...headers },
      body: new Uint8Array(body),
    });

  it('stops inflating a gzip bomb at the limit: 413 with a JSON error', async () => {
    // ~300 kB of gzip inflating to 300 MB (gzip members concatenate).
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 300 }, () => member));
    expect(bomb.length).toBeLessThan(400_000);
    const res = await post(bomb, { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/inflates to more than the limit of 67108864 bytes/);
    // A gzipped body within the limit is applied.
    const line = JSON.stringify({ _step: 0, loss: 1 });
    const ok = await post(gzipSync(JSON.stringify({ files: { 'wandb-history.jsonl': { offset: 0, content: [line] } } })), { 'Content-Encoding': 'gzip' });
    expect(ok.status).toBe(200);
  });

  it('a body over the limit is a 413 before it is read', async () => {
    const res = await post(Buffer.alloc(65 * 1024 * 1024, 0x20));
    expect(res.status).toBe(413);
  });
});

describe('API keys are stored hashed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wandb-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every byte the server keeps in its data dir, except the primary key's own file. */
  const dataBytes = () =>
    readdirSync(dir)
      .filter((name) => name !== PRIMARY_KEY_FILE && name !== 'blobs')
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('\n');

  it('the database holds no key; the primary key is in a 0600 file and survives restarts', async () => {
    const first = await startServer({ dataDir: dir, seed: 'demo' });
    const generated = await gql(first, 'mutation { generateApiKey(input: { description: "ci" }) { apiKey { id name } } }');
    const newKey: string = generated.body.data.generateApiKey.apiKey.name; // the key itself, shown this once
    expect(newKey).toMatch(/^[0-9a-f]{40}$/);
    const listed = await gql(first, '{ viewer { apiKeys { edges { node { id name } } } } }');
    const names = listed.body.data.viewer.apiKeys.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual([first.apiKey.slice(0, 8), newKey.slice(0, 8)]);
    await first.stop();

    const stored = dataBytes();
    expect(stored).not.toContain(first.apiKey);
    expect(stored).not.toContain(newKey);
    expect(stored).toContain(createHash('sha256').update(newKey).digest('hex'));
    const file = join(dir, PRIMARY_KEY_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.apiKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await startServer({ dataDir: dir });
    try {
      expect(second.apiKey).toBe(first.apiKey);
      expect((await gql(second, '{ viewer { username } }', undefined, { apiKey: newKey })).body.data.viewer.username).toBe('demo');
    } finally {
      await second.stop();
    }

    // Without the file (or with a key that no longer works) the primary user gets a new key.
    rmSync(file);
    const third = await startServer({ dataDir: dir });
    try {
      expect(third.apiKey).not.toBe(first.apiKey);
      expect((await gql(third, '{ viewer { username } }')).body.data.viewer.username).toBe('demo');
      expect(readFileSync(file, 'utf8').trim()).toBe(third.apiKey);
    } finally {
      await third.stop();
    }
  });

  it('an older database is converted: keys hashed in place, same ids, still valid', () => {
    const db = new Database(':memory:');
    db.function('sha256_hex', (key: unknown) => createHash('sha256').update(String(key)).digest('hex'));
    db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY);
      CREATE TABLE api_keys (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), created_at TEXT NOT NULL, description TEXT);
      INSERT INTO users VALUES (1);
      INSERT INTO api_keys VALUES ('${'a'.repeat(40)}', 1, '2025-01-01T00:00:00', NULL), ('${'b'.repeat(40)}', 1, '2025-01-02T00:00:00', 'ci');`);
    db.exec(API_KEYS_HASHED_MIGRATION);
    expect(db.prepare('SELECT * FROM api_keys ORDER BY id').all()).toEqual([
      { id: 1, key_hash: createHash('sha256').update('a'.repeat(40)).digest('hex'), name: 'aaaaaaaa', user_id: 1, created_at: '2025-01-01T00:00:00', description: null },
      { id: 2, key_hash: createHash('sha256').update('b'.repeat(40)).digest('hex'), name: 'bbbbbbbb', user_id: 1, created_at: '2025-01-02T00:00:00', description: 'ci' },
    ]);
    db.close();
  });
});

describe('the request log', () => {
  it('keeps the latest requestLogLimit entries', async () => {
    const small = await startServer({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await fetch(`${small.url}/healthz?i=${i}`);
      await fetch(`${small.url}/nope`);
      expect(small.requests.map((r) => r.path)).toEqual(['/healthz', '/healthz', '/nope']);
      small.clearRequests();
      expect(small.requests).toHaveLength(0);
    } finally {
      await small.stop();
    }
    await expect(startServer({ requestLogLimit: -1 })).rejects.toThrow(/requestLogLimit/);
  });
});
