// The facade's run writes and helpers: Run#update/save/delete/updateState/stop/waitUntilFinished/consoleLogs,
// Api#runHistories and Api#runsToRows — each delegating to @wandb-api/runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, NotFoundError, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
const P = 'facade-writes';
const path = (name: string) => `${server.entity}/${P}/${name}`;

beforeAll(async () => {
  server = await startTestServer();
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
  for (const [i, name] of ['a', 'b', 'c'].entries()) {
    const run = server.store.createRun({
      entity: server.entity,
      project: P,
      name,
      state: 'running',
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      config: { lr: i, _wandb: { x: 1 } },
      summary: { loss: i },
      history: [{ loss: i }, { loss: i / 2 }],
    });
    server.store.addLogLines(run.internalId, [{ line: `hello ${name}` }, { line: 'oops', stream: 'stderr' }]);
  }
});
afterAll(() => server.stop());

describe('Run writes', () => {
  it('update() sends the changes and refreshes the object; save() is an alias', async () => {
    const run = await api.run(path('a'));
    server.clearRequests();
    const same = await run.update({ tags: ['best'], config: { lr: 0.5 }, summary: { ...run.summary, acc: 1 } });
    expect(same).toBe(run);
    expect(run.tags).toEqual(['best']);
    expect(run.config).toEqual({ lr: 0.5 });
    expect(run.rawConfig._wandb).toEqual({ x: 1 });
    expect(run.summary).toEqual({ loss: 0, acc: 1 });
    expect(requestsFor(server, 'UpsertRun')).toHaveLength(2);
    await run.save({ notes: 'saved' });
    expect((await api.run(path('a'))).notes).toBe('saved');
    await expect(run.update({ bogus: 1 } as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('updateState() sets the local state when the server allows it; stop(); waitUntilFinished()', async () => {
    const run = await api.run(path('b'));
    expect(await run.updateState('failed')).toBe(true);
    expect(run.state).toBe('failed');
    expect(await run.waitUntilFinished({ pollMs: 10 })).toBe('failed');
    expect(await run.stop()).toBe(true);
  });

  it('consoleLogs() and delete()', async () => {
    const run = await api.run(path('c'));
    const lines = [];
    for await (const line of run.consoleLogs({ perPage: 1 })) lines.push([line.level, line.content]);
    expect(lines).toEqual([
      ['', 'hello c'],
      ['error', 'oops'],
    ]);
    await run.delete();
    await expect(api.run(path('c'))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('Api helpers over many runs', () => {
  it('runHistories(path) tags rows with runId; runsToRows(path) gives one row per run', async () => {
    const rows = await api.runHistories(`${server.entity}/${P}`, { filters: { name: { $in: ['a', 'b'] } } });
    expect(rows.map((r) => [r.runId, r.loss])).toEqual([
      ['a', 0],
      ['a', 0],
      ['b', 1],
      ['b', 0.5],
    ]);
    server.clearRequests();
    const table = await api.runsToRows(`${server.entity}/${P}`, { columns: ['id', 'config.lr'] });
    expect(table).toEqual([
      { id: 'a', 'config.lr': 0.5 },
      { id: 'b', 'config.lr': 1 },
    ]);
    expect(requestsFor(server, 'Runs')).toHaveLength(1);
  });
});
