// The soak benchmark (issue 12): each soak workload (bench/soakWorkloads.ts — 10,000 runs listed,
// 200,000 history rows scanned through GraphQL and parquet, a 200-file artifact downloaded, a write
// workload) fault-free and under ~10 % mixed faults (503, 429 with Retry-After, resets before and
// after processing, bodies cut short or stalled), several rounds, medians. Every pass is checked
// (nothing missing, duplicated or applied twice; faulty results identical to clean ones), so a
// time is only reported for a correct answer. The target: faulty/clean ≤ 3× per workload.
// ours_ms is the faulty total, floor_ms the clean total; `ratios` per workload.
// The server runs in this process: the workloads read its fault rules and store.
import { type LocalServer, startServer } from '@wandb-api/server';
import { median, report, sampleRss } from './measure.js';
import { FAULT_RATE, IDLE_TIMEOUT_MS, type Pass, WORKLOADS, type Workload, describeStats, runPass } from './soakWorkloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Loopback answers in about a millisecond, so the faults' fixed costs (a 1 s Retry-After, a 1 s
// idle timeout per stall) dominate; BENCH_SOAK_LATENCY_MS adds a network's round trip to every
// request of both passes.
const LATENCY_MS = Number(process.env.BENCH_SOAK_LATENCY_MS ?? 0);
// BENCH_SOAK_ONLY=list-runs,writes: only those workloads (comma-separated names).
const ONLY = process.env.BENCH_SOAK_ONLY?.split(',');

/** Runs `workload` clean and faulty `ROUNDS` times (alternating which goes first); throws when a pass is wrong. */
async function measure(workload: Workload, server: LocalServer): Promise<{ clean: number; faulty: number }> {
  const times = { clean: [] as number[], faulty: [] as number[] };
  let reference: Pass | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    for (const faulty of round % 2 ? [true, false] : [false, true]) {
      const pass = await runPass(workload, server, faulty, `${faulty ? 'faulty' : 'clean'}-${round}`, { latencyMs: LATENCY_MS });
      sampleRss();
      const problems = [...pass.problems, ...(pass.stats.untyped.length ? [`untyped errors: ${pass.stats.untyped.join('; ')}`] : [])];
      if (!faulty) reference ??= pass;
      if (faulty && reference) problems.push(...workload.diff(reference.result, pass.result));
      if (problems.length) throw new Error(`${workload.name} (${faulty ? 'faulty' : 'clean'}, round ${round}): ${problems.join('; ')}`);
      times[faulty ? 'faulty' : 'clean'].push(pass.ms);
      console.log(`${workload.name.padEnd(22)} ${faulty ? 'faulty' : 'clean '} ${pass.ms.toFixed(0).padStart(6)} ms  ${describeStats(pass.stats)}`);
    }
  }
  return { clean: median(times.clean), faulty: median(times.faulty) };
}

export async function soakBench(): Promise<void> {
  const ratios: Record<string, number> = {};
  let clean = 0;
  let faulty = 0;
  // Workloads with the same server settings share one server (both history scans read one run).
  const servers = new Map<string, LocalServer>();
  try {
    for (const workload of WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.name))) {
      const key = JSON.stringify(workload.server);
      let server = servers.get(key);
      if (!server) {
        const started = performance.now();
        server = await startServer({ port: 0, memory: true, ...workload.server });
        servers.set(key, server);
        console.log(`seeded ${key} in ${(performance.now() - started).toFixed(0)} ms`);
      }
      const medians = await measure(workload, server);
      clean += medians.clean;
      faulty += medians.faulty;
      ratios[workload.name] = Math.round((medians.faulty / medians.clean) * 100) / 100;
      console.log(`${workload.name.padEnd(22)} median clean ${medians.clean.toFixed(0)} ms, faulty ${medians.faulty.toFixed(0)} ms: ${ratios[workload.name]}×`);
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
  report('soak', faulty, clean, null, { rounds: ROUNDS, fault_rate: FAULT_RATE, idle_timeout_ms: IDLE_TIMEOUT_MS, latency_ms: LATENCY_MS, ratios });
}
