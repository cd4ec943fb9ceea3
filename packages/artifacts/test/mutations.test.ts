// Changing artifacts and collections through @wandb-api/artifacts, each change read back from the
// server: save (aliases, description, metadata, tags, TTL), link/unlink, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  artifactExists,
  deleteArtifact,
  deleteArtifactCollection,
  getArtifact,
  getArtifactCollection,
  linkArtifact,
  listArtifacts,
  saveArtifact,
  saveArtifactCollection,
  unlinkArtifact,
} from '@wandb-api/artifacts';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient, requestsDuring } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());


describe('saveArtifact', () => {
  it('adds and removes aliases first, then updates the rest, and the server keeps it', async () => {
    server.requests.length = 0;
    const v1 = await getArtifact(client, `${P}/mnist-cnn:v1`);
    const saved = await saveArtifact(client, v1, {
      aliases: ['staging', 'candidate'],
      description: 'second try',
      metadata: { epochs: 5, opt: { name: 'adam' } },
      tags: ['reviewed'],
      ttl: 86_400,
    });
    expect(saved).toMatchObject({ description: 'second try', tags: ['reviewed'], ttl: 86_400, version: 'v1', name: 'mnist-cnn:v1' });
    const ops = server.requests.map((r) => r.operationName).filter((o) => o && o !== 'ArtifactMembershipByName' && o !== 'DefaultEntity' && o !== 'ServerProbe');
    expect(ops).toEqual(['AddAliases', 'UpdateArtifact']);

    const again = await getArtifact(client, `${P}/mnist-cnn:v1`);
    expect([...again.aliases].sort()).toEqual(['candidate', 'staging']);
    expect(again).toMatchObject({ description: 'second try', metadata: { epochs: 5, opt: { name: 'adam' } }, tags: ['reviewed'], ttl: 86_400 });
    expect((await getArtifact(client, `${P}/mnist-cnn:staging`)).id).toBe(v1.id);

    const fewer = await saveArtifact(client, again, { aliases: ['staging'], tags: [] });
    expect(fewer.tags).toEqual([]);
    expect((await getArtifact(client, `${P}/mnist-cnn:v1`)).aliases).toEqual(['staging']);
    expect(await artifactExists(client, `${P}/mnist-cnn:candidate`)).toBe(false);
  });

  it('sends the TTL only when it changed', async () => {
    const v0 = await getArtifact(client, `${P}/mnist-cnn:v0`);
    server.requests.length = 0;
    await saveArtifact(client, v0, { description: 'first', ttl: v0.ttlIsInherited ? 'inherit' : v0.ttl });
    expect(requestsFor(server, 'UpdateArtifact').length).toBe(1);
    const disabled = await saveArtifact(client, await getArtifact(client, `${P}/mnist-cnn:v0`), { ttl: null });
    expect(disabled.ttl).toBeNull();
  });

  it('refuses bad changes before any request', async () => {
    const v0 = await getArtifact(client, `${P}/mnist-cnn:v0`);
    const bad = [
      { aliases: ['a/b'] },
      { aliases: ['x:y'] },
      { tags: ['bad tag!'] },
      { ttl: -5 },
      { metadata: { x: Number.NaN } },
      { metadata: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) },
    ];
    for (const changes of bad) {
      await expect(saveArtifact(client, v0, changes)).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, () => saveArtifact(client, v0, changes))).toBe(0);
    }
  });
});

