import { createClient } from '@wandb-api/core';
import { scanHistory } from '@wandb-api/runs';
import { startBenchServer } from './server.js';
const server = await startBenchServer({ port: 0, memory: true, seed: { historyRows: 1_000_000 } });
const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
const KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'tokens'];
const gc = (globalThis as { gc?: () => void }).gc!;
const mem = (l: string) => { gc(); const m = process.memoryUsage(); console.log(l, 'heapUsed', (m.heapUsed / 2 ** 20).toFixed(1), 'heapTotal', (m.heapTotal / 2 ** 20).toFixed(1), 'rss', (m.rss / 2 ** 20).toFixed(0), 'ext', (m.external / 2**20).toFixed(1), 'ab', (m.arrayBuffers/2**20).toFixed(1)); };
for (const rows of [100_000, 1_000_000, 1_000_000]) {
  mem('before');
  let peak = 0; const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  let n = 0; for await (const row of scanHistory(client, `${server.entity}/history-bench/big`, { keys: KEYS, pageSize: 1000, maxStep: rows, ...(process.env.C ? { concurrency: Number(process.env.C) } : {}) })) if (row._step !== undefined) n++;
  clearInterval(t);
  console.log(rows, 'peak rss', (peak / 2 ** 20).toFixed(0));
  mem('after');
}
await server.stop();
