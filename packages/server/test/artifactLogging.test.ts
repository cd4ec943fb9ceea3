// Logging artifacts over HTTP with the mutations the W&B SDK sends (core/api/graphql/*.graphql, hence
// GraphQL strings here): createArtifact → createArtifactManifest → createArtifactFiles → PUT bytes →
// PUT manifest → commitArtifact, then read back with the operations our clients send.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, manifestDigest, startServer } from '../src/internal';
import { basicAuth, gql, operation } from './helpers';

// ---- the SDK's mutations (wandb core/api/graphql), verbatim but for whitespace

const CREATE_ARTIFACT = `
fragment CreatedArtifact on CreateArtifactPayload {
  artifact { id state artifactSequence { latestArtifact { id } } }
}
mutation CreateArtifact($input: CreateArtifactInput!) { createArtifact(input: $input) { ...CreatedArtifact } }`;

const CREATE_ARTIFACT_MANIFEST = `
mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID, $name: String!, $digest: String!, $entityName: String!,
  $projectName: String!, $runName: String!, $manifestType: ArtifactManifestType!, $includeUpload: Boolean!) {
  createArtifactManifest(input: { artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name, digest: $digest,
    entityName: $entityName, projectName: $projectName, runName: $runName, type: $manifestType }) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } }
  }
}`;

const UPDATE_ARTIFACT_MANIFEST = `
mutation UpdateArtifactManifest($artifactManifestID: ID!, $digest: String, $baseArtifactID: ID, $includeUpload: Boolean!) {
  updateArtifactManifest(input: { artifactManifestID: $artifactManifestID, digest: $digest, baseArtifactID: $baseArtifactID }) {
    artifactManifest { id file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) } }
  }
}`;

const CREATE_ARTIFACT_FILES = `
mutation CreateArtifactFiles($artifactFiles: [CreateArtifactFileSpecInput!]!, $storageLayout: ArtifactStorageLayout!) {
  createArtifactFiles(input: { artifactFiles: $artifactFiles, storageLayout: $storageLayout }) {
    files { edges { node { storagePath uploadUrl uploadHeaders uploadMultipartUrls { uploadID uploadUrlParts { partNumber uploadUrl } } artifact { id } } } }
  }
}`;

const COMMIT_ARTIFACT = `
mutation CommitArtifact($artifactID: ID!) { commitArtifact(input: { artifactID: $artifactID }) { artifact { id digest } } }`;

// ---- an SDK-like client

let server: LocalServer;
let eveKey: string;
const PROJECT = 'logging';
const RUN = 'run-1';

beforeAll(async () => {
  server = await startServer();
  server.store.createProject({ entity: server.entity, name: PROJECT, access: 'PRIVATE' });
  server.store.createRun({ entity: server.entity, project: PROJECT, name: RUN });
  eveKey = server.store.createUser({ username: 'eve' }).apiKey;
}, 60_000);
afterAll(() => server.stop());

const md5 = (bytes: Uint8Array | string): string => createHash('md5').update(bytes).digest('base64');

interface Draft {
  name: string;
  files: Record<string, Uint8Array>;
  references?: Record<string, { ref: string; digest: string; size?: number }>;
  aliases?: string[];
}

const entriesOf = (d: Draft) => [
  ...Object.entries(d.files).map(([path, bytes]) => ({ path, digest: md5(bytes) })),
  ...Object.entries(d.references ?? {}).map(([path, r]) => ({ path, digest: r.digest })),
];

async function ok<T = any>(query: string, variables: Record<string, unknown>, apiKey?: string): Promise<T> {
  const res = await gql(server, query, variables, apiKey ? { apiKey } : {});
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as T;
}

