// globalSetup of the `edge` vitest project. Runs in the Node host process: starts the local server
// (it needs Node) with a small fixture, and bundles the BROWSER entries of @wandb-api/core and
// @wandb-api/runs (sources, no `node` export condition) into one script that the tests evaluate
// inside an Edge Runtime VM, where the code under test sees no Node globals at all. vitest's own
// `edge-runtime` environment is not enough for that: it keeps `process` and adds `Buffer`.
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { type LocalServer, startServer } from '@wandb-api/server';

/** What the edge tests get through `inject('edge')`. */
export interface EdgeFixture {
  url: string;
  apiKey: string;
  entity: string;
  /** A server whose every GraphQL request fails with 503. */
  failingUrl: string;
  failingApiKey: string;
  /** IIFE script defining `globalThis.__wandb` = the browser entries of core and runs. */
  bundle: string;
  /** The workspace source files in the bundle (repository paths). */
  inputs: string[];
}

declare module 'vitest' {
  interface ProvidedContext {
    edge: EdgeFixture;
  }
}

/** The fixture project `edge`: runs with config, summary, tags, history and one file each. */
export const EDGE_RUNS = [
  { name: 'e1', displayName: 'alpha', config: { optimizer: 'adam', lr: 0.1 }, summary: { acc: 0.8 }, state: 'finished', createdAt: '2026-01-01T00:00:00Z' },
  { name: 'e2', displayName: 'beta', config: { optimizer: 'sgd', lr: 0.01 }, summary: { acc: 0.9 }, state: 'finished', createdAt: '2026-01-02T00:00:00Z' },
  { name: 'e3', displayName: 'gamma', config: { optimizer: 'adam', lr: 0.001 }, summary: { acc: 0.7 }, state: 'finished', createdAt: '2026-01-03T00:00:00Z' },
  { name: 'e4', displayName: 'delta', config: { optimizer: 'adam', lr: 0.05 }, summary: { acc: 0.95 }, state: 'running', createdAt: '2026-01-04T00:00:00Z' },
];
/** History of every fixture run: steps 0..299, loss = 1/(step+1), val_loss every 10 steps. */
export const EDGE_STEPS = 300;
export const EDGE_FILE = { name: 'notes/readme.txt', text: 'edge runtime bytes ✓\n' };

let servers: LocalServer[] = [];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer({ port: 0, memory: true, seed: 'empty' });
  const failing = await startServer({ port: 0, memory: true, seed: 'empty', faults: [{ status: 503 }] });
  servers = [server, failing];
  server.store.createProject({ entity: server.entity, name: 'edge' });
  const history = Array.from({ length: EDGE_STEPS }, (_, step) => ({ _step: step, loss: 1 / (step + 1), ...(step % 10 === 0 ? { val_loss: step / 100 } : {}) }));
  for (const run of EDGE_RUNS) {
    const created = server.store.createRun({ entity: server.entity, project: 'edge', ...run, history });
    server.store.runFiles.put(created.internalId, EDGE_FILE.name, server.store.blobs.put(new TextEncoder().encode(EDGE_FILE.text)));
  }

  const result = await build({
    stdin: { contents: "export * from '@wandb-api/core';\nexport * from '@wandb-api/runs';\n", resolveDir: process.cwd(), loader: 'ts' },
    absWorkingDir: process.cwd(),
    // The browser entries; with platform 'browser' the `node` export condition never applies.
    alias: { '@wandb-api/core': './packages/core/src/index.ts', '@wandb-api/runs': './packages/runs/src/index.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__wandb',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
  });
  project.provide('edge', {
    url: server.url,
    apiKey: server.apiKey,
    entity: server.entity,
    failingUrl: failing.url,
    failingApiKey: failing.apiKey,
    bundle: result.outputFiles[0]!.text,
    inputs: Object.keys(result.metafile.inputs).filter((path) => path.startsWith('packages/')),
  });
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
