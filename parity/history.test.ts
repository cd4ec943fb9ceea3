// Parity of run history: Run.history (server-sampled; asked for more samples than rows so both
// sides see every row) and Run.scan_history (every row, step windows), on a demo run, a 10k-step
// run with sparse keys and NaN/±Infinity, and a run whose steps start at 100 with gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, HistoryRow } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  // Steps 100, 103, … 397: not starting at 0, with gaps; val_loss every 10th row; acc on odd rows.
  const history = Array.from({ length: 100 }, (_, i) => ({
    _step: 100 + 3 * i,
    _runtime: i,
    _timestamp: 1_740_000_000 + i,
    loss: i === 42 ? NaN : Number((2 / (i + 1)).toFixed(6)),
    ...(i % 10 === 0 ? { val_loss: Number((2.2 / (i + 1)).toFixed(6)) } : {}),
    ...(i % 2 === 1 ? { acc: i / 100 } : {}),
  }));
  p.server.store.createRun({ entity: 'demo', project: 'parity-history', name: 'gappy', history });
});
afterAll(() => p?.stop());

async function collect(rows: AsyncIterable<HistoryRow>): Promise<HistoryRow[]> {
  const out: HistoryRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('history', () => {
  it('history and scan_history give the same rows (keys, sparse keys, steps not from 0, windows)', async () => {
    const [demoRun] = (await api.runs('demo/mnist-classifier', { lazy: true, perPage: 1 })).items;
    const runs = [`demo/mnist-classifier/${demoRun!.id}`, 'demo/long-history/long1', 'demo/parity-history/gappy'];
    const py = (await p.python('history', { runs })) as Record<string, Record<string, unknown>>;
    for (const path of runs) {
      const run = await api.run(path);
      const ours = {
        last_step: run.lastHistoryStep,
        history: await attempt(() => run.history({ samples: 100_000 })),
        history_keys: await attempt(() => run.history({ samples: 100_000, keys: ['loss'] })),
        history_system: await attempt(() => run.history({ samples: 100_000, stream: 'system' })),
        scan: await attempt(() => collect(run.scanHistory())),
        scan_keys: await attempt(() => collect(run.scanHistory({ keys: ['val_loss'] }))),
        scan_two_keys: await attempt(() => collect(run.scanHistory({ keys: ['loss', 'val_loss'], pageSize: 37 }))),
        scan_window: await attempt(() => collect(run.scanHistory({ minStep: 5, maxStep: 250, pageSize: 50 }))),
      };
      for (const [key, value] of Object.entries(normalize(ours) as Record<string, unknown>)) {
        expect(py[path]![key], `${path} ${key}`).toEqual(value);
      }
    }
  });

  it('NaN in sampled rows reaches Python (strict JSON on the wire) and stays a number for us', async () => {
    // The server sends non-finite numbers inside JSON values as "NaN" strings: wandb-core decodes
    // answers with Go's strict JSON decoder, which rejects bare tokens. Python shows the string;
    // our client turns it back into NaN (the normalised comparison above treats both as "NaN").
    const path = 'demo/parity-history/gappy';
    const py = (await p.python('history', { runs: [path] })) as Record<string, Record<string, unknown>>;
    expect(JSON.stringify(py[path]!.history_keys)).toContain('NaN');
    const rows = await (await api.run(path)).history({ samples: 100_000, keys: ['loss'] });
    expect(rows.some((row) => Number.isNaN(row.loss))).toBe(true);
  });
});