async function createArtifact(d: Draft, apiKey?: string) {
  const input = {
    entityName: server.entity,
    projectName: PROJECT,
    artifactTypeName: 'dataset',
    artifactCollectionName: d.name,
    runName: RUN,
    digest: manifestDigest(entriesOf(d)),
    digestAlgorithm: 'MANIFEST_MD5',
    aliases: (d.aliases ?? []).map((alias) => ({ artifactCollectionName: d.name, alias })),
    tags: [{ tagName: 'logged' }],
    metadata: JSON.stringify({ rows: 3 }),
    enableDigestDeduplication: true,
    clientID: randomBytes(8).toString('hex'),
    sequenceClientID: randomBytes(8).toString('hex'),
  };
  return gql(server, CREATE_ARTIFACT, { input }, apiKey ? { apiKey } : {});
}

const manifestVars = (artifactID: string, digest: string, includeUpload: boolean) => ({
  artifactID,
  name: 'wandb_manifest.json',
  digest,
  entityName: server.entity,
  projectName: PROJECT,
  runName: RUN,
  manifestType: 'FULL',
  includeUpload,
});

const headersOf = (list: string[]) => Object.fromEntries(list.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)]));

/** What saver.go does after createArtifact: manifest id, file URLs, uploads, the manifest JSON and its upload. */
async function uploadAll(artifactId: string, d: Draft) {
  const created = await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(artifactId, '', false));
  const manifestId: string = created.createArtifactManifest.artifactManifest.id;
  const names = Object.keys(d.files);
  const filesRes = await ok(CREATE_ARTIFACT_FILES, {
    storageLayout: 'V2',
    artifactFiles: names.map((name) => ({ artifactID: artifactId, artifactManifestID: manifestId, name, md5: md5(d.files[name] as Uint8Array) })),
  });
  const nodes = filesRes.createArtifactFiles.files.edges.map((e: { node: unknown }) => e.node) as {
    uploadUrl: string | null;
    uploadHeaders: string[];
    uploadMultipartUrls: unknown;
    storagePath: string;
    artifact: { id: string };
  }[];
  expect(nodes).toHaveLength(names.length);
  const contents: Record<string, unknown> = {};
  const uploaded: string[] = [];
  for (const [i, node] of nodes.entries()) {
    const name = names[i] as string;
    const bytes = d.files[name] as Uint8Array;
    expect(node.uploadMultipartUrls).toBeNull();
    if (node.uploadUrl) {
      expect(node.uploadUrl.startsWith(`${server.storageUrl}/`)).toBe(true);
      const put = await fetch(node.uploadUrl, { method: 'PUT', headers: headersOf(node.uploadHeaders), body: Buffer.from(bytes) });
      expect(put.status).toBe(200);
      uploaded.push(name);
    }
    contents[name] = { digest: md5(bytes), birthArtifactID: node.artifact.id, size: bytes.length };
  }
  for (const [path, r] of Object.entries(d.references ?? {})) contents[path] = { digest: r.digest, ref: r.ref, ...(r.size === undefined ? {} : { size: r.size }) };
  const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents });
  const upsert = await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(artifactId, manifestDigest(entriesOf(d)), true));
  const file = upsert.createArtifactManifest.artifactManifest.file as { uploadUrl: string; uploadHeaders: string[] };
  const put = await fetch(file.uploadUrl, { method: 'PUT', headers: headersOf(file.uploadHeaders), body: manifest });
  expect(put.status).toBe(200);
  return { nodes, uploaded, manifestId };
}

async function logArtifact(d: Draft) {
  const data = await createArtifact(d);
  expect(data.body.errors).toBeUndefined();
  const artifact = data.body.data.createArtifact.artifact as { id: string; state: string; artifactSequence: { latestArtifact: { id: string } | null } };
  if (artifact.state === 'COMMITTED') return { artifact, deduped: true, uploaded: [] as string[], nodes: [] };
  const up = await uploadAll(artifact.id, d);
  const committed = await ok(COMMIT_ARTIFACT, { artifactID: artifact.id });
  expect(committed.commitArtifact.artifact).toEqual({ id: artifact.id, digest: manifestDigest(entriesOf(d)) });
  return { artifact, deduped: false, ...up };
}

