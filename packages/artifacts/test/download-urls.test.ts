// Download paths that need their own server settings: expired signed URLs (signedUrlTtlMs),
// parallel byte ranges above a (lowered) threshold, and reference entries.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, NotFoundError, UnsupportedError, type WandbClient } from '@wandb-api/core';
import { downloadArtifact, getArtifact, verifyArtifact } from '@wandb-api/artifacts';
import { type LocalServer, createArtifact, publicReference } from '@wandb-api/server';
import { corruptBlob } from '../../server/src/store/artifactBlobs';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let dirs: string[] = [];
const PROJECT = 'downloads';

// Signed URLs live 2 s (expiry has 1 s resolution, so a URL is good for at least 1 s).
beforeAll(async () => {
  server = await startTestServer({ signedUrlTtlMs: 2000 });
  client = testClient(server);
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wandb-download-test-'));
  dirs.push(dir);
  return dir;
}

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('base64');

function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const blobRequests = () => server.requests.filter((r) => r.origin === 'storage' && r.path.startsWith('/artifact-blob/'));

describe('signed URLs', () => {
  it('an expired signed URL (403) is refreshed and the download completes', async () => {
    const content = bytes(20_000, 1);
    createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name: 'expiring', files: { 'e.bin': content } });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/expiring:v0`);
    // The first blob request waits past the URL's expiry before the server checks it.
    server.faults.add({ path: '/artifact-blob/*', latencyMs: 3100, count: 1 });
    const root = tempDir();
    server.clearRequests();
    await downloadArtifact(client, artifact, { root });
    expect(md5(readFileSync(join(root, 'e.bin')))).toBe(md5(content));
    expect(blobRequests().map((r) => r.status)).toEqual([403, 200]);
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(2);
  });
});

describe('byte ranges', () => {
  it('a file over the threshold comes in parallel Range requests, checked as a whole', async () => {
    const content = bytes(8 * 2 ** 20 + 12_345, 2);
    createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name: 'ranged', files: { 'big.bin': content, 'small.txt': 'small' } });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/ranged:v0`);
    const root = tempDir();
    server.clearRequests();
    const progress: number[] = [];
    await downloadArtifact(client, artifact, { root, rangeThreshold: 2 ** 20, partSize: 2 ** 21, onProgress: (p) => progress.push(p.bytes) });
    expect(md5(readFileSync(join(root, 'big.bin')))).toBe(md5(content));
    const statuses = blobRequests().map((r) => r.status);
    // 5 parts of 2 MiB for the big file (206 each) and one plain GET for the small one.
    expect(statuses.filter((s) => s === 206)).toHaveLength(5);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(progress.at(-1)).toBe(content.length + 5);
    await expect(verifyArtifact(client, artifact, root)).resolves.toMatchObject({ files: 2 });
  });
});

describe('reference entries', () => {
  it('http(s) references are fetched without W&B credentials; other schemes fail before any byte is written', async () => {
    const text = 'referenced bytes, served by a public web server';
    createArtifact(server.store, {
      entity: server.entity,
      project: PROJECT,
      type: 'dataset',
      name: 'refs',
      files: { 'stored.txt': 'stored' },
      references: [publicReference(server.store, 'web/page.txt', text), { path: 'bucket/obj.bin', ref: 's3://bucket/obj.bin', digest: 'etag-1', size: 10 }],
    });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/refs:v0`);
    const root = join(tempDir(), 'refs');
    server.clearRequests();
    await expect(downloadArtifact(client, artifact, { root })).rejects.toBeInstanceOf(UnsupportedError);
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
    expect(blobRequests()).toHaveLength(0);

    server.clearRequests();
    await downloadArtifact(client, artifact, { root, allowMissingReferences: true });
    expect(readFileSync(join(root, 'web/page.txt'), 'utf8')).toBe(text);
    expect(readFileSync(join(root, 'stored.txt'), 'utf8')).toBe('stored');
    expect(existsSync(join(root, 'bucket/obj.bin'))).toBe(false);
    const publicGets = server.requests.filter((r) => r.origin === 'storage' && r.path.startsWith('/public/'));
    expect(publicGets).toHaveLength(1);
    expect(server.requests.filter((r) => r.origin === 'storage').every((r) => !r.hasAuthorization)).toBe(true);
    await expect(verifyArtifact(client, artifact, root)).resolves.toEqual({ files: 1, bytes: 6, skippedReferences: 2 });
  });

  it('a reference on the W&B host itself gets no credentials, and still gets the retries of the request loop', async () => {
    const ref = `${server.url}/hosted-ref/data.bin`;
    createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name: 'host-ref', references: [{ path: 'data.bin', ref, digest: ref, size: 3 }] });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/host-ref:v0`);
    server.faults.add({ status: 503, count: 1, path: '/hosted-ref/*' });
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root: tempDir() }).catch((e: unknown) => e);
    const hits = server.requests.filter((r) => r.path.startsWith('/hosted-ref/'));
    expect(hits.map((r) => r.status)).toEqual([503, 404]);
    expect(hits.every((r) => r.origin === 'api' && !r.hasAuthorization)).toBe(true);
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('an http reference with an MD5 ETag is checked against the bytes, not only the ETag the storage sends', async () => {
    const ref = publicReference(server.store, 'web/flipped.txt', 'bytes that storage will flip in place');
    createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name: 'flipped-ref', references: [ref] });
    // Same size, same name (the blob is named by its original MD5, so the ETag stays), other bytes.
    corruptBlob(server.store.blobs, ref.digest, 'flip');
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/flipped-ref:v0`);
    const root = tempDir();
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect(error).toMatchObject({ path: 'web/flipped.txt', expectedDigest: ref.digest });
    expect((error as ChecksumError).actualDigest).not.toBe(ref.digest);
    // The storage did send the expected ETag: it was not trusted over the bytes.
    expect(server.requests.filter((r) => r.path.startsWith('/public/')).every((r) => r.status === 200)).toBe(true);
    expect((readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => !d.isDirectory())).toEqual([]);
  });

  it('an http reference whose ETag does not match its digest is a ChecksumError', async () => {
    const ref = publicReference(server.store, 'web/changed.txt', 'version two');
    createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name: 'stale-ref', references: [{ ...ref, digest: 'an-older-etag' }] });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/stale-ref:v0`);
    const root = tempDir();
    await expect(downloadArtifact(client, artifact, { root })).rejects.toMatchObject({ name: 'ChecksumError', path: 'web/changed.txt' });
    const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => d.isFile());
    expect(files).toEqual([]);
  });
});
