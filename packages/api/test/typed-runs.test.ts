// The facade's typed runs: api.runs/api.run/run.load/sweep.runs/sweep.bestRun pass the order check
// and the validators through to @wandb-api/runs; runsToRows keeps the columns asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type RunOrder, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { requestsDuring, startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
const P = 'demo/mnist-classifier';

interface Summary {
  accuracy: number;
  loss: number;
}
const parseSummary = (value: unknown): Summary => {
  const { accuracy, loss } = value as Summary;
  if (typeof accuracy !== 'number' || typeof loss !== 'number') throw new TypeError('accuracy and loss must be numbers');
  return { accuracy, loss };
};

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
});
afterAll(() => server.stop());

describe('typed runs through the facade', () => {
  it("'accuracy desc' is a ValidationError before any request (count included)", async () => {
    const order = 'accuracy desc' as RunOrder;
    expect(() => api.runs(P, { order })).toThrow(ValidationError);
    expect(await requestsDuring(server, () => api.runs(P, { order, lazy: true }).count())).toBe(0);
  });

  it('validators type and check config and summary on api.runs, api.run, run.load and the sweep', async () => {
    const runs = await api.runs(P, { filters: { state: 'finished' }, order: '-summary_metrics.accuracy', perPage: 5, validate: { summary: parseSummary } }).toArray({ limit: 5 });
    expect(runs.map((r) => Object.keys(r.summary).sort().join())).toEqual(Array(5).fill('accuracy,loss'));
    const top = runs[0]!;
    expect(top.summary.accuracy * 100).toBeGreaterThan(runs[4]!.summary.accuracy * 100);
    expect((await api.run(top.path.join('/'), { validate: { summary: parseSummary } })).summary).toEqual(top.summary);
    const [light] = await api.runs(P, { lazy: true, perPage: 1 }).toArray({ limit: 1 });
    expect(Object.keys((await light!.load({ validate: { summary: parseSummary } })).summary).sort()).toEqual(['accuracy', 'loss']);
    const sweep = await api.sweep(`${P}/k3x9q2ab`);
    const best = await sweep.bestRun({ validate: { summary: parseSummary } });
    expect(Object.keys(best?.summary ?? {}).sort()).toEqual(['accuracy', 'loss']);
    expect((await sweep.runs({ perPage: 10, validate: { summary: parseSummary } }).toArray()).length).toBe(30);
    await expect(api.run(top.path.join('/'), { validate: { config: () => { throw new Error('no'); } } })).rejects.toBeInstanceOf(ValidationError);
  });

  it('runsToRows gives the columns asked for, typed by the config and summary types', async () => {
    const rows = await api.runsToRows<{ lr: number }, Summary>(P, { filters: { state: 'crashed' }, columns: ['id', 'config.lr', 'summary.accuracy'] });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'config.lr', 'summary.accuracy']);
      expect(typeof row['config.lr']).toBe('number');
    }
  });
});