async function membership(name: string) {
  const data = await ok(operation('ArtifactMembershipByName'), { entity: server.entity, project: PROJECT, name });
  return data.project?.artifactCollectionMembership ?? null;
}

async function filesOf(collection: string, alias: string) {
  const data = await ok(operation('ArtifactMembershipFiles'), { entity: server.entity, project: PROJECT, collection, alias, perPage: 1000 });
  return data.project.artifactCollection.artifactMembership.files.edges.map((e: { node: unknown }) => e.node) as {
    name: string;
    digest: string;
    md5: string | null;
    sizeBytes: number;
    directUrl: string;
  }[];
}

const first: Draft = {
  name: 'logged-dataset',
  files: { 'train.csv': Buffer.from('a,b\n1,2\n'), 'data/blob.bin': randomBytes(300_000), 'empty.txt': Buffer.alloc(0) },
  references: { 'remote/readme.md': { ref: 'https://example.com/readme.md', digest: 'https://example.com/readme.md' } },
  aliases: ['best'],
};

describe('logging an artifact', () => {
  it('creates a PENDING version, uploads files and manifest, commits it as v0 with latest and its aliases', async () => {
    const created = await createArtifact(first);
    expect(created.body.errors).toBeUndefined();
    const pending = created.body.data.createArtifact.artifact;
    expect(pending.state).toBe('PENDING');
    expect(pending.artifactSequence.latestArtifact).toBeNull();
    // Not reachable by name until it commits.
    expect(await membership(`${first.name}:latest`)).toBeNull();

    const { nodes, uploaded } = await uploadAll(pending.id, first);
    expect(uploaded.sort()).toEqual(Object.keys(first.files).sort());
    for (const node of nodes) {
      expect(node.artifact.id).toBe(pending.id);
      expect(node.uploadHeaders.some((h) => h.startsWith('Content-MD5:'))).toBe(true);
    }
    const committed = await ok(COMMIT_ARTIFACT, { artifactID: pending.id });
    expect(committed.commitArtifact.artifact).toEqual({ id: pending.id, digest: manifestDigest(entriesOf(first)) });
    // Committing again changes nothing.
    expect((await ok(COMMIT_ARTIFACT, { artifactID: pending.id })).commitArtifact.artifact.id).toBe(pending.id);

    const m = await membership(`${first.name}:latest`);
    expect(m.versionIndex).toBe(0);
    expect(m.artifact.id).toBe(pending.id);
    expect(m.artifact.state).toBe('COMMITTED');
    expect(m.artifact.digest).toBe(manifestDigest(entriesOf(first)));
    expect(m.artifact.fileCount).toBe(4);
    expect(m.artifact.tags.map((t: { name: string }) => t.name)).toEqual(['logged']);
    expect(JSON.parse(m.artifact.metadata)).toEqual({ rows: 3 });
    expect(m.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['best', 'latest']);
    expect((await membership(`${first.name}:best`)).artifact.id).toBe(pending.id);
    expect((await membership(`${first.name}:v0`)).artifact.id).toBe(pending.id);

    const files = await filesOf(first.name, 'v0');
    expect(files.map((f) => f.name).sort()).toEqual(['data/blob.bin', 'empty.txt', 'remote/readme.md', 'train.csv']);
    for (const f of files) {
      const bytes = first.files[f.name];
      if (!bytes) {
        expect(f.directUrl).toBe('https://example.com/readme.md');
        continue;
      }
      expect(f.digest).toBe(md5(bytes));
      expect(f.md5).toBe(md5(bytes));
      expect(f.sizeBytes).toBe(bytes.length);
      const res = await fetch(f.directUrl);
      expect(res.status).toBe(200);
      const got = Buffer.from(await res.arrayBuffer());
      expect(md5(got)).toBe(md5(bytes));
    }

    const manifestRes = await ok(operation('FetchArtifactManifest'), { id: pending.id });
    const manifest = (await (await fetch(manifestRes.artifact.currentManifest.file.directUrl)).json()) as { contents: Record<string, { digest: string }> };
    expect(manifestDigest(Object.entries(manifest.contents).map(([path, e]) => ({ path, digest: e.digest })))).toBe(m.artifact.digest);
  });

  it('dedupes a version with the digest of the latest one, then logs a changed one as v1 without re-uploading known bytes', async () => {
    const again = await logArtifact({ ...first, aliases: ['again'] });
    expect(again.deduped).toBe(true);
    const v0 = await membership(`${first.name}:v0`);
    expect(again.artifact.id).toBe(v0.artifact.id);
    expect(again.artifact.artifactSequence.latestArtifact?.id).toBe(v0.artifact.id);
    expect(v0.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['again', 'best', 'latest']);
    expect(await membership(`${first.name}:v1`)).toBeNull();

    const changed: Draft = { name: first.name, files: { ...first.files, 'train.csv': Buffer.from('a,b\n1,2\n3,4\n') }, aliases: ['candidate'] };
    const second = await logArtifact(changed);
    expect(second.deduped).toBe(false);
    // The base for the SDK's manifest: the sequence's latest version.
    expect(second.artifact.artifactSequence.latestArtifact?.id).toBe(v0.artifact.id);
    // Only the changed file is uploaded; unchanged ones keep the version that first stored them.
    expect(second.uploaded).toEqual(['train.csv']);
    const births = Object.fromEntries(Object.keys(changed.files).map((name, i) => [name, second.nodes[i]?.artifact.id]));
    expect(births).toEqual({ 'train.csv': second.artifact.id, 'data/blob.bin': v0.artifact.id, 'empty.txt': v0.artifact.id });

    const latest = await membership(`${first.name}:latest`);
    expect(latest.versionIndex).toBe(1);
    expect(latest.artifact.id).toBe(second.artifact.id);
    expect(latest.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['candidate', 'latest']);
    expect((await membership(`${first.name}:best`)).versionIndex).toBe(0);
    const files = await filesOf(first.name, 'latest');
    const train = files.find((f) => f.name === 'train.csv');
    expect(Buffer.from(await (await fetch(train?.directUrl as string)).arrayBuffer()).toString()).toBe('a,b\n1,2\n3,4\n');
  });

  it('takes the manifest upload URL from updateArtifactManifest too', async () => {
    const d: Draft = { name: 'via-update', files: { 'x.txt': Buffer.from('x') } };
    const created = await createArtifact(d);
    const id = created.body.data.createArtifact.artifact.id;
    const manifestId = (await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(id, '', false))).createArtifactManifest.artifactManifest.id;
    const updated = await ok(UPDATE_ARTIFACT_MANIFEST, { artifactManifestID: manifestId, digest: manifestDigest(entriesOf(d)), includeUpload: true });
    expect(updated.updateArtifactManifest.artifactManifest.id).toBe(manifestId);
    expect(updated.updateArtifactManifest.artifactManifest.file.uploadUrl.startsWith(`${server.storageUrl}/`)).toBe(true);
  });
});

