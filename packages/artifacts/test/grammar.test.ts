// Pure parts of @wandb-api/artifacts: the artifact path grammar, registry filters and orders,
// manifest decoding, and decoding an artifact node as seen through a collection.
import { describe, expect, it } from 'vitest';
import { ValidationError, createClient } from '@wandb-api/core';
import {
  checkOrder,
  collectionFilter,
  isRegistryProject,
  isVersionAlias,
  parseArtifactPath,
  parseManifest,
  registryFilter,
  registryFilterFor,
  toArtifact,
  versionFilter,
} from '@wandb-api/artifacts';

describe('artifact paths', () => {
  it('splits at the first colon; the alias may hold / and :', () => {
    expect(parseArtifactPath('acme/mnist/model:v3')).toEqual({ prefix: 'acme', project: 'mnist', collection: 'model', alias: 'v3' });
    expect(parseArtifactPath('mnist/model:a/b:c')).toEqual({ project: 'mnist', collection: 'model', alias: 'a/b:c' });
    expect(parseArtifactPath('model')).toEqual({ collection: 'model' });
    expect(parseArtifactPath('p/model')).toEqual({ project: 'p', collection: 'model' });
  });

  it('rejects more than three parts, empty parts and an empty alias', () => {
    for (const bad of ['a/b/c/d', 'a//c', 'model:', '/model', '']) expect(() => parseArtifactPath(bad)).toThrow(ValidationError);
    expect(() => parseArtifactPath('a/b/c/d:v0')).toThrow(/Invalid artifact path/);
  });

  it('tells version aliases and registry projects apart', () => {
    expect(['v0', 'v12'].map(isVersionAlias)).toEqual([true, true]);
    expect(['v', 'latest', 'v1a', 'V1'].map(isVersionAlias)).toEqual([false, false, false, false]);
    expect(isRegistryProject('wandb-registry-model')).toBe(true);
    expect(isRegistryProject('wandb-registry-')).toBe(false);
    expect(isRegistryProject('model-registry')).toBe(false);
  });
});

describe('registry filters', () => {
  it('prefixes registry names in strings, lists and known operators, not under $regex', () => {
    expect(registryFilter({ name: 'model' })).toEqual({ name: 'wandb-registry-model' });
    expect(registryFilter({ name: { $in: ['a', 'wandb-registry-b'] } })).toEqual({ name: { $in: ['wandb-registry-a', 'wandb-registry-b'] } });
    expect(registryFilter({ name: { $regex: 'mod' } })).toEqual({ name: { $regex: 'mod' } });
    expect(registryFilter({ name: { $contains: 'mod' } })).toEqual({ name: { $contains: 'wandb-registry-mod' } });
    expect(registryFilter({ name: { $custom: 'x' } })).toEqual({ name: { $custom: 'x' } });
    expect(registryFilter({ $or: [{ name: 'a' }, { description: { $regex: 'x' } }] })).toEqual({
      $or: [{ name: 'wandb-registry-a' }, { description: { $regex: 'x' } }],
    });
    expect(registryFilter(undefined)).toBeUndefined();
  });

  it('rewrites aliases to canonical fields and keeps dotted suffixes', () => {
    expect(collectionFilter({ id: 'X', tag: 'a' })).toEqual({ artifact_collection_id: 'X', tag: 'a' });
    expect(versionFilter({ 'metadata.accuracy': { $gt: 0.9 }, alias: 'production' })).toEqual({ 'metadata.accuracy': { $gt: 0.9 }, alias: 'production' });
  });

  it('rewrites to the advanced dialect\'s canonical fields', () => {
    expect(versionFilter({ id: 'A', version_index: 2, tags: 'x', created_at: { $gt: '2026' } }, 'advanced')).toEqual({
      artifact_id: 'A',
      version: 2,
      tag: 'x',
      artifact_created_at: { $gt: '2026' },
    });
    expect(registryFilter({ id: 3, name: 'model' }, 'advanced')).toEqual({ project_id: 3, name: 'wandb-registry-model' });
    expect(collectionFilter({ collection_name: 'm' }, 'advanced')).toEqual({ name: 'm' });
    expect(() => registryFilter({ description: 'x' }, 'advanced')).toThrow(/Invalid filter fields: 'description'/);
    expect(() => versionFilter({ artifact_size: 1 })).toThrow(ValidationError);
  });

  it('refuses unknown fields, duplicate aliases and non-objects before any request', () => {
    expect(() => registryFilter({ tag: 'x' })).toThrow(/Invalid filter fields: 'tag'; must be one of: 'created_at', 'description'/);
    expect(() => versionFilter({ $and: [{ size: 3 }] })).toThrow(ValidationError);
    expect(() => collectionFilter({ id: 'a', collection_id: 'b' })).toThrow(/Duplicate fields: 'artifact_collection_id'/);
    expect(() => registryFilter([] as never)).toThrow(ValidationError);
  });

  it('normalises orders and limits their fields', () => {
    expect(checkOrder('created_at')).toBe('+created_at');
    expect(checkOrder('-name', ['name'])).toBe('-name');
    expect(checkOrder(undefined)).toBeUndefined();
    expect(() => checkOrder('size', ['name', 'created_at'])).toThrow(ValidationError);
    expect(() => checkOrder('--x')).toThrow(/Invalid order/);
  });

  it('picks one registry by its numeric id, else by name', () => {
    expect(registryFilterFor({ internalId: btoa('Project:42'), fullName: 'wandb-registry-model' })).toEqual({ id: 42 });
    expect(registryFilterFor({ internalId: btoa('ProjectInternalId:7') })).toEqual({ id: 7 });
    expect(registryFilterFor({ internalId: 'not-base64!', fullName: 'wandb-registry-model' })).toEqual({ name: 'wandb-registry-model' });
  });
});

