// Parity, typed runs: filters and orders written against config and summary types
// (`api.runs<Config, Summary>`) send what Python sends for the same dicts, and select the same runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type RunFilter, type RunOrder } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';

/** The config the demo seed gives demo/mnist-classifier runs. */
interface MnistConfig {
  lr: number;
  batch_size: 16 | 32 | 64 | 128;
  epochs: number;
  optimizer: { name: 'adam' | 'sgd' | 'adamw'; momentum: number | null };
  model: { layers: number; dropout: number };
}

/** Its summary. */
interface MnistSummary {
  loss: number;
  accuracy: number;
  val_loss: number;
  grad_norm?: number;
  _step: number;
}

type Filter = RunFilter<MnistConfig, MnistSummary>;
type Order = RunOrder<MnistConfig, MnistSummary>;

const PATH = 'demo/mnist-classifier';
const CASES: { filters: Filter; order?: Order }[] = [
  { filters: { 'config.optimizer.name': 'adam', state: 'finished' }, order: '-summary_metrics.accuracy' },
  { filters: { 'config.lr': { $lt: 0.001 }, 'config.batch_size': { $in: [32, 64] } }, order: '+config.lr' },
  { filters: { 'config.optimizer.value.name': { $ne: 'sgd' }, 'config.model.layers': { $gte: 8 } }, order: '-config.model.value.layers' },
  { filters: { 'summary_metrics.accuracy': { $gt: 0.95 }, 'summary_metrics.loss': { $lte: 0.2 } }, order: '+summary_metrics.loss' },
  { filters: { $or: [{ state: 'crashed' }, { state: { $in: ['failed', 'killed'] } }], tags: { $nin: ['baseline'] } }, order: '-created_at' },
  { filters: { $nor: [{ jobType: 'train' }], 'config.optimizer.momentum': { $exists: true } }, order: '+heartbeat_at' },
  { filters: { displayName: { $regex: '^(brave|calm)' }, createdAt: { $gte: '2025-01-20T00:00:00' } }, order: '+display_name' },
  { filters: { $and: [{ 'summary_metrics.grad_norm': { $exists: false } }, { 'config.model.dropout': 0.5 }] } },
];

let p: Parity;
/** The filters (JSON text) and order of each first-page Runs query our Api sent. */
let sent: { filters: unknown; order: unknown }[] = [];

beforeAll(async () => {
  p = await startParity('demo');
});
afterAll(() => p?.stop());

describe('typed runs', () => {
  it('typed filters and orders: the same JSON as Python sends, the same runs, and typed config and summary', async () => {
    // Our Api through a fetch that notes the variables of each Runs query it forwards.
    const api = new Api({
      baseUrl: p.server.url,
      apiKey: p.server.apiKey,
      env: { NETRC: '/nonexistent/netrc' },
      fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { operationName?: string; variables?: Record<string, unknown> }) : {};
        if (body.operationName === 'Runs' && !body.variables?.cursor) sent.push({ filters: body.variables?.filters, order: body.variables?.order });
        return fetch(input, init);
      },
    });
    const py = (await p.python('runs_typed', { cases: CASES.map((c) => ({ path: PATH, ...c })) })) as unknown[];
    expect(py).toHaveLength(CASES.length);
    for (const [i, c] of CASES.entries()) {
      sent = [];
      const ours = await attempt(async () => {
        const runs = api.runs<MnistConfig, MnistSummary>(PATH, { filters: c.filters, ...(c.order ? { order: c.order } : {}) });
        const rows = [];
        // Typed: no casts, `run.summary.accuracy` is a number and `run.config.optimizer.name` a union.
        for await (const run of runs) rows.push({ id: run.id, lr: run.config.lr, optimizer: run.config.optimizer.name, accuracy: run.summary.accuracy });
        return { count: await runs.count(), rows, sent: sent[0] };
      });
      expect(py[i], JSON.stringify(c)).toEqual(normalize(ours));
      expect((ours as { ok: { rows: unknown[] } }).ok.rows.length, `${JSON.stringify(c)} should match some runs`).toBeGreaterThan(0);
    }
  });
});