describe('continuing a version', () => {
  it('a second createArtifact with the same clientID continues the pending version: metadata kept unless given again, aliases joined, one version', async () => {
    const d: Draft = { name: 'continued', files: { 'wandb-job.json': Buffer.from('{"a": 1}'), 'requirements.frozen.txt': Buffer.from('wandb\n') } };
    const clientID = randomBytes(8).toString('hex');
    const base = {
      entityName: server.entity,
      projectName: PROJECT,
      artifactTypeName: 'job',
      artifactCollectionName: d.name,
      runName: RUN,
      digest: manifestDigest(entriesOf(d)),
      digestAlgorithm: 'MANIFEST_MD5',
      enableDigestDeduplication: true,
      clientID,
      sequenceClientID: randomBytes(8).toString('hex'),
    };
    const firstCall = await ok(CREATE_ARTIFACT, { input: { ...base, metadata: JSON.stringify({ _partial: true }), aliases: [{ artifactCollectionName: d.name, alias: 'first' }] } });
    const second = await ok(CREATE_ARTIFACT, { input: { ...base, aliases: [{ artifactCollectionName: d.name, alias: 'second' }] } });
    expect(second.createArtifact.artifact.id).toBe(firstCall.createArtifact.artifact.id);
    expect(second.createArtifact.artifact.state).toBe('PENDING');
    const id = second.createArtifact.artifact.id as string;
    await uploadAll(id, d);
    await ok(COMMIT_ARTIFACT, { artifactID: id });
    // A third call after the commit answers the committed version (the SDK then skips the upload).
    const third = await ok(CREATE_ARTIFACT, { input: base });
    expect(third.createArtifact.artifact).toMatchObject({ id, state: 'COMMITTED' });

    const m = await membership(`${d.name}:latest`);
    expect(m.artifact.id).toBe(id);
    expect(m.versionIndex).toBe(0);
    expect(JSON.parse(m.artifact.metadata)).toEqual({ _partial: true });
    expect(m.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['first', 'latest', 'second']);
    expect(await membership(`${d.name}:v1`)).toBeNull();
  });

  it('refuses an INCREMENTAL base that is not a committed version of the same artifact, and an unknown storage region', async () => {
    const created = await createArtifact({ name: 'incremental-base', files: { 'a.txt': Buffer.from('a') } });
    const id = created.body.data.createArtifact.artifact.id as string;
    const other = (await membership(`${first.name}:v0`)).artifact.id as string;
    const res = await gql(server, CREATE_ARTIFACT_MANIFEST, { ...manifestVars(id, '', false), manifestType: 'INCREMENTAL', baseArtifactID: other });
    expect(res.body.errors?.[0]?.message).toMatch(/not a committed version of this artifact/);
    const region = await gql(server, CREATE_ARTIFACT, {
      input: { entityName: server.entity, projectName: PROJECT, artifactTypeName: 'dataset', artifactCollectionName: 'r', digest: 'd', digestAlgorithm: 'MANIFEST_MD5', storageRegion: 'mars' },
    });
    expect(region.body.errors?.[0]?.message).toMatch(/unknown storage region "mars"/);
  });
});

