import { createClient } from '@wandb-api/core';
import { scanHistory, listRuns } from '@wandb-api/runs';
import { startBenchServer } from './server.js';
const mode = process.env.MODE ?? 'parquet';
const rows = Number(process.env.ROWS ?? 1_000_000);
const server = await startBenchServer(mode === 'list' ? { port: 0, memory: true, seed: { runs: 10000 } } : { port: 0, memory: true, seed: { historyRows: rows }, historyExports: mode === 'parquet' ? 'all' : 'off' });
const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
const KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'tokens'];
for (let i = 0; i < Number(process.env.N ?? 3); i++) {
  const t = performance.now(); let n = 0;
  if (mode === 'list') { for await (const page of listRuns(client, `${server.entity}/large`, { perPage: 500 }).pages()) n += page.length; }
  else for await (const row of scanHistory(client, `${server.entity}/history-bench/big`, { keys: KEYS, pageSize: 1000, maxStep: rows })) if (row._step !== undefined) n++;
  console.log(mode, n, (performance.now() - t).toFixed(0), 'ms', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'MB');
}
await server.stop();
