// The facade's artifact and registry classes: Python's names and defaults, delegating to
// @wandb-api/artifacts, against the local server's demo seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, Artifact, ArtifactCollection, ArtifactType, NotFoundError, type Paginated, Registry, Run, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
});
afterAll(() => server.stop());

describe('Api artifacts', () => {
  it('artifact, artifactExists, and the artifact\'s own methods', async () => {
    const a = await api.artifact(`${P}/mnist-cnn:best`, 'model');
    expect(a).toBeInstanceOf(Artifact);
    expect(a).toMatchObject({ name: 'mnist-cnn:best', version: 'v2', type: 'model', qualifiedName: 'demo/mnist-classifier/mnist-cnn:best' });
    expect(await api.artifactExists(`${P}/mnist-cnn:best`)).toBe(true);
    expect(await api.artifactExists(`${P}/mnist-cnn:best`, 'dataset')).toBe(false);
    await expect(api.artifact(`${P}/mnist-cnn:best`, 'dataset')).rejects.toBeInstanceOf(ValidationError);

    const coll = await a.collection();
    expect(coll).toBeInstanceOf(ArtifactCollection);
    expect(coll.name).toBe('mnist-cnn');
    expect((await a.sourceCollection()).name).toBe('mnist-cnn');
    const logger = await a.loggedBy();
    expect(logger).toBeInstanceOf(Run);
    expect((await a.usedBy()).map((r) => r.id)).not.toContain(logger!.id);
    const entries = (await a.manifest()).entries;
    expect((await a.files().toArray()).map((f) => f.name).sort()).toEqual(entries.filter((e) => e.ref === null).map((e) => e.path).sort());
    const first = entries[0]!;
    expect(await a.getEntry(first.path)).toEqual(first);
    expect(await a.getPath(first.path)).toEqual(first); // Python's deprecated alias
    await expect(a.getEntry('no/such/file')).rejects.toBeInstanceOf(NotFoundError);
    expect(JSON.parse(JSON.stringify(a)).name).toBe('mnist-cnn:best');
  });

  it('artifacts (tags, count), artifactVersions, artifactCollections, artifactCollection(Exists), artifactType(s)', async () => {
    const list = api.artifacts('model', `${P}/mnist-cnn`);
    expect(await list.count()).toBe(4);
    const all = await list.toArray();
    expect(all.every((x) => x instanceof Artifact)).toBe(true);
    expect((await api.artifacts('dataset', `${P}/mnist-dataset`, { tags: ['clean'], perPage: 1 }).toArray()).map((x) => x.version)).toEqual(['v2']);
    expect((await api.artifactVersions('model', `${P}/mnist-cnn`).toArray()).length).toBe(4);

    const colls = await api.artifactCollections(P, 'dataset').toArray();
    expect(colls.map((c) => c.name).sort()).toEqual(['mnist-dataset', 'mnist-samples']);
    const coll = await api.artifactCollection('dataset', `${P}/mnist-dataset`);
    expect(coll.isSequence).toBe(true);
    expect((await coll.artifacts().toArray()).length).toBe(3);
    expect(await coll.aliases()).toEqual(expect.arrayContaining(['latest', 'baseline']));
    expect(await api.artifactCollectionExists(`${P}/mnist-dataset`, 'dataset')).toBe(true);
    expect(await api.artifactCollectionExists(`${P}/nope`, 'dataset')).toBe(false);

    const type = await api.artifactType('model', P);
    expect(type).toBeInstanceOf(ArtifactType);
    expect((await type.collections().toArray()).map((c) => c.name)).toEqual(['mnist-cnn']);
    expect((await type.collection('mnist-cnn')).type).toBe('model');
    expect((await api.artifactTypes(P).toArray()).map((t) => t.name)).toEqual(expect.arrayContaining(['dataset', 'model']));
    await expect(api.artifactType('nope', P)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('run.loggedArtifacts and run.usedArtifacts', async () => {
    const best = await api.artifact(`${P}/mnist-cnn:v2`);
    const logger = (await best.loggedBy())!;
    expect((await logger.loggedArtifacts().toArray()).map((x) => x.id)).toContain(best.id);
    const [user] = await best.usedBy();
    expect((await user!.usedArtifacts().toArray()).map((x) => x.id)).toContain(best.id);
  });

  it('save, link, unlink on the objects', async () => {
    const v1 = await api.artifact(`${P}/mnist-cnn:v1`);
    await v1.save({ aliases: [...v1.aliases, 'staging'], description: 'facade' });
    expect(v1.aliases).toContain('staging');
    expect((await api.artifact(`${P}/mnist-cnn:staging`)).description).toBe('facade');
    const link = await v1.link('wandb-registry-model/mnist-models', ['candidate']);
    expect(link.isLink).toBe(true);
    expect((await api.artifact('wandb-registry-model/mnist-models:candidate')).id).toBe(v1.id);
    await link.unlink();
    expect(await api.artifactExists('wandb-registry-model/mnist-models:candidate')).toBe(false);
  });
});

describe('Api registries', () => {
  it('registries with chained collections and versions, registry, createRegistry', async () => {
    const regs = api.registries();
    const all = await regs.toArray();
    expect(all.every((r) => r instanceof Registry)).toBe(true);
    expect(all.map((r) => r.name).sort()).toEqual(['dataset', 'model']);
    expect((await regs.collections().toArray()).map((c) => c.name)).toEqual(['mnist-models']);
    expect((await regs.collections({ name: 'mnist-models' }).versions().toArray()).map((v) => v.sourceName)).toEqual(['mnist-cnn:v2']);
    expect((await api.registries({ filter: { name: 'model' } }).versions({ alias: 'production' }).toArray()).map((v) => v.sourceName)).toEqual(['mnist-cnn:v2']);

    const model = await api.registry('model');
    expect((await model.collections().toArray()).map((c) => c.name)).toEqual(['mnist-models']);
    expect((await model.versions().toArray()).map((v) => v.sourceName)).toContain('mnist-cnn:v2');

    const created = await api.createRegistry('facade', 'organization', { description: 'made here' });
    expect(created).toMatchObject({ name: 'facade', allowAllArtifactTypes: true, description: 'made here' });
    await created.save({ description: 'changed' });
    expect((await api.registry('facade')).description).toBe('changed');
    await created.delete();
    await expect(api.registry('facade')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('bad input to the lists (artifacts load on first use)', () => {
  it('is a ValidationError on first use (await, iteration, count), before any request', async () => {
    const artifact = await api.artifact(`${P}/mnist-cnn:v2`);
    const run = (await artifact.loggedBy())!;
    const type = await api.artifactType('model', P);
    const coll = await api.artifactCollection('model', `${P}/mnist-cnn`);
    const registry = await api.registry('model');
    const before = server.requests.length;
    // Each list is returned synchronously (its code loads on first use) and checks its input then.
    const lists: [string, () => Paginated<unknown>][] = [
      ['api.artifacts', () => api.artifacts('model', '')],
      ['api.artifactVersions', () => api.artifactVersions('model', `${P}/mnist-cnn`, { perPage: 0 })],
      ['api.artifactCollections', () => api.artifactCollections(P, '')],
      ['api.artifactTypes', () => api.artifactTypes('a/b/c')],
      ['api.registries', () => api.registries({ perPage: 0 })],
      ['api.registries().collections', () => api.registries().collections({ nope: 1 } as never)],
      ['api.registries().collections().versions', () => api.registries().collections().versions({ nope: 1 } as never)],
      ['api.registries().versions', () => api.registries().versions({ nope: 1 } as never)],
      ['artifact.files', () => artifact.files({ names: 'weights' as never })],
      ['type.collections', () => type.collections({ perPage: 0 })],
      ['collection.artifacts', () => coll.artifacts({ perPage: 0 })],
      ['registry.collections', () => registry.collections(undefined, { perPage: 0 })],
      ['registry.versions', () => registry.versions({ nope: 1 } as never)],
      ['run.loggedArtifacts', () => run.loggedArtifacts({ perPage: 0 })],
      ['run.usedArtifacts', () => run.usedArtifacts({ perPage: 0 })],
    ];
    for (const [name, list] of lists) {
      await expect(list(), name).rejects.toBeInstanceOf(ValidationError);
      await expect(list().toArray(), name).rejects.toBeInstanceOf(ValidationError);
      await expect(list().count(), name).rejects.toBeInstanceOf(ValidationError);
    }
    expect(server.requests.slice(before)).toEqual([]);
  });
});