describe('logging under concurrency', () => {
  it('uploads hundreds of small files of two artifacts at once (batches in parallel, shared bytes under several names): every file reads back as its own bytes', async () => {
    const drafts: Draft[] = ['many-a', 'many-b'].map((name, k) => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 240; i++) {
        // Small JSON-ish and text files, a few sharing bytes (same blob under several names), sizes 0..~2 kB.
        const body = i % 40 === 7 ? 'shared bytes\n' : `${name} ${i} ${'x'.repeat((i * 37 + k) % 2000)}\n`;
        files[i % 2 ? `dir${i % 7}/requirements-${i}.txt` : `wandb-job-${i}.json`] = Buffer.from(body);
      }
      return { name, files };
    });
    const created = await Promise.all(drafts.map((d) => createArtifact(d)));
    const ids = created.map((c) => c.body.data.createArtifact.artifact.id as string);
    await Promise.all(
      drafts.map(async (d, k) => {
        const id = ids[k] as string;
        const manifestId = (await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(id, '', false))).createArtifactManifest.artifactManifest.id;
        const names = Object.keys(d.files);
        // Batches of 60 names, all asked for at once (saver.go keeps several batches in flight).
        const batches = Array.from({ length: Math.ceil(names.length / 60) }, (_, b) => names.slice(b * 60, b * 60 + 60));
        const contents: Record<string, unknown> = {};
        await Promise.all(
          batches.map(async (batch) => {
            const res = await ok(CREATE_ARTIFACT_FILES, {
              storageLayout: 'V2',
              artifactFiles: batch.map((name) => ({ artifactID: id, artifactManifestID: manifestId, name, md5: md5(d.files[name] as Uint8Array) })),
            });
            const nodes = res.createArtifactFiles.files.edges.map((e: { node: { uploadUrl: string | null; uploadHeaders: string[]; artifact: { id: string } } }) => e.node);
            await Promise.all(
              nodes.map(async (node: { uploadUrl: string | null; uploadHeaders: string[]; artifact: { id: string } }, i: number) => {
                const name = batch[i] as string;
                const bytes = d.files[name] as Uint8Array;
                contents[name] = { digest: md5(bytes), birthArtifactID: node.artifact.id, size: bytes.length };
                if (!node.uploadUrl) return;
                const put = await fetch(node.uploadUrl, { method: 'PUT', headers: headersOf(node.uploadHeaders), body: Buffer.from(bytes) });
                expect(put.status).toBe(200);
              }),
            );
          }),
        );
        const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents });
        const upsert = await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(id, manifestDigest(entriesOf(d)), true));
        const file = upsert.createArtifactManifest.artifactManifest.file as { uploadUrl: string; uploadHeaders: string[] };
        expect((await fetch(file.uploadUrl, { method: 'PUT', headers: headersOf(file.uploadHeaders), body: manifest })).status).toBe(200);
        await ok(COMMIT_ARTIFACT, { artifactID: id });
      }),
    );
    for (const d of drafts) {
      const files = await filesOf(d.name, 'v0');
      expect(files).toHaveLength(240);
      const got = await Promise.all(files.map(async (f) => [f.name, md5(Buffer.from(await (await fetch(f.directUrl)).arrayBuffer()))] as const));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(Object.entries(d.files).map(([name, bytes]) => [name, md5(bytes)])));
    }
  });
});

