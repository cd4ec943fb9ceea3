import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql, operation, selecting } from './helpers';

let server: LocalServer;
let bobKey: string;

beforeAll(async () => {
  server = await startServer();
  bobKey = server.store.createUser({ username: 'bob' }).apiKey;
});
afterAll(() => server.stop());

const RUN = operation('Run');
// With `inserted`, which Python reads (our clients do not).
const UPSERT_RUN = selecting(operation('UpsertRun'), 'upsertBucket(input: $input) {', 'inserted');
const CREATE_PROJECT = selecting(operation('CreateProject'), 'upsertModel(input: $input) {', 'inserted');

describe('upsertModel (CreateProject)', () => {
  it('creates, then updates, a project', async () => {
    const created = await gql(server, CREATE_PROJECT, { input: { name: 'proj-a', description: 'first', entityName: 'demo' } });
    expect(created.status).toBe(200);
    const p = created.body.data.upsertModel;
    expect(p.inserted).toBe(true);
    expect(p.project).toMatchObject({ name: 'proj-a', entityName: 'demo', description: 'first', access: 'PRIVATE', isBenchmark: false, readOnly: false, user: { username: 'demo' } });
    // id is base64 "Project:<n>", internalId base64 "ProjectInternalId:<n>" (the same n), as W&B sends them.
    const n = /^Project:(\d+)$/.exec(Buffer.from(p.project.id, 'base64').toString())?.[1];
    expect(n).toBeDefined();
    expect(Buffer.from(p.project.internalId, 'base64').toString()).toBe(`ProjectInternalId:${n}`);

    const updated = await gql(server, CREATE_PROJECT, { input: { name: 'proj-a', description: 'second' } });
    expect(updated.body.data.upsertModel.inserted).toBe(false);
    expect(updated.body.data.upsertModel.project).toMatchObject({ id: p.project.id, description: 'second' });

    const byId = await gql(server, 'mutation($i: UpsertModelInput!) { upsertModel(input: $i) { inserted entityName project { access } model { name } } }', { i: { id: p.project.id, access: 'PUBLIC' } });
    expect(byId.body.data.upsertModel).toEqual({ inserted: false, entityName: 'demo', project: { access: 'PUBLIC' }, model: { name: 'proj-a' } });
  });

  it('refuses non-members with 403 and bad input with 400', async () => {
    const denied = await gql(server, CREATE_PROJECT, { input: { name: 'x', entityName: 'demo' } }, { apiKey: bobKey });
    expect(denied.status).toBe(403);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noName = await gql(server, CREATE_PROJECT, { input: { entityName: 'demo' } });
    expect(noName.status).toBe(400);
    expect(noName.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badName = await gql(server, CREATE_PROJECT, { input: { name: 'a/b' } });
    expect(badName.status).toBe(400);
  });
});

describe('upsertBucket (UpsertRun)', () => {
  it('creates a run (and its project), then updates it by storage id', async () => {
    const config = JSON.stringify({ lr: { value: 0.1, desc: null }, _wandb: { value: { cli_version: '0.28.3' }, desc: null } });
    const created = await gql(server, UPSERT_RUN, {
      input: { name: 'run-1', modelName: 'new-proj', displayName: 'first', config, summaryMetrics: '{"loss": 1, "acc": 0.5}', tags: ['a', 'b'], groupName: 'g', jobType: 'train', host: 'h', commit: 'abc', sweep: 'sw1', notes: 'n' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { inserted, bucket } = created.body.data.upsertBucket;
    expect(inserted).toBe(true);
    expect(bucket).toMatchObject({
      name: 'run-1', displayName: 'first', state: 'running', tags: ['a', 'b'], group: 'g', jobType: 'train', host: 'h', commit: 'abc', sweepName: 'sw1', notes: 'n',
      config, summaryMetrics: '{"loss": 1, "acc": 0.5}', systemMetrics: '{}', historyLineCount: 0, historyKeys: { keys: {}, lastStep: -1 },
      project: { name: 'new-proj', entityName: 'demo' }, user: { username: 'demo' }, readOnly: false,
    });
    expect(Buffer.from(bucket.id, 'base64').toString()).toBe('Run:v1:run-1:new-proj:demo');

    const updated = await gql(server, UPSERT_RUN, { input: { id: bucket.id, summaryMetrics: '{"loss": 0.25}', tags: ['c'], state: 'finished' } });
    expect(updated.body.data.upsertBucket.inserted).toBe(false);
    // summaryMetrics replaces the whole summary; untouched fields stay.
    expect(updated.body.data.upsertBucket.bucket).toMatchObject({ id: bucket.id, summaryMetrics: '{"loss": 0.25}', tags: ['c'], state: 'finished', displayName: 'first', config });

    const fetched = await gql(server, RUN, { project: 'new-proj', entity: 'demo', name: 'run-1' });
    expect(fetched.body.data.project.run).toMatchObject({ summaryMetrics: '{"loss": 0.25}', state: 'finished', projectId: fetched.body.data.project.run.projectId });
  });

  it('upserts by name and generates an 8-char id when none is given', async () => {
    const again = await gql(server, UPSERT_RUN, { input: { name: 'run-1', modelName: 'new-proj', notes: 'm' } });
    expect(again.body.data.upsertBucket).toMatchObject({ inserted: false, bucket: { name: 'run-1', notes: 'm' } });
    const anon = await gql(server, UPSERT_RUN, { input: {} });
    expect(anon.body.data.upsertBucket.inserted).toBe(true);
    expect(anon.body.data.upsertBucket.bucket.name).toMatch(/^[a-z0-9]{8}$/);
    expect(anon.body.data.upsertBucket.bucket.project).toEqual({ name: 'uncategorized', entityName: 'demo' });
  });

  it('keeps NaN and Infinity in summary text exactly, and filters treat them as null', async () => {
    const summary = '{"a": NaN, "b": Infinity, "c": -Infinity, "d": 1.5, "s": "x"}';
    const created = await gql(server, UPSERT_RUN, { input: { name: 'nan-run', modelName: 'nan', summaryMetrics: summary } });
    expect(created.status).toBe(200);
    const fetched = await gql(server, RUN, { project: 'nan', entity: 'demo', name: 'nan-run' });
    expect(fetched.body.data.project.run.summaryMetrics).toBe(summary);
    const picked = await gql(server, '{ project(name: "nan", entityName: "demo") { run(name: "nan-run") { summaryMetrics(keys: ["a", "c", "zz"]) } } }');
    expect(picked.body.data.project.run.summaryMetrics).toBe('{"a":NaN,"c":-Infinity}');
    const count = (filters: unknown) =>
      gql(server, 'query($f: JSONString) { project(name: "nan", entityName: "demo") { runCount(filters: $f) } }', { f: JSON.stringify(filters) }).then((r) => r.body.data.project.runCount);
    expect(await count({ 'summary_metrics.d': 1.5 })).toBe(1);
    expect(await count({ 'summary_metrics.a': null })).toBe(1);
    expect(await count({ 'summary_metrics.b': { $gt: 0 } })).toBe(0);
  });

  it('rejects bad input with 400, other entities with 403', async () => {
    const cases = [
      { input: { name: 'bad', config: '[1]' } },
      { input: { name: 'bad', summaryMetrics: 'not json' } },
      { input: { id: 'nope' } },
      { input: { id: Buffer.from('Run:v1:ghost:new-proj:demo').toString('base64') } },
      { input: { name: 'x', entityName: 'ghost' } },
    ];
    for (const vars of cases) {
      const r = await gql(server, UPSERT_RUN, vars);
      expect(r.status, JSON.stringify(vars)).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const denied = await gql(server, UPSERT_RUN, { input: { name: 'x', modelName: 'new-proj', entityName: 'demo' } }, { apiKey: bobKey });
    expect(denied.status).toBe(403);
  });
});

describe('store helpers', () => {
  it('store.createRun wraps config and keeps _wandb', async () => {
    server.store.createRun({ entity: 'demo', project: 'helpers', name: 'h1', config: { lr: 0.1, _wandb: { cli_version: '0.28.3' } }, history: [{ loss: 1 }, { loss: NaN }] });
    const r = await gql(server, RUN, { project: 'helpers', entity: 'demo', name: 'h1' });
    const run = r.body.data.project.run;
    expect(JSON.parse(run.config)).toEqual({ lr: { value: 0.1, desc: null }, _wandb: { value: { cli_version: '0.28.3' }, desc: null } });
    expect(run.historyLineCount).toBe(2);
    expect(run.historyKeys).toEqual({ keys: { loss: { typeCounts: [{ type: 'number', count: 2 }], previousValue: null }, _step: { typeCounts: [{ type: 'number', count: 2 }], previousValue: 1 } }, lastStep: 1 });
    expect(run.state).toBe('finished');
  });
});
