// Registries of the demo organization through @wandb-api/artifacts: search with filters and
// chaining, one registry, create / save / delete, each read back from the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, NotFoundError, ServerError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  createRegistry,
  getArtifact,
  deleteRegistry,
  getRegistry,
  listRegistries,
  registryCollections,
  registryVersions,
  resolveOrganization,
  saveRegistry,
} from '@wandb-api/artifacts';
import type { LocalServer } from '@wandb-api/server';
import { linkArtifactVersion } from '../../server/src/store/artifactFixtures.js';
import { organizations } from '../../server/src/store/organizations.js';
import { requestsFor, startTestServer, testClient, requestsDuring } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());


describe('organizations', () => {
  it('finds the organization of the viewer\'s entity', async () => {
    expect(await resolveOrganization(client)).toBe('demo-org');
    expect(await resolveOrganization(testClient(server, { organization: 'elsewhere' }))).toBe('elsewhere');
  });
});

describe('registry search', () => {
  it('lists the organization\'s registries, filtered by name without the prefix', async () => {
    const all = await listRegistries(client).toArray();
    expect(all.map((r) => r.name).sort()).toEqual(['dataset', 'model']);
    const model = all.find((r) => r.name === 'model')!;
    expect(model).toMatchObject({ fullName: 'wandb-registry-model', entity: 'demo-org-entity', organization: 'demo-org', path: ['demo-org-entity', 'wandb-registry-model'] });
    expect(['organization', 'restricted']).toContain(model.visibility);

    const named = await listRegistries(client, { filter: { name: 'model' } }).toArray();
    expect(named.map((r) => r.name)).toEqual(['model']);
    const regex = await listRegistries(client, { organization: 'demo-org', filter: { name: { $regex: 'data' } } }).toArray();
    expect(regex.map((r) => r.fullName)).toEqual(['wandb-registry-dataset']);
    const ordered = await listRegistries(client, { order: '-name' }).toArray();
    expect(ordered.map((r) => r.name)).toEqual(['model', 'dataset']);
  });

  it('chains registries to collections and versions', async () => {
    const colls = await listRegistries(client).collections().toArray();
    expect(colls.map((c) => c.name)).toEqual(['mnist-models']);
    expect(colls[0]).toMatchObject({ kind: 'portfolio', isSequence: false, organization: 'demo-org', entity: 'demo-org-entity', type: 'model' });
    expect(await listRegistries(client).collections().count()).toBe(1);

    const versions = await listRegistries(client).versions({ alias: 'production' }).toArray();
    expect(versions.map((v) => [v.name, v.sourceName, v.isLink])).toEqual([['mnist-models:v0', 'mnist-cnn:v2', true]]);
    expect([...versions[0]!.aliases].sort()).toEqual(['latest', 'production']);
    expect(await listRegistries(client, { filter: { name: 'dataset' } }).versions().toArray()).toEqual([]);

    const viaCollections = await listRegistries(client, { filter: { name: 'model' } }).collections({ name: 'mnist-models' }).versions().toArray();
    expect(viaCollections.map((v) => v.sourceName)).toEqual(['mnist-cnn:v2']);
    // An ordered parent runs one child query per parent, in its order.
    server.requests.length = 0;
    const fanned = await listRegistries(client, { order: '+name' }).collections().toArray();
    expect(fanned.map((c) => c.name)).toEqual(['mnist-models']);
    expect(requestsFor(server, 'RegistryCollections').length).toBe(2);
    // ...and an ordered collection list asks versions per collection.
    const orderedVersions = await listRegistries(client, { order: '-name' }).collections().versions().toArray();
    expect(orderedVersions.map((v) => v.sourceName)).toEqual(['mnist-cnn:v2']);
  });

  it('refuses bad filters and orders before any request', async () => {
    for (const call of [
      () => listRegistries(client, { filter: { tag: 'x' } }),
      () => listRegistries(client, { order: 'size' }),
      () => listRegistries(client).collections({ alias: 'x' }),
      () => listRegistries(client).versions({ size: 1 }),
      () => listRegistries(client, { perPage: 0 }),
    ]) {
      expect(call).toThrow(ValidationError);
      expect(await requestsDuring(server, call)).toBe(0);
    }
  });
});

