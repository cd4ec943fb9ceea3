// History on the wire: what W&B's own clients parse (bare NaN/Infinity inside history line strings, "NaN" strings in JSON values, inclusive sampledHistory maxStep).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { parseLenient } from '../src/store/json';
import { basicAuth, gql, operation } from './helpers';

let server: LocalServer;

const ROWS = Array.from({ length: 20 }, (_, step) => ({ _step: step, loss: step === 3 ? NaN : step === 4 ? -Infinity : step / 10, ...(step % 5 === 0 ? { val: step } : {}) }));

beforeAll(async () => {
  server = await startServer({ port: 0, memory: true });
  server.store.createRun({ entity: server.entity, project: 'p', name: 'r', history: ROWS, events: [{ 'system.cpu': 1 }, { 'system.cpu': 2 }] });
});
afterAll(() => server.stop());

/** The raw response text (res.json() would reject the bare tokens W&B sends). */
async function raw(name: string, variables: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(server.apiKey) },
    body: JSON.stringify({ query: operation(name), variables: { entity: server.entity, project: 'p', name: 'r', ...variables } }),
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe('history fields', () => {
  it('history: JSON lines with bare tokens, minStep ≤ _step < maxStep', async () => {
    const body = JSON.parse(await raw('RunHistory', { minStep: 2, maxStep: 5 })) as { data: { project: { run: { history: string[] } } } };
    expect(body.data.project.run.history).toEqual(['{"_step":2,"loss":0.2}', '{"_step":3,"loss":NaN}', '{"_step":4,"loss":-Infinity}']);
  });

  it('sampledHistory: bare tokens in the JSON values, inclusive maxStep, only rows with every key', async () => {
    const spec = (s: object) => JSON.stringify(s);
    const text = await raw('RunSampledHistory', { specs: [spec({ keys: ['_step', 'loss'], minStep: 3, maxStep: 4, samples: 10 }), spec({ keys: ['val'], samples: 2 })] });
    expect(text).toContain('[{"_step":3,"loss":"NaN"},{"_step":4,"loss":"-Infinity"}]');
    expect(() => JSON.parse(text)).not.toThrow(); // strict JSON, as wandb-core's Go decoder needs
    const lists = (parseLenient(text) as { data: { project: { run: { sampledHistory: unknown[][] } } } }).data.project.run.sampledHistory;
    expect(lists[1]).toEqual([{ val: 0 }, { val: 15 }]); // sampled to 2: first and last kept
  });

  it('a bad spec is a 400, events give the system stream, historyKeys follow the rows', async () => {
    const bad = await gql(server, operation('RunSampledHistory'), { entity: server.entity, project: 'p', name: 'r', specs: ['{"keys": "val"}'] });
    expect(bad.status).toBe(400);
    // No keys at all (W&B's sweep agent sends "{}"): an empty sample, not an error.
    const none = await gql(server, operation('RunSampledHistory'), { entity: server.entity, project: 'p', name: 'r', specs: ['{"samples": 3}'] });
    expect(none.body.data.project.run.sampledHistory).toEqual([[]]);
    const events = await gql(server, operation('RunEvents'), { entity: server.entity, project: 'p', name: 'r' });
    expect(events.body.data.project.run.events).toEqual(['{"system.cpu":1}', '{"system.cpu":2}']);
    const keys = await gql(server, operation('RunHistoryKeys'), { entity: server.entity, project: 'p', name: 'r' });
    expect(keys.body.data.project.run.historyKeys.lastStep).toBe(19);
    expect(keys.body.data.project.run.historyKeys.keys.val.typeCounts).toEqual([{ type: 'number', count: 4 }]);
  });

  it('parquetHistory: no exported files yet, every row is live data with the asked keys', async () => {
    const r = await gql(server, '{ project(name: "p", entityName: "demo") { run(name: "r") { parquetHistory(liveKeys: ["_step", "val"]) { parquetUrls liveData } } } }');
    const { parquetUrls, liveData } = r.body.data.project.run.parquetHistory;
    expect(parquetUrls).toEqual([]);
    expect(liveData).toHaveLength(20);
    expect(liveData.slice(0, 2)).toEqual([{ _step: 0, val: 0 }, { _step: 1 }]);
  });
});