describe('what logging refuses', () => {
  it('rejects a PUT whose bytes do not match Content-MD5 or the URL, and credentials on storage', async () => {
    const d: Draft = { name: 'bad-md5', files: { 'f.bin': Buffer.from('right bytes') } };
    const id = (await createArtifact(d)).body.data.createArtifact.artifact.id;
    const manifestId = (await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(id, '', false))).createArtifactManifest.artifactManifest.id;
    const node = (
      await ok(CREATE_ARTIFACT_FILES, {
        storageLayout: 'V2',
        artifactFiles: [{ artifactID: id, artifactManifestID: manifestId, name: 'f.bin', md5: md5('right bytes') }],
      })
    ).createArtifactFiles.files.edges[0].node;
    const wrong = Buffer.from('wrong bytes');
    const badHeader = await fetch(node.uploadUrl, { method: 'PUT', headers: headersOf(node.uploadHeaders), body: wrong });
    expect(badHeader.status).toBe(400);
    expect(await badHeader.text()).toContain('BadDigest');
    const noHeader = await fetch(node.uploadUrl, { method: 'PUT', body: wrong });
    expect(noHeader.status).toBe(400);
    expect(server.store.blobs.has(createHash('md5').update(wrong).digest('hex'))).toBe(false);
    const withCredentials = await fetch(node.uploadUrl, { method: 'PUT', headers: { ...headersOf(node.uploadHeaders), Authorization: basicAuth(server.apiKey) }, body: 'right bytes' });
    expect(withCredentials.status).toBe(400);
    const forged = await fetch(node.uploadUrl.replace(/sig=[0-9a-f]+/, `sig=${'0'.repeat(64)}`), { method: 'PUT', headers: headersOf(node.uploadHeaders), body: 'right bytes' });
    expect(forged.status).toBe(403);

    // The file never arrived: the commit says so.
    const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents: { 'f.bin': { digest: md5('right bytes'), size: 11 } } });
    const up = (await ok(CREATE_ARTIFACT_MANIFEST, manifestVars(id, manifestDigest(entriesOf(d)), true))).createArtifactManifest.artifactManifest.file;
    expect((await fetch(up.uploadUrl, { method: 'PUT', body: manifest })).status).toBe(200);
    const commit = await gql(server, COMMIT_ARTIFACT, { artifactID: id });
    expect(commit.body.errors?.[0]?.message).toContain('f.bin was not uploaded');

    // Uploaded right, it commits; afterwards its upload URLs are closed.
    expect((await fetch(node.uploadUrl, { method: 'PUT', headers: headersOf(node.uploadHeaders), body: 'right bytes' })).status).toBe(200);
    await ok(COMMIT_ARTIFACT, { artifactID: id });
    expect((await fetch(node.uploadUrl, { method: 'PUT', headers: headersOf(node.uploadHeaders), body: 'right bytes' })).status).toBe(409);
  });

  it('refuses a commit whose manifest does not match the digest the version was created with', async () => {
    const d: Draft = { name: 'digest-mismatch', files: { 'a.txt': Buffer.from('a') } };
    const id = (await createArtifact(d)).body.data.createArtifact.artifact.id;
    await uploadAll(id, { ...d, files: { 'a.txt': Buffer.from('a'), 'extra.txt': Buffer.from('extra') } });
    const commit = await gql(server, COMMIT_ARTIFACT, { artifactID: id });
    expect(commit.body.errors?.[0]?.message).toContain('digest');
    expect(await membership('digest-mismatch:latest')).toBeNull();
  });

  it('refuses non-members, and never lets an MD5 stand for bytes another entity holds', async () => {
    const d: Draft = { name: 'not-yours', files: { 'a.txt': Buffer.from('a') } };
    const denied = await createArtifact(d, eveKey);
    expect(denied.body.errors?.[0]?.message).toMatch(/permission denied|not found/);
    expect(denied.body.data?.createArtifact ?? null).toBeNull();

    const pendingId = (await createArtifact({ name: 'owner-pending', files: { 'a.txt': Buffer.from('a') } })).body.data.createArtifact.artifact.id;
    const files = await gql(
      server,
      CREATE_ARTIFACT_FILES,
      { storageLayout: 'V2', artifactFiles: [{ artifactID: pendingId, name: 'a.txt', md5: md5('a') }] },
      { apiKey: eveKey },
    );
    expect(files.body.errors?.[0]?.message).toMatch(/permission denied|not found/);
    expect((await gql(server, COMMIT_ARTIFACT, { artifactID: pendingId }, { apiKey: eveKey })).body.errors).toBeDefined();

    // eve logs into her own entity claiming the MD5 of the owner's private file without uploading it.
    const secret = first.files['data/blob.bin'] as Uint8Array;
    const input = {
      entityName: 'eve',
      projectName: 'mine',
      artifactTypeName: 'dataset',
      artifactCollectionName: 'stolen',
      digest: manifestDigest([{ path: 'blob.bin', digest: md5(secret) }]),
      digestAlgorithm: 'MANIFEST_MD5',
    };
    const eveArtifact = await gql(server, CREATE_ARTIFACT, { input }, { apiKey: eveKey });
    expect(eveArtifact.body.errors).toBeUndefined();
    const eveId = eveArtifact.body.data.createArtifact.artifact.id;
    const eveFiles = await gql(server, CREATE_ARTIFACT_FILES, { storageLayout: 'V2', artifactFiles: [{ artifactID: eveId, name: 'blob.bin', md5: md5(secret) }] }, { apiKey: eveKey });
    expect(eveFiles.body.data.createArtifactFiles.files.edges[0].node.uploadUrl).not.toBeNull();
    const up = await gql(
      server,
      CREATE_ARTIFACT_MANIFEST,
      { ...manifestVars(eveId, input.digest, true), entityName: 'eve', projectName: 'mine' },
      { apiKey: eveKey },
    );
    const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: {}, contents: { 'blob.bin': { digest: md5(secret) } } });
    expect((await fetch(up.body.data.createArtifactManifest.artifactManifest.file.uploadUrl, { method: 'PUT', body: manifest })).status).toBe(200);
    const commit = await gql(server, COMMIT_ARTIFACT, { artifactID: eveId }, { apiKey: eveKey });
    expect(commit.body.errors?.[0]?.message).toContain('was not uploaded');
  });
});
