// Reading artifacts, types, collections, files and manifests through @wandb-api/artifacts against
// the local server's demo seed (see the seed contract: demo/mnist-classifier, demo-org registries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  artifactCollectionExists,
  artifactExists,
  artifactFileUrls,
  artifactFiles,
  artifactLoggedBy,
  artifactUsedBy,
  collectionAliases,
  getArtifact,
  getArtifactCollection,
  getArtifactType,
  getEntry,
  getManifest,
  linkedArtifacts,
  sourceArtifact,
  listArtifactCollections,
  listArtifactTypes,
  listArtifacts,
  runLoggedArtifacts,
  runUsedArtifacts,
} from '@wandb-api/artifacts';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient, requestsDuring } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());


describe('getArtifact', () => {
  it('fetches by alias, keeping the alias in the name and vN as the version', async () => {
    const a = await getArtifact(client, `${P}/mnist-cnn:best`);
    expect(a).toMatchObject({
      entity: 'demo',
      project: 'mnist-classifier',
      name: 'mnist-cnn:best',
      qualifiedName: 'demo/mnist-classifier/mnist-cnn:best',
      collectionName: 'mnist-cnn',
      version: 'v2',
      sourceName: 'mnist-cnn:v2',
      sourceVersion: 'v2',
      sourceQualifiedName: 'demo/mnist-classifier/mnist-cnn:v2',
      isLink: false,
      type: 'model',
      state: 'COMMITTED',
    });
    expect(a.aliases).toContain('best');
    expect(a.aliases.some((x) => /^v\d+$/.test(x))).toBe(false);
    expect(a.url).toBe(`${client.config.appUrl}demo/mnist-classifier/artifacts/model/mnist-cnn/v2`);
    expect(typeof a.id).toBe('string');
    expect(a.createdAt <= a.updatedAt).toBe(true);
  });

  it('fetches by version, filling the entity from the viewer', async () => {
    const a = await getArtifact(client, 'mnist-classifier/mnist-dataset:v2');
    expect(a).toMatchObject({ entity: 'demo', name: 'mnist-dataset:v2', version: 'v2', type: 'dataset', tags: ['clean'] });
    expect(a.aliases).toEqual(['latest']);
    const v0 = await getArtifact(client, `${P}/mnist-dataset:v0`);
    expect(v0.aliases).toEqual(['baseline']);
    expect(v0.id).not.toBe(a.id);
  });

  it('checks the type, and answers exists for present, missing and malformed paths', async () => {
    await expect(getArtifact(client, `${P}/mnist-cnn:v1`, { type: 'dataset' })).rejects.toThrow("type 'dataset' specified but this artifact is of type 'model'");
    expect(await artifactExists(client, `${P}/mnist-cnn:v3`)).toBe(true);
    expect(await artifactExists(client, `${P}/mnist-cnn:v9`)).toBe(false);
    expect(await artifactExists(client, `${P}/no-such-thing:latest`)).toBe(false);
    expect(await artifactExists(client, 'a/b/c/d:v0')).toBe(false);
    expect(await artifactExists(client, `${P}/mnist-cnn:v1`, { type: 'dataset' })).toBe(false);
    await expect(getArtifact(client, `${P}/mnist-cnn:v9`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getArtifact(client, 'demo/no-project/x:v0')).rejects.toThrow("project 'no-project' not found under entity 'demo'");
  });

  it('refuses bad paths before any request', async () => {
    for (const bad of ['a/b/c/d:v0', 'a//b', `${P}/mnist-cnn:`]) {
      await expect(getArtifact(client, bad)).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, () => getArtifact(client, bad))).toBe(0);
    }
  });

  it('places registry paths under the organization entity, with or without the organization', async () => {
    for (const path of ['demo-org/wandb-registry-model/mnist-models:production', 'demo-org-entity/wandb-registry-model/mnist-models:v0', 'wandb-registry-model/mnist-models:production']) {
      const link = await getArtifact(client, path);
      expect(link).toMatchObject({
        entity: 'demo-org-entity',
        project: 'wandb-registry-model',
        collectionName: 'mnist-models',
        version: 'v0',
        isLink: true,
        sourceName: 'mnist-cnn:v2',
        sourceEntity: 'demo',
        type: 'model',
      });
      // The newest link of a portfolio also carries `latest`, as on W&B.
      expect([...link.aliases].sort()).toEqual(['latest', 'production']);
      expect(link.url).toBe(
        `${client.config.appUrl}orgs/demo-org/registry/model?selectionPath=demo-org-entity%2Fwandb-registry-model%2Fmnist-models&view=membership&version=v0`,
      );
    }
  });

  it('finds a version\'s links and a link\'s source', async () => {
    const best = await getArtifact(client, `${P}/mnist-cnn:v2`);
    const links = await linkedArtifacts(client, best);
    expect(links.map((l) => [l.qualifiedName, l.version, l.isLink, [...l.aliases].sort()])).toEqual([
      ['demo-org-entity/wandb-registry-model/mnist-models:v0', 'v0', true, ['latest', 'production', 'v0']],
    ]);
    expect(links[0]!.url).toBe(
      `${client.config.appUrl}orgs/demo-org/registry/model?selectionPath=demo-org-entity%2Fwandb-registry-model%2Fmnist-models&view=membership&version=v0`,
    );
    const link = await getArtifact(client, 'wandb-registry-model/mnist-models:production');
    expect(await linkedArtifacts(client, link)).toEqual([]);
    const source = await sourceArtifact(client, link);
    expect(source).toMatchObject({ id: best.id, isLink: false, qualifiedName: 'demo/mnist-classifier/mnist-cnn:v2' });
  });

  it('refuses a registry path whose organization is not the viewer\'s', async () => {
    await expect(getArtifact(client, 'other-org/wandb-registry-model/mnist-models:v0')).rejects.toThrow(
      "Organization 'other-org' is not 'demo-org', the organization of entity 'demo': fix the path.",
    );
    await expect(getArtifact(client, 'other-org/wandb-registry-model/mnist-models:v0')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('lists of versions', () => {
  it('lists a collection\'s committed versions with the server total', async () => {
    const list = listArtifacts(client, 'model', `${P}/mnist-cnn`, { perPage: 3 });
    expect(await list.count()).toBe(4);
    const all = await list.toArray();
    expect(all.map((a) => a.version).sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(all.map((a) => a.name).sort()).toEqual(['mnist-cnn:v0', 'mnist-cnn:v1', 'mnist-cnn:v2', 'mnist-cnn:v3']);
    expect(all.find((a) => a.version === 'v3')?.aliases).toEqual(['latest']);
    expect(all.find((a) => a.version === 'v2')?.aliases).toEqual(['best']);
  });

  it('filters by tags on every page without stopping at a page that has no match', async () => {
    const clean = await listArtifacts(client, 'dataset', `${P}/mnist-dataset`, { perPage: 1, tags: 'clean', order: '+versionIndex' }).toArray();
    expect(clean.map((a) => a.version)).toEqual(['v2']);
    expect(await listArtifacts(client, 'dataset', `${P}/mnist-dataset`, { tags: ['clean', 'nope'] }).toArray()).toEqual([]);
  });

  it('lists the artifacts a run logged and used', async () => {
    const best = await getArtifact(client, `${P}/mnist-cnn:v2`);
    const logger = await artifactLoggedBy(client, best);
    expect(logger).toMatchObject({ entity: 'demo', project: 'mnist-classifier' });
    const logged = await runLoggedArtifacts(client, `${logger!.entity}/${logger!.project}/${logger!.id}`).toArray();
    expect(logged.map((a) => a.id)).toContain(best.id);
    expect(logged.find((a) => a.id === best.id)).toMatchObject({ name: 'mnist-cnn:v2', version: 'v2', isLink: false });

    const users = await artifactUsedBy(client, best);
    expect(users.length).toBe(1);
    expect(users[0]!.id).not.toBe(logger!.id);
    const used = await runUsedArtifacts(client, { entity: users[0]!.entity, project: users[0]!.project, id: users[0]!.id }).toArray();
    expect(used.map((a) => a.id)).toContain(best.id);
    await expect(runLoggedArtifacts(client, 'demo/mnist-classifier/no-such-run').toArray()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('types and collections', () => {
  it('lists and gets artifact types', async () => {
    const names = (await listArtifactTypes(client, P).toArray()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['dataset', 'model']));
    const model = await getArtifactType(client, 'model', P);
    expect(model).toMatchObject({ name: 'model', entity: 'demo', project: 'mnist-classifier' });
    await expect(getArtifactType(client, 'no-such-type', P)).rejects.toThrow("Could not find artifact type 'no-such-type'");
  });

  it('lists the collections of a type with the server total', async () => {
    const list = listArtifactCollections(client, P, 'dataset', { perPage: 1 });
    expect(await list.count()).toBe(2);
    const colls = await list.toArray();
    expect(colls.map((c) => c.name).sort()).toEqual(['mnist-dataset', 'mnist-samples']);
    expect(colls.every((c) => c.isSequence && c.kind === 'sequence' && c.type === 'dataset' && c.entity === 'demo')).toBe(true);
  });

  it('gets one collection, its aliases, and answers exists', async () => {
    const coll = await getArtifactCollection(client, 'model', `${P}/mnist-cnn`);
    expect(coll).toMatchObject({ name: 'mnist-cnn', type: 'model', isSequence: true, project: 'mnist-classifier', entity: 'demo' });
    expect(await collectionAliases(client, coll)).toEqual(expect.arrayContaining(['latest', 'best']));
    expect(await artifactCollectionExists(client, `${P}/mnist-cnn`, 'model')).toBe(true);
    expect(await artifactCollectionExists(client, `${P}/mnist-cnn`, 'dataset')).toBe(false);
    expect(await artifactCollectionExists(client, `${P}/nope`, 'model')).toBe(false);
    const portfolio = await getArtifactCollection(client, 'model', 'demo-org/wandb-registry-model/mnist-models');
    expect(portfolio).toMatchObject({ name: 'mnist-models', isSequence: false, kind: 'portfolio', entity: 'demo-org-entity' });
  });
});

describe('files and manifests', () => {
  it('pages through a version\'s files with the server total, and filters by name', async () => {
    const samples = await getArtifact(client, `${P}/mnist-samples:v0`);
    const files = artifactFiles(client, samples, { perPage: 50 });
    expect(await files.count()).toBe(200);
    const all = await files.toArray();
    expect(all.length).toBe(200);
    expect(new Set(all.map((f) => f.name)).size).toBe(200);
    const one = all[0]!;
    const picked = await artifactFiles(client, samples, { names: [one.name] }).toArray();
    expect(picked.map((f) => f.name)).toEqual([one.name]);
    expect(picked[0]!.path).toEqual(['demo', 'mnist-classifier', one.name]);
  });

  it('fetches the manifest without credentials and finds entries, references included', async () => {
    server.requests.length = 0;
    const v2 = await getArtifact(client, `${P}/mnist-dataset:v2`);
    const manifest = await getManifest(client, v2);
    expect(manifest.version).toBe(1);
    const refs = manifest.entries.filter((e) => e.ref !== null);
    expect(refs.map((e) => e.ref!.split(':')[0]).sort()).toEqual(['http', 's3']);
    const stored = manifest.entries.find((e) => e.ref === null)!;
    expect(await getEntry(client, v2, stored.path)).toEqual(stored);
    await expect(getEntry(client, v2, 'no/such/file')).rejects.toThrow('Path not contained in artifact: no/such/file');
    // The manifest came from the storage origin, and nothing there ever saw credentials.
    const storage = server.requests.filter((r) => r.origin === 'storage');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.some((r) => r.hasAuthorization)).toBe(false);
  });

  it('resolves signed URLs for many entries in batches, or for every file', async () => {
    const samples = await getArtifact(client, `${P}/mnist-samples:v0`);
    const { entries } = await getManifest(client, samples);
    const batches: number[] = [];
    const paths = new Set<string>();
    for await (const batch of artifactFileUrls(client, samples, entries, { batchSize: 64 })) {
      batches.push(batch.length);
      for (const u of batch) {
        expect(u.directUrl).toMatch(/^https?:\/\//);
        paths.add(u.path);
      }
    }
    expect(batches).toEqual([64, 64, 64, 8]);
    expect([...paths].sort()).toEqual(entries.map((e) => e.path).sort());
    let all = 0;
    for await (const batch of artifactFileUrls(client, samples, undefined, { batchSize: 150 })) all += batch.length;
    expect(all).toBe(200);
  });
});
