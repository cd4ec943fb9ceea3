// The public seeding API: `server.seed` in the server's process and `connectSeeder` over HTTP give
// the same data, read back here the way clients read it (GraphQL, file URLs).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, type Seeder, connectSeeder, startServer } from '../src/index';
import { parseLenient } from '../src/store/json';
import { basicAuth, gql } from './helpers';

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ seed: 'empty' });
});
afterAll(async () => {
  await server.stop();
});

const RUN = `query ($entity: String!, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      name displayName state tags group jobType config summaryMetrics history
      files { edges { node { name sizeBytes md5 url } } }
    }
  }
}`;

const ARTIFACT = `query ($entity: String!, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    artifactCollectionMembership(name: $name) {
      versionIndex
      aliases { alias }
      artifact { digest description createdBy { ... on Run { name } } }
      files { edges { node { name sizeBytes url } } }
    }
  }
}`;

async function fileBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url, { headers: { Authorization: basicAuth(server.apiKey) } });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

const md5Base64 = (bytes: Uint8Array | string) => createHash('md5').update(bytes).digest('base64');

describe.each([
  ['server.seed', () => server.seed],
  ['connectSeeder (HTTP)', () => connectSeeder({ url: server.url, apiKey: server.apiKey })],
] as const)('%s', (_label, seeder: () => Seeder) => {
  it('makes a run with config, summary (default: the last value of each key), history and files', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const run = await seeder().run({
      displayName: 'baseline',
      config: { lr: 0.01, optimizer: { name: 'adam' } },
      history: [{ loss: 1, acc: 0.5 }, { loss: 0.25 }, { loss: Number.NaN, lr_now: Number.POSITIVE_INFINITY }],
      tags: ['a', 'b'],
      group: 'g',
      jobType: 'train',
      files: { 'notes/readme.txt': 'héllo', 'model.bin': bytes },
    });
    expect(run.entity).toBe(server.entity);
    expect(run.project).toMatch(/^project-[0-9a-f]{8}$/);
    expect(run.id).toMatch(/^[a-z0-9]{8}$/);
    expect(run.path).toBe(`${run.entity}/${run.project}/${run.id}`);

    const { body } = await gql(server, RUN, { entity: run.entity, project: run.project, name: run.id });
    const data = body.data.project.run;
    expect(data).toMatchObject({ name: run.id, displayName: 'baseline', state: 'finished', tags: ['a', 'b'], group: 'g', jobType: 'train' });
    expect(JSON.parse(data.config)).toEqual({ lr: { value: 0.01, desc: null }, optimizer: { value: { name: 'adam' }, desc: null } });
    const summary = parseLenient(data.summaryMetrics) as Record<string, number>;
    expect(summary).toMatchObject({ acc: 0.5, lr_now: Number.POSITIVE_INFINITY, _step: 2 });
    expect(summary.loss).toBeNaN();
    expect((data.history as string[]).map((row) => (parseLenient(row) as { _step: number })._step)).toEqual([0, 1, 2]);

    const files = Object.fromEntries((data.files.edges as { node: { name: string; sizeBytes: number; md5: string; url: string } }[]).map((e) => [e.node.name, e.node]));
    expect(Object.keys(files).sort()).toEqual(['model.bin', 'notes/readme.txt']);
    expect(files['model.bin']).toMatchObject({ sizeBytes: 5, md5: md5Base64(bytes) });
    expect(await fileBytes(files['model.bin']!.url)).toEqual(bytes);
    expect(new TextDecoder().decode(await fileBytes(files['notes/readme.txt']!.url))).toBe('héllo');
  });

  it('keeps a given summary, id and project, and puts each run without a project in a new one', async () => {
    const project = await seeder().project({ description: 'mine' });
    expect(project.path).toBe(`${server.entity}/${project.name}`);
    const run = await seeder().run({ project: project.name, id: 'fixed-id', summary: { best: 0.9 }, history: [{ best: 0.1 }], state: 'running' });
    expect(run.path).toBe(`${project.path}/fixed-id`);
    const { body } = await gql(server, RUN, { entity: run.entity, project: run.project, name: 'fixed-id' });
    expect(body.data.project.run.state).toBe('running');
    expect(JSON.parse(body.data.project.run.summaryMetrics)).toEqual({ best: 0.9 });
    const [a, b] = [await seeder().run(), await seeder().run()];
    expect(a.project).not.toBe(b.project);
  });

  it('makes an artifact version with its files, aliases and the run that logged it', async () => {
    const { name: project } = await seeder().project();
    const run = await seeder().run({ project });
    const input = { project, type: 'dataset', name: 'mnist', files: { 'train.csv': 'a,b\n1,2\n' }, aliases: ['best'], description: 'd', loggedBy: run.id };
    const first = await seeder().artifact(input);
    const second = await seeder().artifact({ ...input, files: { 'train.csv': 'a,b\n3,4\n', 'raw.bin': new Uint8Array([9, 9]) } });
    expect(first).toMatchObject({ entity: server.entity, project, type: 'dataset', name: 'mnist:v0', version: 'v0', path: `${server.entity}/${project}/mnist:v0` });
    expect(first.digest).toMatch(/^[0-9a-f]{32}$/);
    expect(second.version).toBe('v1');

    const { body } = await gql(server, ARTIFACT, { entity: server.entity, project, name: 'mnist:best' });
    const membership = body.data.project.artifactCollectionMembership;
    expect(membership.versionIndex).toBe(1);
    expect(membership.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['best', 'latest']);
    expect(membership.artifact).toMatchObject({ digest: second.digest, description: 'd', createdBy: { name: run.id } });
    const files = (membership.files.edges as { node: { name: string; url: string } }[]).map((e) => e.node);
    expect(files.map((f) => f.name).sort()).toEqual(['raw.bin', 'train.csv']);
    expect(await fileBytes(files.find((f) => f.name === 'raw.bin')!.url)).toEqual(new Uint8Array([9, 9]));
  });

  it('makes users (whose key works) and teams', async () => {
    const user = await seeder().user({ name: 'Bob' });
    expect(user.entity).toBe(user.username);
    const viewer = await gql(server, '{ viewer { username name } }', {}, { apiKey: user.apiKey });
    expect(viewer.body.data.viewer).toEqual({ username: user.username, name: 'Bob' });
    const team = await seeder().team({ members: [user.username] });
    const run = await seeder().run({ entity: team.name, project: 'shared' });
    const seen = await gql(server, RUN, { entity: team.name, project: 'shared', name: run.id }, { apiKey: user.apiKey });
    expect(seen.body.data.project.run.name).toBe(run.id);
  });

  it("rejects bad input with the server's message, storing nothing", async () => {
    await expect(seeder().run({ project: 'bad', files: { '../escape.txt': 'x' } })).rejects.toThrow('invalid run file name "../escape.txt"');
    await expect(seeder().run({ entity: 'nobody-here', project: 'p' })).rejects.toThrow('nobody-here');
    await expect(seeder().artifact({ project: 'bad', type: 'dataset', name: 'd', files: { '/abs': 'x' } })).rejects.toThrow('invalid artifact entry path');
    const { body } = await gql(server, '{ project(name: "bad", entityName: "demo") { name } }');
    expect(body.data.project).toBeNull();
  });
});