describe('one registry', () => {
  it('gets a registry and searches inside it', async () => {
    const reg = await getRegistry(client, 'model');
    expect(reg).toMatchObject({ name: 'model', fullName: 'wandb-registry-model', entity: 'demo-org-entity', organization: 'demo-org' });
    expect((await registryCollections(client, reg).toArray()).map((c) => c.name)).toEqual(['mnist-models']);
    expect((await registryVersions(client, reg, { alias: 'production' }).toArray()).map((v) => v.sourceName)).toEqual(['mnist-cnn:v2']);
    const dataset = await getRegistry(client, 'dataset', { organization: 'demo-org' });
    expect(dataset.description).toBeTruthy();
    await expect(getRegistry(client, 'nope')).rejects.toThrow("Failed to load registry 'nope' in organization 'demo-org'.");
    await expect(getRegistry(client, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates, saves (with a rename) and deletes a registry', async () => {
    const created = await createRegistry(client, { name: 'eval', visibility: 'restricted', description: 'evals', artifactTypes: ['dataset'] });
    expect(created).toMatchObject({ name: 'eval', visibility: 'restricted', description: 'evals', allowAllArtifactTypes: false, artifactTypes: ['dataset'] });
    await expect(createRegistry(client, { name: 'eval', visibility: 'organization' })).rejects.toThrow(
      "Registry 'eval' already exists in organization 'demo-org', please use a different name.",
    );

    const saved = await saveRegistry(client, created, { name: 'evals', description: 'all evals', artifactTypes: ['dataset', 'model'], visibility: 'organization' });
    expect(saved).toMatchObject({ name: 'evals', fullName: 'wandb-registry-evals', description: 'all evals', visibility: 'organization' });
    const read = await getRegistry(client, 'evals');
    expect([...read.artifactTypes].sort()).toEqual(['dataset', 'model']);
    await expect(getRegistry(client, 'eval')).rejects.toBeInstanceOf(NotFoundError);

    await expect(saveRegistry(client, read, { artifactTypes: ['model'] })).rejects.toThrow("Cannot remove artifact type: 'dataset' that has been saved to the registry");
    await deleteRegistry(client, read);
    await expect(getRegistry(client, 'evals')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses bad registry input before any request', async () => {
    for (const call of [
      () => createRegistry(client, { name: 'a/b', visibility: 'organization' }),
      () => createRegistry(client, { name: 'ok', visibility: 'public' as never }),
      () => createRegistry(client, { name: 'ok', visibility: 'organization', artifactTypes: ['a:b'] }),
      () => getRegistry(client, ''),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, call)).toBe(0);
    }
  });
});

describe('version search dialects', () => {
  it('checks version searches in the dialect the organization has (basic, or advanced when enabled)', async () => {
    // Basic (the demo organization's default): advanced-only fields are refused after the probe.
    const basic = testClient(server);
    await expect(listRegistries(basic).versions({ artifact_size: { $gt: 1 } }).toArray()).rejects.toThrow(/Invalid filter fields: 'artifact_size'/);
    // A field neither dialect knows is refused before any request.
    expect(await requestsDuring(server, () => listRegistries(basic).versions({ nope: 1 }))).toBe(0);

    const org = organizations(server.store).byName('demo-org')!;
    organizations(server.store).setAdvancedSearch(org.id, true);
    try {
      const advanced = testClient(server);
      server.requests.length = 0;
      // In advanced mode a registries filter on `description` cannot be chained to versions (as Python).
      await expect(listRegistries(advanced, { filter: { description: 'x' } }).versions().toArray()).rejects.toThrow(/Invalid filter fields: 'description'/);
      await expect(listRegistries(advanced, { filter: { description: 'x' } }).versions().toArray()).rejects.toBeInstanceOf(ValidationError);
      // The organization's flag is asked once per client.
      expect(requestsFor(server, 'FetchAdvancedRegistryFeatures').length).toBe(1);
      expect(requestsFor(server, 'RegistryVersions').length).toBe(0);
    } finally {
      organizations(server.store).setAdvancedSearch(org.id, false);
    }
  });
});

describe('registry listings', () => {
  it('an ordered (chained) search iterates again as a fresh listing', async () => {
    const own = await startTestServer({ seed: 'demo' });
    try {
      const c = testClient(own);
      const dataset = await getArtifact(c, 'demo/mnist-classifier/mnist-dataset:v2');
      linkArtifactVersion(own.store, { artifact: dataset.id, entity: 'demo-org-entity', project: 'wandb-registry-dataset', portfolio: 'mnist-data' });
      const colls = listRegistries(c, { order: '+name' }).collections();
      expect((await colls.toArray()).map((x) => x.name)).toEqual(['mnist-data', 'mnist-models']);
      expect((await colls.toArray()).map((x) => x.name)).toEqual(['mnist-data', 'mnist-models']);
      const versions = listRegistries(c, { order: '-name' }).versions();
      expect((await versions.toArray()).map((v) => v.sourceName)).toEqual(['mnist-cnn:v2', 'mnist-dataset:v2']);
      expect((await versions.toArray()).map((v) => v.sourceName)).toEqual(['mnist-cnn:v2', 'mnist-dataset:v2']);
      // A limit asks only the first registry's collections.
      own.clearRequests();
      expect((await colls.toArray({ limit: 1 })).map((x) => x.name)).toEqual(['mnist-data']);
      expect(requestsFor(own, 'RegistryCollections')).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });

  it('a failed dialect probe is thrown and asked again, not kept as basic; an abort is an AbortError', async () => {
    const org = organizations(server.store).byName('demo-org')!;
    organizations(server.store).setAdvancedSearch(org.id, true);
    try {
      const c = testClient(server, { maxRetries: 0 });
      server.faults.add({ operationName: 'FetchAdvancedRegistryFeatures', status: 500, count: 1 });
      await expect(listRegistries(c).versions().toArray()).rejects.toBeInstanceOf(ServerError);
      server.faults.add({ operationName: 'FetchAdvancedRegistryFeatures', latencyMs: 300, count: 1 });
      await expect(listRegistries(c).versions({}, { signal: AbortSignal.timeout(50) }).toArray()).rejects.toBeInstanceOf(AbortError);
      // Asked again: advanced, where a registries filter on `description` cannot be chained to versions.
      await expect(listRegistries(c, { filter: { description: 'x' } }).versions().toArray()).rejects.toThrow(/Invalid filter fields: 'description'/);
    } finally {
      organizations(server.store).setAdvancedSearch(org.id, false);
    }
  });
});
