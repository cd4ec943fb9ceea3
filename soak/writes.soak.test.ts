// Writes under faults (resets after the server applied a request included): pushes and keys
// applied at most once and exactly once when they report success, updates applied, deletes done
// and reported as done.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalServer } from '@wandb-api/server';
import { WRITES_PER_KIND, type WriteOutcome, writesWorkload } from '../bench/soakWorkloads.js';
import { soak, startSoakServer } from './support.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startSoakServer(writesWorkload.server);
});
afterAll(() => server.stop());

it('queue pushes, API keys, run updates and deletes: no effect twice, none lost', async () => {
  const { clean, faulty } = await soak(writesWorkload, server);
  const outcomes = (pass: { result: unknown }) => pass.result as WriteOutcome[];
  expect(outcomes(clean).every((o) => o.outcome === 'ok')).toBe(true);
  const uncertain = outcomes(faulty).filter((o) => o.outcome === 'may-have-applied');
  console.log(`soak writes: ${uncertain.length} of ${2 * WRITES_PER_KIND} unsafe writes threw WriteMayHaveAppliedError (each applied at most once)`);
});
