// Type test of @wandb-api/server's published .d.ts, compiled by scripts/check-pkg.mjs the way a
// consumer compiles its tests (strict, skipLibCheck false), with the server's runtime dependencies
// installed and none of its dev dependencies (no @types/better-sqlite3). Nothing runs.
import { type LocalServer, type SeededArtifact, type SeededRun, type Seeder, connectSeeder, startServer } from '@wandb-api/server';

export async function fixture(): Promise<[SeededRun, SeededArtifact]> {
  const server: LocalServer = await startServer({ seed: 'empty', faults: [{ path: '/graphql', status: 503, count: 1 }] });
  const seed: Seeder = server.seed;
  const project = await seed.project({ name: 'mnist' });
  const run = await seed.run({
    project: project.name,
    config: { lr: 0.01, optimizer: { name: 'adam' } },
    history: [{ loss: 1 }, { loss: Number.NaN }],
    tags: ['baseline'],
    files: { 'notes.txt': 'hello', 'model.bin': new Uint8Array([1, 2, 3]) },
  });
  const remote: Seeder = connectSeeder({ url: server.url, apiKey: server.apiKey });
  const artifact = await remote.artifact({ type: 'dataset', name: 'mnist', files: { 'train.csv': 'a,b\n1,2\n' }, aliases: ['best'], loggedBy: run.id });
  const user = await remote.user({ username: 'bob' });
  await remote.team({ members: [server.username, user.username] });
  server.faults.add({ status: 429, retryAfter: 1, count: 1 });
  // @ts-expect-error the store is internal: its types stay out of the published .d.ts
  void server.store;
  await server.stop();
  return [run, artifact];
}
