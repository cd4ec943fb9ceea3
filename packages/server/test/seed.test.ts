import { describe, expect, it } from 'vitest';
import { startServer } from '../src/index';
import { gql } from './helpers';

describe('demo seed', () => {
  it('has the documented users, teams, projects and runs', async () => {
    const server = await startServer({ seed: 'demo' });
    try {
      const q = `{
        mnist: project(name: "mnist-classifier", entityName: "demo") { totalRuns access }
        llm: project(name: "llm-finetune", entityName: "demo") { totalRuns }
        seg: project(name: "segmentation", entityName: "vision-team") { totalRuns }
        empty: project(name: "empty-project", entityName: "demo") { totalRuns }
        secret: project(name: "bob-secret", entityName: "bob") { totalRuns }
        viewer { teams { edges { node { name } } } }
      }`;
      const r = await gql(server, q);
      expect(r.body.data).toEqual({
        mnist: { totalRuns: 120, access: 'PUBLIC' },
        llm: { totalRuns: 60 },
        seg: { totalRuns: 40 },
        empty: { totalRuns: 0 },
        secret: { totalRuns: 5 }, // demo is an admin
        // demo-org-entity: the organization's entity (a team; see seed/artifacts.ts).
        viewer: { teams: { edges: [{ node: { name: 'demo' } }, { node: { name: 'vision-team' } }, { node: { name: 'demo-org-entity' } }] } },
      });
      const db = server.store.db.sql;
      const runs = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
      expect(runs).toBeGreaterThanOrEqual(200);
      const counts = (name: string, op: '=' | '<>') =>
        db
          .prepare(
            `SELECT min(c) AS lo, max(c) AS hi FROM (SELECT count(*) AS c FROM history JOIN runs r ON r.id = run_id JOIN projects p ON p.id = r.project_id WHERE p.name ${op} ? GROUP BY run_id)`,
          )
          .get(name) as { lo: number; hi: number };
      expect(counts('long-history', '<>')).toEqual({ lo: expect.toSatisfy((n: number) => n >= 50), hi: expect.toSatisfy((n: number) => n <= 200) });
      expect(counts('long-history', '=')).toEqual({ lo: 10_000, hi: 10_000 });
      const events = db.prepare('SELECT count(DISTINCT run_id) AS n FROM events').get() as { n: number };
      expect(events.n).toBe(3);
      const weird = (db.prepare("SELECT count(*) AS n FROM runs WHERE summary LIKE '%NaN%' OR summary LIKE '%Infinity%'").get() as { n: number }).n;
      expect(weird).toBeGreaterThan(0);
      const states = db.prepare('SELECT DISTINCT state FROM runs ORDER BY state').all().map((row) => (row as { state: string }).state);
      expect(states).toEqual(['crashed', 'failed', 'finished', 'killed', 'running']);

      // bob: a non-admin member of vision-team, sees demo's public project but not its private ones.
      const bob = server.store.users.byName('bob');
      const bobKey = bob && server.store.users.addApiKey(bob.id); // keys are stored hashed: mint one to act as bob
      const asBob = await gql(server, q, undefined, { apiKey: bobKey ?? null });
      expect(asBob.body.data).toMatchObject({ mnist: { totalRuns: 120 }, llm: null, seg: { totalRuns: 40 }, empty: null, secret: { totalRuns: 5 } });
    } finally {
      await server.stop();
    }
  });

  it('is deterministic apart from API keys', async () => {
    const snapshot = async () => {
      const s = await startServer({ seed: 'demo' });
      const rows = s.store.db.sql.prepare('SELECT name, display_name, config, summary, tags, created_at FROM runs ORDER BY id').all();
      await s.stop();
      return rows;
    };
    expect(await snapshot()).toEqual(await snapshot());
  });
});

describe('large generator', () => {
  it('seeds 10,000 runs (timing printed, not asserted)', async () => {
    const t0 = performance.now();
    const server = await startServer({ seed: { runs: 10_000 } });
    const ms = performance.now() - t0;
    try {
      console.log(`[seed] 10,000 runs seeded and server started in ${ms.toFixed(0)} ms`);
      const r = await gql(server, '{ project(name: "large", entityName: "demo") { runCount runs(first: 1000, order: "-summary_metrics.loss") { edges { node { name } } } } }');
      expect(r.body.data.project.runCount).toBe(10_000);
      expect(r.body.data.project.runs.edges).toHaveLength(1000);
    } finally {
      await server.stop();
    }
  });
});
