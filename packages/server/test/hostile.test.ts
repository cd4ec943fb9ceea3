/**
 * Hostile input: whatever a client sends, the server stays up, keeps serving others, and answers
 * with a 4xx that says what is wrong (a 5xx would make clients retry it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql } from './helpers';

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
