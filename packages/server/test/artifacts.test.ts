// Artifacts and registries on the server, over HTTP with the operations clients send: path lookups by
// alias and version, collections and versions paging, aliases unique per collection, link/unlink,
// registries by organization, file URLs (signed directUrl without credentials, authenticated url,
// manifests, http references) and the seed contract.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corruptArtifactFile, createArtifact, type LocalServer, manifestDigest, startServer } from '../src/internal';
import { basicAuth, gql, operation, selecting } from './helpers';

let server: LocalServer;
let eveKey: string;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  eveKey = server.store.createUser({ username: 'eve' }).apiKey;
}, 120_000);
afterAll(() => server.stop());

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('base64');

async function membership(name: string, entity = 'demo', project = 'mnist-classifier', apiKey?: string) {
  const res = await gql(server, operation('ArtifactMembershipByName'), { entity, project, name }, apiKey ? { apiKey } : {});
  expect(res.body.errors).toBeUndefined();
  return res.body.data.project?.artifactCollectionMembership ?? null;
}

describe('path lookups', () => {
  it('resolves name:alias, name:vN and a bare name (latest)', async () => {
    const latest = await membership('mnist-dataset:latest');
    expect(latest.versionIndex).toBe(2);
    expect(latest.artifact.artifactSequence).toMatchObject({ __typename: 'ArtifactSequence', name: 'mnist-dataset' });
    expect(latest.artifact.artifactType.name).toBe('dataset');
    expect(latest.artifact.tags.map((t: { name: string }) => t.name)).toEqual(['clean']);
    expect(latest.artifact.state).toBe('COMMITTED');
    expect(latest.artifact.fileCount).toBe(6);
    expect(JSON.parse(latest.artifact.metadata)).toMatchObject({ revision: 2 });

    const v0 = await membership('mnist-dataset:v0');
    expect(v0.versionIndex).toBe(0);
    expect(v0.aliases.map((a: { alias: string }) => a.alias)).toEqual(['baseline']);
    expect((await membership('mnist-dataset:baseline')).artifact.id).toBe(v0.artifact.id);
    expect((await membership('mnist-dataset')).versionIndex).toBe(2);

    const best = await membership('mnist-cnn:best');
    expect(best.versionIndex).toBe(2);
    expect((await membership('mnist-cnn:latest')).versionIndex).toBe(3);
    expect(await membership('mnist-cnn:v9')).toBeNull();
    expect(await membership('mnist-cnn:nope')).toBeNull();
    expect(await membership('no-such-artifact:latest')).toBeNull();
  });

  it('answers ProjectArtifactType and artifact(id)', async () => {
    const type = await gql(server, operation('ProjectArtifactType'), { entity: 'demo', project: 'mnist-classifier', type: 'model' });
    expect(type.body.data.project.artifactType.name).toBe('model');
    const v2 = await membership('mnist-cnn:v2');
    const byId = await gql(server, operation('ArtifactById'), { id: v2.artifact.id });
    expect(byId.body.errors).toBeUndefined();
    expect(JSON.stringify(byId.body.data)).toContain('mnist-cnn');
  });

  it('hides private projects from non-members, as runs do', async () => {
    createArtifact(server.store, { entity: 'demo', project: 'llm-finetune', type: 'model', name: 'secret-model', files: { 'w.bin': 'w' } });
    expect(await membership('secret-model:latest', 'demo', 'llm-finetune')).not.toBeNull();
    expect(await membership('secret-model:latest', 'demo', 'llm-finetune', eveKey)).toBeNull();
    // Public project: readable by everyone.
    expect((await membership('mnist-cnn:v0', 'demo', 'mnist-classifier', eveKey)).versionIndex).toBe(0);
  });
});

