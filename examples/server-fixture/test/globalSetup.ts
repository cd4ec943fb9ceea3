// Runs once per `vitest run`, in vitest's main process: starts one local W&B server (in memory, on
// a free port) and provides where it is to the tests, which run in worker processes and seed their
// own data over HTTP (connectSeeder). Returns the teardown.
import { startServer } from '@wandb-api/server';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    wandb: { url: string; apiKey: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer();
  project.provide('wandb', { url: server.url, apiKey: server.apiKey });
  return () => server.stop();
}
