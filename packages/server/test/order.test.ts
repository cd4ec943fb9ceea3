import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { buildFixture, RUNS_QUERY } from './fixture';
import { gql, type GqlResult } from './helpers';

let server: LocalServer;
let aliceKey: string;

beforeAll(async () => {
  server = await startServer();
  ({ aliceKey } = buildFixture(server));
});
afterAll(() => server.stop());

async function page(vars: Record<string, unknown>) {
  const r = await gql(server, RUNS_QUERY, vars, { apiKey: aliceKey });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.project.runs as { edges: { cursor: string; node: { name: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

/** Names in one big page, and again walking pages of one through the cursors: both must agree. */
async function ordered(order?: string): Promise<string[]> {
  const all = (await page({ order })).edges.map((e) => e.node.name);
  const walked: string[] = [];
  let after: string | null = null;
  for (;;) {
    const p = await page({ order, first: 1, after });
    walked.push(...p.edges.map((e) => e.node.name));
    if (!p.pageInfo.hasNextPage) break;
    expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor);
    after = p.pageInfo.endCursor;
  }
  expect(walked).toEqual(all);
  return all;
}

describe('run order', () => {
  const CASES: [string | undefined, string[]][] = [
    [undefined, ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['+created_at', ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['created_at', ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['-created_at', ['r5', 'r4', 'r3', 'r2', 'r1']],
    ['-createdAt', ['r5', 'r4', 'r3', 'r2', 'r1']],
    ['+heartbeat_at', ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['-name', ['r5', 'r4', 'r3', 'r2', 'r1']],
    ['-display_name', ['r5', 'r4', 'r3', 'r2', 'r1']],
    ['+displayName', ['r1', 'r2', 'r3', 'r4', 'r5']],
    ['state', ['r3', 'r4', 'r1', 'r5', 'r2']],
    // NULLs (missing keys) first ascending, last descending; ties broken by row id.
    ['+config.lr.value', ['r5', 'r3', 'r2', 'r4', 'r1']],
    ['-config.lr', ['r1', 'r4', 'r2', 'r3', 'r5']],
    ['config.batch_size', ['r5', 'r1', 'r3', 'r2', 'r4']],
    ['-config.batch_size.value', ['r4', 'r2', 'r3', 'r1', 'r5']],
    ['+config.optimizer.name', ['r4', 'r5', 'r1', 'r3', 'r2']],
    // NaN is stored as null for SQL, so r3 sorts with the missing r5.
    ['+summary_metrics.loss', ['r3', 'r5', 'r2', 'r1', 'r4']],
    ['-summary_metrics.loss', ['r4', 'r1', 'r2', 'r5', 'r3']],
    // Mixed types order as SQLite does: NULL < numbers < text.
    ['summary_metrics.acc', ['r5', 'r1', 'r2', 'r3', 'r4']],
  ];
  for (const [order, expected] of CASES) {
    it(`${order ?? '(default)'}`, async () => {
      expect(await ordered(order)).toEqual(expected);
    });
  }

  it('rejects unknown order keys with 400 BAD_USER_INPUT', async () => {
    for (const order of ['bogus', '+tags', '-', 'config.']) {
      const r = await gql(server, RUNS_QUERY, { order }, { apiKey: aliceKey });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.body.data).toBeNull();
    }
  });
});

describe('cursors', () => {
  it('rejects cursors that do not decode, or belong to another shape', async () => {
    const projectsCursor = Buffer.from(JSON.stringify({ k: [], id: 1 })).toString('base64');
    for (const after of ['!!!', 'bm90IGpzb24=', Buffer.from('{"k":[1]}').toString('base64'), projectsCursor]) {
      const r = await gql(server, RUNS_QUERY, { after }, { apiKey: aliceKey });
      expect(r.status, after).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.body.errors?.[0]?.message).toMatch(/invalid cursor/);
    }
  });

  it('rejects a negative page size and clamps large ones', async () => {
    const bad = await gql(server, RUNS_QUERY, { first: -1 }, { apiKey: aliceKey });
    expect(bad.status).toBe(400);
    expect((await page({ first: 1_000_000 })).edges).toHaveLength(5);
    const zero = await page({ first: 0 });
    expect(zero.edges).toHaveLength(0);
    expect(zero.pageInfo.hasNextPage).toBe(true);
  });
});

describe('keyset paging', () => {
  it('returns every run that existed when paging began exactly once while runs are inserted', async () => {
    const s = await startServer();
    try {
      const base = Date.UTC(2024, 0, 1);
      const minute = 60_000;
      s.store.db.transaction(() => {
        for (let i = 0; i < 1000; i++) {
          // Pairs share a timestamp so the id tie-breaker matters too.
          s.store.createRun({ entity: 'demo', project: 'paging', name: `orig-${i}`, createdAt: base + Math.floor(i / 2) * minute, summary: { loss: i % 7 === 0 ? NaN : (i * 37) % 101 } });
        }
      });
      for (const order of ['+created_at', '-created_at', '+summary_metrics.loss', '-summary_metrics.loss']) {
        const seen = new Map<string, number>();
        let after: string | null = null;
        let inserted = 0;
        let pages = 0;
        for (;;) {
          const r: GqlResult = await gql(s, 'query($a: String, $o: String) { project(name: "paging", entityName: "demo") { runs(first: 50, after: $a, order: $o) { edges { cursor node { name } } pageInfo { endCursor hasNextPage } } } }', { a: after, o: order });
          expect(r.status).toBe(200);
          const runs = r.body.data.project.runs;
          for (const e of runs.edges) seen.set(e.node.name, (seen.get(e.node.name) ?? 0) + 1);
          pages++;
          if (!runs.pageInfo.hasNextPage) break;
          after = runs.pageInfo.endCursor;
          // Insert before, between and after the rows already paged (offset paging would now repeat or skip rows).
          for (const offset of [0, 123, 250, 499, 600]) {
            s.store.createRun({ entity: 'demo', project: 'paging', name: `new-${order}-${inserted++}`, createdAt: base + offset * minute, summary: { loss: inserted % 101 } });
          }
        }
        expect(pages).toBeGreaterThanOrEqual(20);
        for (let i = 0; i < 1000; i++) expect(seen.get(`orig-${i}`), `${order} orig-${i}`).toBe(1);
        for (const [name, n] of seen) expect(n, name).toBe(1);
      }
    } finally {
      await s.stop();
    }
  });
});