describe('collections and versions', () => {
  it('pages collections of a type with keyset cursors and totalCount', async () => {
    const vars = { entity: 'demo', project: 'mnist-classifier', type: 'dataset', perPage: 1 };
    const first = await gql(server, operation('ArtifactTypeArtifactCollections'), vars);
    const conn1 = first.body.data.project.artifactType.artifactCollections;
    expect(conn1.totalCount).toBe(2);
    expect(conn1.pageInfo.hasNextPage).toBe(true);
    const second = await gql(server, operation('ArtifactTypeArtifactCollections'), { ...vars, cursor: conn1.pageInfo.endCursor });
    const conn2 = second.body.data.project.artifactType.artifactCollections;
    expect(conn2.pageInfo.hasNextPage).toBe(false);
    const names = [...conn1.edges, ...conn2.edges].map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual(['mnist-dataset', 'mnist-samples']);

    const filtered = await gql(server, operation('ArtifactTypeArtifactCollections'), {
      ...vars,
      perPage: 10,
      filters: JSON.stringify({ name: { $regex: 'samples' } }),
      order: '-createdAt',
    });
    expect(filtered.body.data.project.artifactType.artifactCollections.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['mnist-samples']);
  });

  it('pages versions newest first with the edge version and the COMMITTED filter', async () => {
    const vars = { entity: 'demo', project: 'mnist-classifier', type: 'model', collection: 'mnist-cnn', perPage: 3, filters: '{"state":"COMMITTED"}' };
    const page1 = (await gql(server, operation('ProjectArtifacts'), vars)).body.data.project.artifactType.artifactCollection.artifacts;
    expect(page1.totalCount).toBe(4);
    expect(page1.edges.map((e: { version: string }) => e.version)).toEqual(['v3', 'v2', 'v1']);
    // Artifact.aliases spans every collection holding the version (clients keep those of the fetched one).
    const aliases = page1.edges[1].node.aliases as { alias: string; artifactCollection: { name: string } }[];
    expect(aliases.filter((a) => a.artifactCollection.name === 'mnist-cnn').map((a) => a.alias)).toEqual(['best']);
    expect(aliases.filter((a) => a.artifactCollection.name === 'mnist-models').map((a) => a.alias).sort()).toEqual(['latest', 'production']);
    const page2 = (await gql(server, operation('ProjectArtifacts'), { ...vars, cursor: page1.pageInfo.endCursor })).body.data.project.artifactType
      .artifactCollection.artifacts;
    expect(page2.edges.map((e: { version: string }) => e.version)).toEqual(['v0']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('links runs: outputArtifacts, inputArtifacts, usedBy and createdBy', async () => {
    const v2 = await membership('mnist-cnn:v2');
    const usedBy = await gql(server, operation('ArtifactUsedBy'), { id: v2.artifact.id });
    const users = usedBy.body.data.artifact.usedBy.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(users).toHaveLength(1);
    const inputs = await gql(server, operation('RunInputArtifacts'), { entity: 'demo', project: 'mnist-classifier', run: users[0] });
    expect(inputs.body.data.project.run.artifacts.edges.map((e: { node: { versionIndex: number } }) => e.node.versionIndex)).toEqual([2]);
    const createdBy = await gql(server, operation('ArtifactCreatedBy'), { id: v2.artifact.id });
    const logger = createdBy.body.data.artifact.createdBy;
    expect(logger.__typename).toBe('Run');
    const outputs = await gql(server, operation('RunOutputArtifacts'), { entity: 'demo', project: 'mnist-classifier', run: logger.name });
    expect(outputs.body.data.project.run.artifacts.totalCount).toBe(1);
    expect(outputs.body.data.project.run.artifacts.edges[0].node.id).toBe(v2.artifact.id);
  });
});

describe('aliases and mutations', () => {
  it('keeps an alias unique per collection (adding moves it)', async () => {
    createArtifact(server.store, { entity: 'demo', project: 'alias-test', type: 'model', name: 'm', files: { a: '1' }, aliases: ['best'] });
    createArtifact(server.store, { entity: 'demo', project: 'alias-test', type: 'model', name: 'm', files: { a: '2' } });
    const v1 = await membership('m:v1', 'demo', 'alias-test');
    const input = { artifactID: v1.artifact.id, aliases: [{ entityName: 'demo', projectName: 'alias-test', artifactCollectionName: 'm', alias: 'best' }] };
    const added = await gql(server, selecting(operation('AddAliases'), 'addAliases(input: $input) {', 'success'), { input });
    expect(added.body.data.result.success).toBe(true);
    expect((await membership('m:best', 'demo', 'alias-test')).versionIndex).toBe(1);
    expect((await membership('m:v0', 'demo', 'alias-test')).aliases).toEqual([]);
    const bad = await gql(server, operation('AddAliases'), { input: { ...input, aliases: [{ ...input.aliases[0], alias: 'a:b' }] } });
    expect(bad.body.errors?.[0]?.message).toMatch(/invalid alias/);

    await gql(server, operation('DeleteAliases'), { input });
    expect(await membership('m:best', 'demo', 'alias-test')).toBeNull();
  });

  it('updates description, metadata, tags and TTL; refuses deleting an aliased artifact unless asked', async () => {
    createArtifact(server.store, { entity: 'demo', project: 'alias-test', type: 'dataset', name: 'd', files: { x: 'x' } });
    const m = await membership('d:v0', 'demo', 'alias-test');
    const updated = await gql(server, operation('UpdateArtifact'), {
      input: { artifactID: m.artifact.id, description: 'new', metadata: '{"k":1}', ttlDurationSeconds: 3600, tagsToAdd: [{ tagName: 'gold' }] },
    });
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data.result.artifact).toMatchObject({ description: 'new', metadata: '{"k":1}', ttlDurationSeconds: 3600, ttlIsInherited: false });
    expect(updated.body.data.result.artifact.tags.map((t: { name: string }) => t.name)).toEqual(['gold']);

    const refused = await gql(server, operation('DeleteArtifact'), { input: { artifactID: m.artifact.id } });
    expect(refused.body.errors?.[0]?.message).toMatch(/aliases/);
    const deleted = await gql(server, operation('DeleteArtifact'), { input: { artifactID: m.artifact.id, deleteAliases: true } });
    expect(deleted.body.errors).toBeUndefined();
    expect(await membership('d:v0', 'demo', 'alias-test')).toBeNull();
  });

  it('refuses moving a collection to or from a reserved type', async () => {
    const job = createArtifact(server.store, { entity: 'demo', project: 'alias-test', type: 'job', name: 'job-x', files: { 'wandb-job.json': '{}' } });
    const gid = Buffer.from(`ArtifactCollection:${job.collectionId}`).toString('base64');
    const moved = await gql(server, operation('UpdateArtifactSequenceType'), { input: { artifactSequenceID: gid, destinationArtifactTypeName: 'model' } });
    expect(moved.body.errors?.[0]?.message).toMatch(/reserved/);
  });
});

describe('organizations and registries', () => {
  it('finds the organization from the user entity and lists registries by org', async () => {
    const info = await gql(server, operation('FetchOrgInfoFromEntity'), { entity: 'demo' });
    expect(info.body.data.entity.organization).toBeNull();
    expect(info.body.data.entity.user.organizations).toEqual([{ name: 'demo-org', orgEntity: { name: 'demo-org-entity' } }]);
    const team = await gql(server, operation('FetchOrgInfoFromEntity'), { entity: 'demo-org-entity' });
    expect(team.body.data.entity.organization.name).toBe('demo-org');

    const all = await gql(server, operation('FetchRegistries'), { organization: 'demo-org', filters: '{}', perPage: 1 });
    expect(all.body.errors).toBeUndefined();
    const page1 = all.body.data.organization.orgEntity.projects;
    expect(page1.edges[0].node).toMatchObject({ name: 'wandb-registry-model', access: 'PRIVATE', allowAllArtifactTypes: false });
    expect(page1.edges[0].node.artifactTypes.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['model']);
    expect(page1.edges[0].node.entity.organization.name).toBe('demo-org');
    const page2 = await gql(server, operation('FetchRegistries'), { organization: 'demo-org', filters: '{}', perPage: 1, cursor: page1.pageInfo.endCursor });
    expect(page2.body.data.organization.orgEntity.projects.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['wandb-registry-dataset']);

    const byName = await gql(server, operation('FetchRegistries'), { organization: 'demo-org', filters: JSON.stringify({ name: 'wandb-registry-dataset' }) });
    const only = byName.body.data.organization.orgEntity.projects.edges;
    expect(only).toHaveLength(1);
    expect(only[0].node.description).toBe('Curated datasets of demo-org');

    // Not a member: no organization.
    const outsider = await gql(server, operation('FetchRegistries'), { organization: 'demo-org', filters: '{}' }, { apiKey: eveKey });
    expect(outsider.body.data.organization).toBeNull();
  });

  it('serves registry versions and collections across the org entity', async () => {
    const versions = await gql(server, operation('RegistryVersions'), {
      organization: 'demo-org',
      registryFilter: JSON.stringify({ name: 'wandb-registry-model' }),
      collectionFilter: '{}',
      artifactFilter: JSON.stringify({ alias: 'production' }),
    });
    expect(versions.body.errors).toBeUndefined();
    const nodes = versions.body.data.organization.orgEntity.artifactMemberships.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(1);
    expect(nodes[0].artifactCollection).toMatchObject({ __typename: 'ArtifactPortfolio', name: 'mnist-models' });
    expect(nodes[0].artifact.artifactSequence.name).toBe('mnist-cnn');
    expect(nodes[0].artifact.versionIndex).toBe(2);

    const collections = await gql(server, operation('RegistryCollections'), {
      organization: 'demo-org',
      registryFilter: '{}',
      collectionFilter: '{}',
      collectionTypes: ['PORTFOLIO'],
    });
    expect(collections.body.errors).toBeUndefined();
    const conn = collections.body.data.organization.orgEntity.artifactCollections;
    expect(conn.totalCount).toBe(1);
    expect(conn.edges[0].node.name).toBe('mnist-models');

    // The registry link resolves by path under the org entity, with its own version index and alias.
    const linked = await membership('mnist-models:production', 'demo-org-entity', 'wandb-registry-model');
    expect(linked.versionIndex).toBe(0);
    expect(linked.artifactCollection.__typename).toBe('ArtifactPortfolio');
  });

  it('links (creating the portfolio) and unlinks; registries refuse types they do not allow', async () => {
    const v3 = await membership('mnist-cnn:v3');
    const link = await gql(server, operation('LinkArtifact'), {
      input: {
        artifactID: v3.artifact.id,
        artifactPortfolioName: 'cnn-candidates',
        entityName: 'demo-org-entity',
        projectName: 'wandb-registry-model',
        aliases: [{ artifactCollectionName: 'cnn-candidates', alias: 'staging' }],
      },
    });
    expect(link.body.errors).toBeUndefined();
    const m = link.body.data.result;
    expect(m.artifactMembership.versionIndex).toBe(0);
    expect(m.artifactMembership.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['latest', 'staging']);
    expect(m.artifactMembership.artifactCollection.__typename).toBe('ArtifactPortfolio');

    const collection = await gql(server, operation('ProjectArtifactCollection'), {
      entity: 'demo-org-entity',
      project: 'wandb-registry-model',
      type: 'model',
      name: 'cnn-candidates',
    });
    const portfolioId = collection.body.data.project.artifactType.artifactCollection.id;
    const unlink = await gql(server, selecting(operation('UnlinkArtifact'), 'unlinkArtifact(input: $input) {', 'success'), { input: { artifactID: v3.artifact.id, artifactPortfolioID: portfolioId } });
    expect(unlink.body.data.result.success).toBe(true);
    expect(await membership('cnn-candidates:staging', 'demo-org-entity', 'wandb-registry-model')).toBeNull();

    const dataset = await membership('mnist-dataset:v2');
    const refused = await gql(server, operation('LinkArtifact'), {
      input: { artifactID: dataset.artifact.id, artifactPortfolioName: 'datasets', entityName: 'demo-org-entity', projectName: 'wandb-registry-model' },
    });
    expect(refused.body.errors?.[0]?.message).toMatch(/not allowed in registry/);
  });

  it('creates a registry with upsertModel and its artifact types', async () => {
    const created = await gql(server, operation('UpsertRegistry'), {
      input: {
        entityName: 'demo-org-entity',
        name: 'wandb-registry-eval',
        description: 'evals',
        access: 'RESTRICTED',
        allowAllArtifactTypesInRegistry: false,
        artifactTypes: [{ name: 'eval-set' }],
      },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.upsertModel.inserted).toBe(true);
    expect(created.body.data.upsertModel.project).toMatchObject({ name: 'wandb-registry-eval', access: 'RESTRICTED', allowAllArtifactTypes: false });
    expect(created.body.data.upsertModel.project.artifactTypes.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['eval-set']);
  });
});

describe('file URLs', () => {
  async function files(name: string, alias: string, extra: Record<string, unknown> = {}) {
    const res = await gql(server, operation('ArtifactMembershipFileUrls'), {
      entity: 'demo',
      project: 'mnist-classifier',
      collection: name,
      alias,
      perPage: 100,
      ...extra,
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.project.artifactCollection.artifactMembership.files;
  }

  it('gives signed directUrls on the storage origin whose bytes match the manifest digests', async () => {
    const v2 = await membership('mnist-dataset:v2');
    const manifestRes = await gql(server, operation('FetchArtifactManifest'), { id: v2.artifact.id });
    const manifestUrl: string = manifestRes.body.data.artifact.currentManifest.file.directUrl;
    expect(manifestUrl.startsWith(`${server.storageUrl}/manifest/`)).toBe(true);
    const manifest = (await (await fetch(manifestUrl)).json()) as { version: number; contents: Record<string, { digest: string; ref?: string; size?: number }> };
    expect(manifest.version).toBe(1);
    const entries = Object.entries(manifest.contents).map(([path, e]) => ({ path, ...e }));
    expect(manifestDigest(entries)).toBe(v2.artifact.digest);

    const conn = await files('mnist-dataset', 'v2');
    expect(conn.edges).toHaveLength(6);
    for (const { node } of conn.edges as { node: { name: string; directUrl: string; url: string } }[]) {
      const entry = manifest.contents[node.name];
      expect(entry).toBeDefined();
      if (entry?.ref?.startsWith('s3://')) {
        expect(node.directUrl).toBe(entry.ref);
        continue;
      }
      const res = await fetch(node.directUrl);
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (entry?.ref) {
        // The http reference: served without credentials, ETag (unquoted) = digest.
        expect(entry.ref.startsWith(`${server.storageUrl}/public/`)).toBe(true);
        expect(res.headers.get('etag')).toBe(`"${entry.digest}"`);
      } else {
        expect(node.directUrl.startsWith(`${server.storageUrl}/artifact-blob/`)).toBe(true);
        expect(md5(bytes)).toBe(entry?.digest);
        expect(bytes.length).toBe(entry?.size);
      }
    }
  });

  it('filters by names, counts, and pages files', async () => {
    const named = await gql(server, operation('ArtifactMembershipFiles'), {
      entity: 'demo',
      project: 'mnist-classifier',
      collection: 'mnist-samples',
      alias: 'v0',
      fileNames: ['samples/0007.txt', 'samples/0199.txt'],
    });
    const conn = named.body.data.project.artifactCollection.artifactMembership.files;
    expect(conn.totalCount).toBe(2);
    expect(conn.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['samples/0007.txt', 'samples/0199.txt']);
    let cursor: string | null = null;
    let seen = 0;
    for (;;) {
      const page = await files('mnist-samples', 'latest', { perPage: 64, cursor });
      seen += page.edges.length;
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    expect(seen).toBe(200);
  });

  it('refuses credentials on signed URLs, serves Range, and requires the API key on url', async () => {
    const { node } = (await files('mnist-dataset', 'v2', { fileNames: ['train.csv'] })).edges[0];
    expect((await fetch(node.directUrl, { headers: { Authorization: basicAuth(server.apiKey) } })).status).toBe(400);
    const ranged = await fetch(node.directUrl, { headers: { Range: 'bytes=0-4' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('label');
    expect(node.url.startsWith(`${server.url}/artifacts/demo/`)).toBe(true);
    expect((await fetch(node.url)).status).toBe(401);
    const authed = await fetch(node.url, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(authed.status).toBe(200);
    expect((await authed.text()).startsWith('label,pixels')).toBe(true);
  });

  it('serves what corruptArtifactFile damaged (for download-verification tests)', async () => {
    const made = createArtifact(server.store, { entity: 'demo', project: 'corrupt', type: 'dataset', name: 'c', files: { 'big.bin': { generate: 10_000 } } });
    corruptArtifactFile(server.store, made.id, 'big.bin', 'truncate');
    const res = await gql(server, operation('ArtifactMembershipFileUrls'), { entity: 'demo', project: 'corrupt', collection: 'c', alias: 'v0' });
    const url = res.body.data.project.artifactCollection.artifactMembership.files.edges[0].node.directUrl;
    expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(5_000);
  });
});

describe('blob bodies from reused buffers', () => {
  it('serves concurrent small and large blobs, ranges and abandoned reads, each with its own bytes', async () => {
    // Large blobs (over 1 MiB) are sent through two buffers each, the others from one; every
    // buffer is reused once the socket took it. Distinct contents show any byte served twice.
    const files: Record<string, { generate: number; seed: number }> = {};
    for (let i = 0; i < 4; i++) files[`large-${i}.bin`] = { generate: 3 * 2 ** 20 + 1234 * i, seed: 100 + i };
    for (let i = 0; i < 12; i++) files[`small-${i}.bin`] = { generate: 900_000 + i, seed: 200 + i };
    createArtifact(server.store, { entity: 'demo', project: 'slabs', type: 'dataset', name: 's', files });
    const res = await gql(server, operation('ArtifactMembershipFileUrls'), { entity: 'demo', project: 'slabs', collection: 's', alias: 'v0', perPage: 100 });
    const urls = new Map<string, string>(
      res.body.data.project.artifactCollection.artifactMembership.files.edges.map((e: { node: { name: string; directUrl: string } }) => [e.node.name, e.node.directUrl]),
    );
    const whole = new Map<string, Buffer>();
    for (const [name, url] of urls) whole.set(name, Buffer.from(await (await fetch(url)).arrayBuffer()));
    for (const [name, spec] of Object.entries(files)) expect(whole.get(name)!.length).toBe(spec.generate);
    expect(new Set([...whole.values()].map((b) => md5(b))).size).toBe(urls.size);

    const abandoned = async (url: string) => {
      const controller = new AbortController();
      const reader = (await fetch(url, { signal: controller.signal })).body!.getReader();
      await reader.read();
      controller.abort();
    };
    const ranged = async (name: string, start: number, end: number) => {
      const got = await fetch(urls.get(name)!, { headers: { Range: `bytes=${start}-${end}` } });
      expect(got.status).toBe(206);
      expect(md5(Buffer.from(await got.arrayBuffer()))).toBe(md5(whole.get(name)!.subarray(start, end + 1)));
    };
    for (let round = 0; round < 3; round++) {
      // Every answer's headers first, then the bodies: the socket holds a body's bytes for a while.
      const answers = await Promise.all([...urls].map(async ([name, url]) => [name, await fetch(url)] as const));
      await Promise.all([
        ...answers.map(async ([name, answer]) => expect(md5(Buffer.from(await answer.arrayBuffer()))).toBe(md5(whole.get(name)!))),
        abandoned(urls.get('large-0.bin')!),
        abandoned(urls.get('large-3.bin')!),
        ranged('large-1.bin', 2 ** 20 - 7, 2 * 2 ** 20 + 11),
        ranged('small-5.bin', 100, 60_000),
      ]);
    }
  });
});

describe('expired signed URLs', () => {
  it('answers 403 once the signature expired', async () => {
    const expired = await startServer({ seed: 'empty', signedUrlTtlMs: -60_000 });
    try {
      createArtifact(expired.store, { entity: 'demo', project: 'p', type: 'dataset', name: 'd', files: { 'a.txt': 'a' } });
      const res = await gql(expired, operation('ArtifactMembershipFileUrls'), { entity: 'demo', project: 'p', collection: 'd', alias: 'latest' });
      const url = res.body.data.project.artifactCollection.artifactMembership.files.edges[0].node.directUrl;
      const answer = await fetch(url);
      expect(answer.status).toBe(403);
      expect(await answer.text()).toMatch(/expired/);
    } finally {
      await expired.stop();
    }
  });
});

describe('artifactFiles seed', () => {
  it('generates artifacts of many or large files', async () => {
    const bench = await startServer({ seed: { artifactFiles: [{ count: 50, bytes: 1000 }, { count: 2, bytes: 3 * 2 ** 20 + 5 }] } });
    try {
      const big = await gql(bench, operation('ArtifactMembershipByName'), { entity: 'demo', project: 'artifact-bench', name: `files-2x${3 * 2 ** 20 + 5}:latest` });
      expect(big.body.data.project.artifactCollectionMembership.artifact).toMatchObject({ fileCount: 2, size: 2 * (3 * 2 ** 20 + 5) });
      const many = await gql(bench, operation('ArtifactMembershipByName'), { entity: 'demo', project: 'artifact-bench', name: 'files-50x1000' });
      expect(many.body.data.project.artifactCollectionMembership.artifact.fileCount).toBe(50);
      const res = await gql(bench, operation('ArtifactMembershipFileUrls'), {
        entity: 'demo',
        project: 'artifact-bench',
        collection: `files-2x${3 * 2 ** 20 + 5}`,
        alias: 'v0',
      });
      const node = res.body.data.project.artifactCollection.artifactMembership.files.edges[1].node;
      const bytes = new Uint8Array(await (await fetch(node.directUrl)).arrayBuffer());
      expect(bytes.length).toBe(3 * 2 ** 20 + 5);
    } finally {
      await bench.stop();
    }
  });
});