describe('manifests', () => {
  it('decodes entries with their optional fields', () => {
    const manifest = parseManifest(
      JSON.stringify({
        version: 1,
        storagePolicy: 'wandb-storage-policy-v1',
        storagePolicyConfig: { storageLayout: 'V2' },
        contents: {
          'a.txt': { digest: 'abc=', size: 3, birthArtifactID: 'QXJ0aWZhY3Q6MQ==' },
          'ref.csv': { digest: 'etag', ref: 's3://bucket/ref.csv', extra: { etag: '"etag"' } },
        },
      }),
    );
    expect(manifest.storagePolicyConfig).toEqual({ storageLayout: 'V2' });
    expect(manifest.entries).toEqual([
      { path: 'a.txt', digest: 'abc=', ref: null, birthArtifactId: 'QXJ0aWZhY3Q6MQ==', size: 3, extra: {} },
      { path: 'ref.csv', digest: 'etag', ref: 's3://bucket/ref.csv', birthArtifactId: null, size: null, extra: { etag: '"etag"' } },
    ]);
  });

  it('refuses a manifest without a version, of another version, or of an unknown policy', () => {
    expect(() => parseManifest('{}')).toThrow(/Must contain version field/);
    expect(() => parseManifest('{"version":2}')).toThrow(/Invalid manifest version/);
    expect(() => parseManifest('{"version":1,"storagePolicy":"x"}')).toThrow(/Failed to find storage policy 'x'/);
  });
});

describe('artifact decoding', () => {
  const client = createClient({ baseUrl: 'https://api.wandb.ai', apiKey: 'x'.repeat(40), env: {} });
  const project = (entity: string, name: string) => ({ id: 'P', internalId: '1', name, entity: { name: entity } });
  const node = {
    id: 'QXJ0aWZhY3Q6Nw==',
    artifactSequence: { __typename: 'ArtifactSequence' as const, name: 'mnist-cnn', project: project('demo', 'mnist-classifier') },
    versionIndex: 2,
    artifactType: { name: 'model' },
    description: null,
    metadata: '{"acc": NaN, "layers": 3}',
    ttlDurationSeconds: -1,
    ttlIsInherited: false,
    tags: [{ id: 't', name: 'clean' }],
    historyStep: 0,
    state: 'COMMITTED',
    size: 10,
    digest: 'd',
    commitHash: 'c',
    fileCount: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: null,
    aliases: [
      { id: 'a1', alias: 'best', artifactCollection: { __typename: 'ArtifactSequence' as const, name: 'mnist-cnn', project: project('demo', 'mnist-classifier') } },
      { id: 'a2', alias: 'production', artifactCollection: { __typename: 'ArtifactPortfolio' as const, name: 'mnist-models', project: project('org-e', 'wandb-registry-model') } },
    ],
  };

  it('keeps the requested alias in the name and only the aliases of the fetched collection', () => {
    const a = toArtifact(client, node as never, { entity: 'demo', project: 'mnist-classifier', name: 'mnist-cnn:best' });
    expect(a).toMatchObject({
      name: 'mnist-cnn:best',
      version: 'v2',
      qualifiedName: 'demo/mnist-classifier/mnist-cnn:best',
      sourceName: 'mnist-cnn:v2',
      isLink: false,
      aliases: ['best'],
      tags: ['clean'],
      ttl: null,
      updatedAt: '2026-01-01T00:00:00Z',
      historyStep: 0,
      url: 'https://wandb.ai/demo/mnist-classifier/artifacts/model/mnist-cnn/v2',
    });
    expect(a.metadata.layers).toBe(3);
    expect(Number.isNaN(a.metadata.acc)).toBe(true);
  });

  it('takes a link\'s version from its membership and points registry links at the registry page', () => {
    const link = toArtifact(client, node as never, {
      entity: 'org-e',
      project: 'wandb-registry-model',
      name: 'mnist-models',
      membership: { versionIndex: 0, aliases: [{ alias: 'production' }, { alias: 'v0' }] },
      organization: 'demo-org',
    });
    expect(link).toMatchObject({ name: 'mnist-models:v0', version: 'v0', isLink: true, aliases: ['production'], sourceVersion: 'v2' });
    expect(link.url).toBe('https://wandb.ai/orgs/demo-org/registry/model?selectionPath=org-e%2Fwandb-registry-model%2Fmnist-models&view=membership&version=v0');
  });
});
