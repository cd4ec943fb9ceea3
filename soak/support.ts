// The soak tier's harness: a server seeded for a workload, one clean and one faulty pass, the
// results compared and the faulty/clean time ratio printed.
import { expect } from 'vitest';
import { startServer, type LocalServer, type StartServerOptions } from '@wandb-api/server';
import { type Pass, type Workload, describeStats, runPass } from '../bench/soakWorkloads.js';

/** A server for soak workloads (in memory, every request kept in its log); SOAK_FAULT_SEED picks another fault sequence. */
export function startSoakServer(options: StartServerOptions): Promise<LocalServer> {
  return startServer({ port: 0, memory: true, requestLogLimit: 1_000_000, faultSeed: Number(process.env.SOAK_FAULT_SEED ?? 1), ...options });
}

/** Runs `workload` clean, then under faults; asserts both passes sound and their results identical; prints the ratio. */
export async function soak(workload: Workload, server: LocalServer): Promise<{ clean: Pass; faulty: Pass }> {
  const clean = await runPass(workload, server, false, 'clean');
  const faulty = await runPass(workload, server, true, 'faulty');
  const ratio = faulty.ms / clean.ms;
  console.log(
    `soak ${workload.name}: faulty/clean ${ratio.toFixed(2)}; clean ${clean.ms.toFixed(0)} ms (${describeStats(clean.stats)}); ` +
      `faulty ${faulty.ms.toFixed(0)} ms (${describeStats(faulty.stats)})`,
  );
  expect(clean.problems).toEqual([]);
  expect(faulty.problems).toEqual([]);
  expect(workload.diff(clean.result, faulty.result)).toEqual([]);
  for (const pass of [clean, faulty]) expect(pass.stats.untyped).toEqual([]);
  expect(clean.stats.failedAttempts).toBe(0);
  // The faults did hit: a pass that saw none proves nothing.
  expect(faulty.stats.failedAttempts).toBeGreaterThan(0);
  return { clean, faulty };
}