describe('seeding over HTTP', () => {
  it('needs the API key of an admin', async () => {
    const user = await server.seed.user();
    await expect(connectSeeder({ url: server.url, apiKey: user.apiKey }).project()).rejects.toThrow('HTTP 403');
    await expect(connectSeeder({ url: server.url, apiKey: 'x'.repeat(40) }).project()).rejects.toThrow('HTTP 401');
    const get = await fetch(`${server.url}/_seed/run`, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(get.status).toBe(404);
    const unknown = await fetch(`${server.url}/_seed/sweep`, { method: 'POST', headers: { Authorization: basicAuth(server.apiKey) } });
    expect(unknown.status).toBe(404);
  });

  it('refuses a body that is not a seed input', async () => {
    const post = (body: string) => fetch(`${server.url}/_seed/run`, { method: 'POST', headers: { Authorization: basicAuth(server.apiKey) }, body });
    expect((await post('[1]')).status).toBe(400);
    expect((await post('{"files": {"a": 1}}')).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
  });

  it('stays out of the request log and the injected faults', async () => {
    server.clearRequests();
    server.faults.add({ status: 503, count: 1 });
    try {
      await connectSeeder({ url: server.url, apiKey: server.apiKey }).project();
      expect(server.requests).toEqual([]);
      const { status } = await gql(server, '{ viewer { username } }');
      expect(status).toBe(503);
    } finally {
      server.faults.clear();
    }
  });
});
