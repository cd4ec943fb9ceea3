/**
 * The run lifecycle as W&B does it: updateRunState answers an illegal transition with a GraphQL
 * error, the feature is advertised, wandb.init takes over a pending run, and project names with
 * spaces are accepted and percent-encoded in the links the server builds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { basicAuth, gql, operation } from './helpers';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ seed: 'empty' });
});
afterAll(() => server.stop());

const UPDATE_STATE = operation('UpdateRunState');
const CREATE_FILES = operation('CreateRunFiles');
const UPSERT_RUN = operation('UpsertRun');
// What wandb-core sends when wandb.init starts a run: by name, never by id.
const INIT_UPSERT = `mutation ($name: String, $project: String, $entity: String) {
  upsertBucket(input: { name: $name, modelName: $project, entityName: $entity }) { bucket { name state } }
}`;
const runId = (project: string, name: string) => Buffer.from(`Run:v1:${name}:${project}:${server.entity}`).toString('base64');
const stateOf = (project: string, name: string) =>
  server.store.runs.byName(server.store.projects.byName(server.store.entities.byName(server.entity)!.id, project)!.id, name)!.state;

describe('updateRunState', () => {
  it('moves a run as W&B allows and answers an illegal transition with an "invalid state transition" error', async () => {
    server.store.createRun({ entity: server.entity, project: 'life', name: 'r-running', state: 'running' });
    server.store.createRun({ entity: server.entity, project: 'life', name: 'r-finished', state: 'finished' });
    server.store.createRun({ entity: server.entity, project: 'life', name: 'r-swept', state: 'running', sweep: 'abc' });

    const ok = await gql(server, UPDATE_STATE, { input: { id: runId('life', 'r-running'), state: 'failed' } });
    expect(ok.body).toEqual({ data: { updateRunState: { success: true } } });
    expect(stateOf('life', 'r-running')).toBe('failed');

    const illegal = await gql(server, UPDATE_STATE, { input: { id: runId('life', 'r-finished'), state: 'pending' } });
    expect(illegal.status).toBe(400);
    expect(illegal.body.data).toBeNull();
    expect(illegal.body.errors?.[0]?.message).toMatch(/^invalid state transition for run r-finished: finished -> pending \(allowed: to pending from running/);
    expect(illegal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stateOf('life', 'r-finished')).toBe('finished');

    const swept = await gql(server, UPDATE_STATE, { input: { id: runId('life', 'r-swept'), state: 'failed' } });
    expect(swept.body.errors?.[0]?.message).toMatch(/invalid state transition.*sweep runs cannot change state/);
    const unknown = await gql(server, UPDATE_STATE, { input: { id: runId('life', 'r-running'), state: 'exploded' } });
    expect(unknown.body.errors?.[0]?.message).toMatch(/invalid state transition/);
  });

  it('is advertised, with the other features the server implements; turned off, the mutation is refused', async () => {
    const features = (await gql(server, operation('ServerFeatures'))).body.data.serverInfo.features;
    for (const name of ['UPDATE_RUN_STATE', 'SWEEPS_LOCAL_SCHEDULER', 'FILESTREAM_GZIP']) expect(features).toContainEqual({ name, isEnabled: true });
    const old = await startServer({ seed: 'empty', features: { UPDATE_RUN_STATE: false } });
    try {
      old.store.createRun({ entity: old.entity, project: 'p', name: 'r', state: 'running' });
      const id = Buffer.from(`Run:v1:r:p:${old.entity}`).toString('base64');
      const refused = await gql(old, UPDATE_STATE, { input: { id, state: 'failed' } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.message).toMatch(/UPDATE_RUN_STATE/);
    } finally {
      await old.stop();
    }
  });
});

describe('a pending run', () => {
  it('starts when a process upserts it by name (wandb.init); an upsert by id (Run.update) leaves the state alone', async () => {
    server.store.createRun({ entity: server.entity, project: 'life', name: 'queued-1', state: 'pending' });
    server.store.createRun({ entity: server.entity, project: 'life', name: 'queued-2', state: 'pending' });
    await gql(server, UPSERT_RUN, { input: { id: runId('life', 'queued-1'), notes: 'edited' } });
    expect(stateOf('life', 'queued-1')).toBe('pending');
    await gql(server, INIT_UPSERT, { name: 'queued-2', project: 'life', entity: server.entity });
    expect(stateOf('life', 'queued-2')).toBe('running');
  });
});

describe('project names with spaces', () => {
  it('are accepted (wandb.init(project="my project")) and percent-encoded in file URLs; / and : are still refused', async () => {
    const created = await gql(server, INIT_UPSERT, { name: 'spaced', project: 'my project', entity: server.entity });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const files = await gql(server, CREATE_FILES, { entity: server.entity, project: 'my project', run: 'spaced', files: ['a b.txt'] });
    const uploadUrl = files.body.data.createRunFiles.files[0].uploadUrl as string;
    expect(new URL(uploadUrl).pathname).toBe(`/upload/${server.entity}/my%20project/spaced/a%20b.txt`);
    const put = await fetch(uploadUrl, { method: 'PUT', body: 'hello', headers: { 'Content-Type': 'application/octet-stream' } });
    expect(put.status).toBe(200);
    const file = await gql(server, '{ project(entityName: "demo", name: "my project") { run(name: "spaced") { files { edges { node { name url } } } } } }');
    const node = file.body.data.project.run.files.edges[0].node;
    expect(node.name).toBe('a b.txt');
    expect(new URL(node.url).pathname).toBe(`/files/${server.entity}/my%20project/spaced/a%20b.txt`);
    const fetched = await fetch(node.url, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(await fetched.text()).toBe('hello');

    const stream = await fetch(`${server.url}/files/${server.entity}/my%20project/spaced/file_stream`, {
      method: 'POST',
      headers: { Authorization: basicAuth(server.apiKey), 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step": 0, "loss": 1}'] } } }),
    });
    expect(stream.status).toBe(200);

    for (const bad of ['a/b', 'a:b', 'a#b', 'tab\there']) {
      const refused = await gql(server, INIT_UPSERT, { name: 'x', project: bad, entity: server.entity });
      expect(refused.status, bad).toBe(400);
    }
  });
});