describe('links', () => {
  it('links a version into a registry collection, reads it back, then unlinks it', async () => {
    const v3 = await getArtifact(client, `${P}/mnist-cnn:v3`);
    const link = await linkArtifact(client, v3, 'wandb-registry-model/mnist-models', { aliases: ['candidate'] });
    expect(link).toMatchObject({ entity: 'demo-org-entity', project: 'wandb-registry-model', collectionName: 'mnist-models', isLink: true, sourceName: 'mnist-cnn:v3' });
    // The newest link also gets the portfolio's `latest`, as on W&B.
    expect([...link.aliases].sort()).toEqual(['candidate', 'latest']);
    const read = await getArtifact(client, 'demo-org/wandb-registry-model/mnist-models:candidate');
    expect(read.id).toBe(v3.id);
    expect(read.version).toBe(link.version);

    await expect(unlinkArtifact(client, v3)).rejects.toThrow(/is not a linked artifact and cannot be unlinked/);
    await unlinkArtifact(client, read);
    expect(await artifactExists(client, 'demo-org/wandb-registry-model/mnist-models:candidate')).toBe(false);
    // The source stays.
    expect((await getArtifact(client, `${P}/mnist-cnn:v3`)).id).toBe(v3.id);
  });

  it('refuses a target with a version and aliases with / or : before any request', async () => {
    const v3 = await getArtifact(client, `${P}/mnist-cnn:v3`);
    for (const call of [
      () => linkArtifact(client, v3, 'wandb-registry-model/mnist-models:v0'),
      () => linkArtifact(client, v3, 'wandb-registry-model/mnist-models', { aliases: ['a:b'] }),
      () => linkArtifact(client, v3, 'a/b/c/d'),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, call)).toBe(0);
    }
  });
});

describe('delete', () => {
  it('refuses to delete a version with aliases unless asked, then deletes it', async () => {
    const v0 = await getArtifact(client, `${P}/mnist-dataset:v0`);
    expect(v0.aliases).toEqual(['baseline']);
    await expect(deleteArtifact(client, v0)).rejects.toThrow();
    expect(await artifactExists(client, `${P}/mnist-dataset:v0`)).toBe(true);
    await deleteArtifact(client, v0, { deleteAliases: true });
    expect(await artifactExists(client, `${P}/mnist-dataset:v0`)).toBe(false);
    const left = await listArtifacts(client, 'dataset', `${P}/mnist-dataset`).toArray();
    expect(left.map((a) => a.version).sort()).toEqual(['v1', 'v2']);
  });
});

describe('collections', () => {
  it('saves description and tags, read back from the server', async () => {
    const coll = await getArtifactCollection(client, 'dataset', `${P}/mnist-samples`);
    const saved = await saveArtifactCollection(client, coll, { description: 'small digits', tags: ['small', 'digits'] });
    expect(saved).toMatchObject({ name: 'mnist-samples', description: 'small digits', tags: ['small', 'digits'] });
    const read = await getArtifactCollection(client, 'dataset', `${P}/mnist-samples`);
    expect(read.description).toBe('small digits');
    expect([...read.tags].sort()).toEqual(['digits', 'small']);
    const fewer = await saveArtifactCollection(client, read, { tags: ['small'] });
    expect(fewer.tags).toEqual(['small']);
    expect((await getArtifactCollection(client, 'dataset', `${P}/mnist-samples`)).tags).toEqual(['small']);
  });

  it('refuses reserved types and type changes of portfolios before any request', async () => {
    const coll = await getArtifactCollection(client, 'dataset', `${P}/mnist-samples`);
    const portfolio = await getArtifactCollection(client, 'model', 'demo-org/wandb-registry-model/mnist-models');
    for (const call of [
      () => saveArtifactCollection(client, coll, { type: 'wandb-history' }),
      () => saveArtifactCollection(client, coll, { type: 'job' }),
      () => saveArtifactCollection(client, portfolio, { type: 'dataset' }),
      () => saveArtifactCollection(client, coll, { name: 'a/b' }),
      () => saveArtifactCollection(client, coll, { tags: ['no!'] }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, call)).toBe(0);
    }
    await expect(saveArtifactCollection(client, coll, { type: 'wandb-history' })).rejects.toThrow(
      "Failed to save artifact collection 'mnist-samples': Artifact type 'wandb-history' is reserved for internal use. Please use a different type.",
    );
  });

  it('deletes a collection with its versions', async () => {
    const coll = await getArtifactCollection(client, 'dataset', `${P}/mnist-samples`);
    await deleteArtifactCollection(client, coll);
    await expect(getArtifactCollection(client, 'dataset', `${P}/mnist-samples`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await artifactExists(client, `${P}/mnist-samples:v0`)).toBe(false);
  });
});
