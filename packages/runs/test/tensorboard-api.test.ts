// Api#syncTensorboard (the facade) delegates to @wandb-api/runs' Node-only syncTensorboard; the run
// it creates is then read back with the Python-shaped Run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer } from '../../../test/support.js';
import { writeEventsFile } from './tensorboard-support.js';

let server: LocalServer;
let api: Api;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
  dir = mkdtempSync(join(tmpdir(), 'wandb-api-tb-facade-'));
  writeEventsFile(
    join(dir, 'events.out.tfevents.1.host'),
    [0, 1, 2].map((step) => ({ wallTime: 1_700_000_000 + step, step, values: [{ tag: 'loss', simple: 1 / (step + 1) }] })),
  );
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Api#syncTensorboard', () => {
  it('syncs a folder into a run that api.run() reads back', async () => {
    const result = await api.syncTensorboard(dir, { project: 'tb', runId: 'facade' });
    expect(result).toMatchObject({ entity: server.entity, project: 'tb', runId: 'facade', rows: 3, issues: [] });
    const run = await api.run(`${server.entity}/tb/facade`);
    expect(run.state).toBe('finished');
    const rows = [];
    for await (const row of run.scanHistory()) rows.push([row._step, row.global_step, row.loss]);
    expect(rows).toEqual([
      [0, 0, 1],
      [1, 1, 0.5],
      [2, 2, Math.fround(1 / 3)],
    ]);
  });

  it('rejects bad input with a ValidationError', async () => {
    await expect(api.syncTensorboard('')).rejects.toBeInstanceOf(ValidationError);
  });
});
