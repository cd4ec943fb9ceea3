// P5: the time from a fresh process to a usable client, measured inside each process so Node's and
// Python's own start-up are left out: `import('wandb-api')` + `new Api(...)` (the built facade),
// against the floor (`import('@urql/core')` + a bare urql Client) and Python's `import wandb` +
// `wandb.Api()`. One fresh process per round.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, report } from './measure.js';
import { pythonBaseline } from './python.js';
import { startBenchServer } from './server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const FACADE = pathToFileURL(join(ROOT, 'packages/api/dist/index.js')).href;
const CORE_RUNS = [join(ROOT, 'packages/core/dist/index.js'), join(ROOT, 'packages/runs/dist/index.js')].map((p) => pathToFileURL(p).href);
const URQL = pathToFileURL(join(realpathSync(join(ROOT, 'packages/core/node_modules/@urql/core')), 'dist/urql-core.mjs')).href;

/** One fresh Node process that times `body` (an async module body that ends by building a client): [ms, RSS MB]. */
function nodeRound(body: string, env: NodeJS.ProcessEnv): Promise<[number, number]> {
  const script = `const t = performance.now(); ${body}; console.log(JSON.stringify([performance.now() - t, process.memoryUsage().rss / 2 ** 20]));`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { env, cwd: ROOT }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(JSON.parse(out.trim().split('\n').at(-1)!) as [number, number]),
    ),
  );
}

export async function importTimeBench(): Promise<void> {
  const server = await startBenchServer({ port: 0, memory: true });
  try {
    const env = { PATH: process.env.PATH, WANDB_BASE_URL: server.url, WANDB_API_KEY: server.apiKey, NETRC: '/nonexistent' };
    const contenders: Record<string, string> = {
      floor: `const { Client } = await import(${JSON.stringify(URQL)}); new Client({ url: ${JSON.stringify(`${server.url}/graphql`)}, exchanges: [] })`,
      'core+runs': `const [{ createClient }] = await Promise.all(${JSON.stringify(CORE_RUNS)}.map((u) => import(u))); createClient()`,
      'wandb-api': `const { Api } = await import(${JSON.stringify(FACADE)}); new Api()`,
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
    let facadeRss = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, body] of Object.entries(contenders)) {
        const [ms, rss] = await nodeRound(body, env);
        if (round === 0) continue; // warms the file cache
        times[name]!.push(ms);
        if (name === 'wandb-api') facadeRss = Math.max(facadeRss, rss);
      }
    }
    const pythonTimes: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const run = await pythonBaseline<{ ms: number }>('import_time', server, {});
      if (!run) break;
      if (round > 0) pythonTimes.push(run.ms);
    }
    for (const [name, ts] of Object.entries(times)) console.log(`${name.padEnd(12)} median ${median(ts).toFixed(1)} ms  (${ts.map((t) => t.toFixed(0)).join(', ')})`);
    const python = pythonTimes.length ? median(pythonTimes) : null;
    if (python !== null) console.log(`${'python'.padEnd(12)} median ${python.toFixed(1)} ms  (${pythonTimes.map((t) => t.toFixed(0)).join(', ')})`);
    const round2 = (x: number) => Math.round(x * 100) / 100;
    // peak_rss_mb: the facade's own process after the import, not this harness's.
    report('import-time', median(times['wandb-api']!), median(times.floor!), python, { core_runs_ms: round2(median(times['core+runs']!)), peak_rss_mb: round2(facadeRss) });
  } finally {
    await server.stop();
  }
}
