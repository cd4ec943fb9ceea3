// The verified download engine against the local server: integrity (size + MD5 against the
// manifest, one retry, ChecksumError, nothing at the final path), unsafe entry paths refused before
// any byte is written, no credentials on storage URLs, batched file URLs, skipping verified files,
// abort without partial files, verifyArtifact and artifactFileStream.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ChecksumError, UnsafePathError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  type Artifact,
  artifactFileStream,
  computeManifestDigest,
  downloadArtifact,
  downloadArtifactFile,
  getArtifact,
  getManifest,
  verifyArtifact,
} from '@wandb-api/artifacts';
import { type LocalServer, corruptArtifactFile, createArtifact, manifestDigest } from '@wandb-api/server';
import { artifactStore } from '../../server/src/store/artifacts';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let dirs: string[] = [];
let counter = 0;
const PROJECT = 'downloads';

beforeAll(async () => {
  server = await startTestServer();
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

/** Distinct bytes per call (blobs are shared by content, so corrupting one must not hit another test). */
function bytes(size: number, tag = counter++): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + tag * 7 + (i >> 8)) & 0xff;
  out.write(`unique-${tag}-${size}`, 0);
  return out;
}

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('base64');

/** A new artifact version with these files, fetched as an Artifact. */
async function makeArtifact(files: Record<string, Uint8Array | string>, extra: Partial<Parameters<typeof createArtifact>[1]> = {}) {
  const name = `art-${counter++}`;
  const created = createArtifact(server.store, { entity: server.entity, project: PROJECT, type: 'dataset', name, files, ...extra });
  const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/${name}:v0`);
  return { created, artifact };
}

/** Rewrites the stored manifest (and, unless told not to, the artifact digest to match it). */
function rewriteManifest(internalId: number, mutate: (contents: Record<string, Record<string, unknown>>) => void, keepDigest = false): void {
  const arts = artifactStore(server.store);
  const row = arts.artifactById(internalId)!;
  const json = JSON.parse(server.store.blobs.read(row.manifest_md5_hex!)!.toString('utf8')) as { contents: Record<string, Record<string, unknown>> };
  mutate(json.contents);
  const blob = server.store.blobs.put(Buffer.from(JSON.stringify(json), 'utf8'));
  const digest = keepDigest ? row.digest! : manifestDigest(Object.entries(json.contents).map(([path, e]) => ({ path, digest: e.digest as string })));
  arts.setContents(internalId, { digest, commitHash: digest.slice(0, 12), size: row.size ?? 0, fileCount: Object.keys(json.contents).length, manifestMd5Hex: blob.md5Hex, state: 'COMMITTED' });
}

/** Every regular file under root, as relative POSIX paths. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split('\\').join('/'))
    .sort();
}

const storageRequests = () => server.requests.filter((r) => r.origin === 'storage');

describe('downloadArtifact', () => {
  it('writes every entry, checked, and returns the root; storage sees no credentials', async () => {
    const files = { 'a.txt': 'hello', 'data/b.bin': bytes(70_000), 'data/deep/c.bin': bytes(10) };
    const { artifact } = await makeArtifact(files);
    const root = join(tempDir(), 'out');
    server.clearRequests();
    const progress: { bytes: number; files: number }[] = [];
    const result = await downloadArtifact(client, artifact, { root, onProgress: (p) => progress.push(p) });
    expect(result).toBe(root);
    expect(filesUnder(root)).toEqual(['a.txt', 'data/b.bin', 'data/deep/c.bin']);
    for (const [path, content] of Object.entries(files)) expect(md5(readFileSync(join(root, path)))).toBe(md5(content));
    const last = progress.at(-1)!;
    expect(last).toEqual({ bytes: 70_015, files: 3, totalBytes: 70_015, totalFiles: 3 });
    // Storage: the manifest and 3 blobs, none carrying an Authorization header; the API: all of them.
    const storage = storageRequests();
    expect(storage.map((r) => r.path.split('/')[1]).sort()).toEqual(['artifact-blob', 'artifact-blob', 'artifact-blob', 'manifest']);
    expect(storage.every((r) => !r.hasAuthorization && r.status === 200)).toBe(true);
    expect(server.requests.filter((r) => r.origin === 'api').every((r) => r.hasAuthorization)).toBe(true);
    expect(requestsFor(server, 'FetchArtifactManifest')).toHaveLength(1);
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(1);
  });

  it('asks for file URLs in batches, never one request per file', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`f/${String(i).padStart(3, '0')}.txt`] = `file ${i} of ${counter}`;
    const { artifact } = await makeArtifact(files);
    const root = tempDir();
    server.clearRequests();
    await downloadArtifact(client, artifact, { root, batchSize: 50, concurrency: 8 });
    expect(filesUnder(root)).toHaveLength(120);
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(3);
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(120);
  });

  it('skips files already in place with the right MD5 (no URL or storage request) and replaces wrong ones', async () => {
    const { artifact } = await makeArtifact({ 'x.bin': bytes(5000), 'y.txt': 'why' });
    const root = tempDir();
    await downloadArtifact(client, artifact, { root });
    server.clearRequests();
    await downloadArtifact(client, artifact, { root });
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(0);
    expect(storageRequests().map((r) => r.path.split('/')[1])).toEqual(['manifest']);

    writeFileSync(join(root, 'y.txt'), 'tampered');
    server.clearRequests();
    await downloadArtifact(client, artifact, { root });
    expect(readFileSync(join(root, 'y.txt'), 'utf8')).toBe('why');
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(1);
  });

  it('pathPrefix selects entries by plain prefix', async () => {
    const { artifact } = await makeArtifact({ 'data/a.txt': 'a1', 'data2/b.txt': 'b1', 'other/c.txt': 'c1' });
    const root = tempDir();
    await downloadArtifact(client, artifact, { root, pathPrefix: 'data' });
    expect(filesUnder(root)).toEqual(['data/a.txt', 'data2/b.txt']);
  });

  it('creates a root that does not exist yet and fetches every file into it', async () => {
    const files = { 'top.txt': 'top', 'a/b/deep.bin': bytes(70_000), 'a/side.txt': 'side' };
    const { artifact } = await makeArtifact(files);
    const root = join(tempDir(), 'new', 'root');
    server.clearRequests();
    expect(await downloadArtifact(client, artifact, { root })).toBe(root);
    expect(filesUnder(root)).toEqual(Object.keys(files).sort());
    for (const [path, content] of Object.entries(files)) expect(md5(readFileSync(join(root, path)))).toBe(md5(content));
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(3);
  });

  it('a small file that cannot be put in place fails with the file system error and leaves no temp file', async () => {
    const { artifact } = await makeArtifact({ 'taken.txt': 'bytes', 'fine.txt': 'fine' });
    const root = tempDir();
    // A non-empty folder where the file goes: the checked bytes cannot be renamed over it.
    mkdirSync(join(root, 'taken.txt', 'inside'), { recursive: true });
    const error = await downloadArtifact(client, artifact, { root, concurrency: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toMatch(/^(EISDIR|ENOTEMPTY|EEXIST|EPERM)$/);
    expect(readdirSync(root).filter((f) => f.endsWith('.wandb-download'))).toEqual([]);
    expect(readdirSync(join(root, 'taken.txt'))).toEqual(['inside']);
  });

  // 40 kB: checked in memory before anything is written; 9 MiB: written and hashed as it comes, on an MD5 worker.
  it.each([
    ['flip', 40_000],
    ['truncate', 40_000],
    ['flip', 9 * 2 ** 20],
    ['truncate', 9 * 2 ** 20],
  ] as const)('a %s-corrupted blob of %i bytes is retried once with a fresh URL, then is a ChecksumError; nothing at the final path', async (how, size) => {
    const { created, artifact } = await makeArtifact({ 'good.txt': 'fine', 'bad.bin': bytes(size) });
    corruptArtifactFile(server.store, created.id, 'bad.bin', how);
    const root = tempDir();
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root, concurrency: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect((error as ChecksumError).path).toBe('bad.bin');
    expect((error as ChecksumError).message).toContain('bad.bin');
    expect((error as ChecksumError).expectedSize).toBe(size);
    expect(existsSync(join(root, 'bad.bin'))).toBe(false);
    expect(filesUnder(root).filter((f) => f !== 'good.txt')).toEqual([]);
    expect(readdirSync(root).filter((f) => f.endsWith('.wandb-download'))).toEqual([]);
    // Two GETs of the bad blob; the second with a URL from a second (single-name) URL request.
    const blobGets = storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'));
    expect(blobGets.length).toBeGreaterThanOrEqual(2);
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(2);
  });

  it('a manifest entry whose size is wrong is a ChecksumError', async () => {
    const { created, artifact } = await makeArtifact({ 'sized.bin': bytes(1000), 'shorter.bin': bytes(1000) });
    rewriteManifest(created.internalId, (c) => {
      c['sized.bin']!.size = 1001;
      c['shorter.bin']!.size = 999;
    });
    const root = tempDir();
    const error = await downloadArtifact(client, await getArtifact(client, `${artifact.qualifiedName}`), { root, concurrency: 1, pathPrefix: 'sized' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect(error).toMatchObject({ path: 'sized.bin', expectedSize: 1001, actualSize: 1000 });
    // A body longer than the entry is cut off where it passes the size.
    const longer = await downloadArtifact(client, await getArtifact(client, `${artifact.qualifiedName}`), { root, pathPrefix: 'shorter' }).catch((e: unknown) => e);
    expect(longer).toBeInstanceOf(ChecksumError);
    expect(longer).toMatchObject({ path: 'shorter.bin', expectedSize: 999 });
    expect((longer as ChecksumError).actualSize).toBeGreaterThan(999);
    expect(filesUnder(root)).toEqual([]);
  });

  it('a manifest that does not match the artifact digest is refused before any file request', async () => {
    const { created, artifact } = await makeArtifact({ 'm.txt': 'manifest check' });
    rewriteManifest(created.internalId, (c) => {
      c['extra.txt'] = { digest: md5('x'), size: 1 };
    }, true);
    const root = tempDir();
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect(requestsFor(server, 'ArtifactMembershipFileUrls')).toHaveLength(0);
    expect(filesUnder(root)).toEqual([]);
  });

  it.each([
    ['../escape.txt', 'escapes the root'],
    ['a/../../escape.txt', 'escapes the root'],
    ['/etc/passwd-copy', 'absolute'],
    ['C:/Windows/x.txt', 'drive letter'],
    ['a\\..\\..\\x.txt', 'backslash'],
    ['nul\0.txt', 'NUL'],
  ])('refuses the entry path %j before any byte is written', async (bad, why) => {
    const { created } = await makeArtifact({ 'ok.txt': 'ok', 'zz.txt': 'zz' });
    rewriteManifest(created.internalId, (c) => {
      c[bad] = { digest: md5('evil'), size: 4 };
    });
    const artifact = await getArtifact(client, `${server.entity}/${PROJECT}/${created.name}`);
    const parent = tempDir();
    const root = join(parent, 'root');
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid artifact path');
    expect((error as Error).message).toContain(why);
    expect(filesUnder(parent)).toEqual([]);
    expect(existsSync(join(parent, 'escape.txt'))).toBe(false);
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(0);
  });

  it.each([
    ['the file itself', 'data/b.txt', 'file'],
    ['a folder under root', 'data', 'dir'],
    ['a deeper folder', 'data/deep', 'dir'],
  ] as const)('never writes through a symbolic link at %s: UnsafePathError before any blob is fetched', async (_, link, kind) => {
    const { artifact } = await makeArtifact({ 'a.txt': 'a', 'data/b.txt': 'b', 'data/deep/c.txt': 'c' });
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'b.txt'), 'keep me');
    mkdirSync(join(root, 'data'), { recursive: true });
    if (link === 'data') rmSync(join(root, 'data'), { recursive: true });
    symlinkSync(kind === 'file' ? join(outside, 'b.txt') : outside, join(root, link));
    server.clearRequests();
    const error = await downloadArtifact(client, artifact, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as UnsafePathError).path).toBe(join(root, link));
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(0);
    expect(readdirSync(outside)).toEqual(['b.txt']);
    expect(readFileSync(join(outside, 'b.txt'), 'utf8')).toBe('keep me');
    // downloadArtifactFile refuses it too.
    const one = await downloadArtifactFile(client, artifact, kind === 'file' ? 'data/b.txt' : 'data/deep/c.txt', { root }).catch((e: unknown) => e);
    expect(one).toMatchObject({ name: 'UnsafePathError', path: join(root, link) });
  });

  it('removes temp files left by downloads whose process is gone; keeps those of running ones; never follows one', async () => {
    const { artifact } = await makeArtifact({ 'a.txt': 'a', 'sub/b.txt': 'b' });
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'victim.txt'), 'keep me');
    mkdirSync(join(root, 'sub'), { recursive: true });
    const gone = 2 ** 30; // above any pid_max: no such process
    const stale = [`.${gone}-0123456789ab.wandb-download`, `sub/.${gone}-0123456789ab.wandb-download`];
    for (const name of stale) writeFileSync(join(root, name), 'half a file');
    symlinkSync(join(outside, 'victim.txt'), join(root, `sub/.${gone}-ffffffffffff.wandb-download`));
    const live = `sub/.${process.pid}-aaaaaaaaaaaa.wandb-download`;
    writeFileSync(join(root, live), 'in progress');
    await downloadArtifact(client, artifact, { root });
    expect(filesUnder(root)).toEqual(['a.txt', 'sub/b.txt', live].sort());
    expect(readdirSync(join(root, 'sub')).sort()).toEqual([`.${process.pid}-aaaaaaaaaaaa.wandb-download`, 'b.txt']);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('keep me');
  });

  // Both written and hashed on an MD5 worker as they come (4 MiB: a few batches; 9 MiB: past the write-ahead bound).
  it.each([4 * 2 ** 20, 9 * 2 ** 20])('an abort mid-file (%i bytes) leaves no partial file at a final path and no temp file', async (bigSize) => {
    const files: Record<string, Uint8Array> = { 'big.bin': bytes(bigSize) };
    for (let i = 0; i < 12; i++) files[`small/${i}.bin`] = bytes(50_000);
    const { artifact } = await makeArtifact(files);
    const root = tempDir();
    const controller = new AbortController();
    let seen = 0;
    const error = await downloadArtifact(client, artifact, {
      root,
      concurrency: 4,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > 1_000_000 && !controller.signal.aborted) {
          seen = p.bytes;
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toBeGreaterThan(1_000_000);
    const present = filesUnder(root);
    expect(present.length).toBeLessThan(13);
    expect(present.filter((f) => f.endsWith('.wandb-download'))).toEqual([]);
    // Whatever is at a final path is complete and correct.
    for (const path of present) expect(md5(readFileSync(join(root, path)))).toBe(md5(files[path]!));
    // A second run completes the rest.
    await downloadArtifact(client, artifact, { root });
    expect(filesUnder(root)).toHaveLength(13);
  });

  // 40 kB: checked in memory and written on an MD5 worker; 9 MiB: written and hashed on an MD5 worker as it comes. Both resume with Range.
  it.each([40_000, 9 * 2 ** 20])('a storage response cut short (%i bytes) is retried and the download succeeds', async (size) => {
    const content = bytes(size);
    const { artifact } = await makeArtifact({ 'cut.bin': content });
    server.faults.add({ path: '/artifact-blob/*', truncate: true, count: 1 });
    const root = tempDir();
    server.clearRequests();
    await downloadArtifact(client, artifact, { root });
    expect(md5(readFileSync(join(root, 'cut.bin')))).toBe(md5(content));
    expect(storageRequests().filter((r) => r.path.startsWith('/artifact-blob/'))).toHaveLength(2);
  });

  it('refuses bad options before any request', async () => {
    const { artifact } = await makeArtifact({ 'o.txt': 'o' });
    server.clearRequests();
    await expect(downloadArtifact(client, artifact, { concurrency: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(downloadArtifact(client, artifact, { root: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(downloadArtifact(client, {} as Artifact)).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('downloadArtifactFile', () => {
  it('downloads one entry by path, or the only file when no path is given', async () => {
    const { artifact } = await makeArtifact({ 'one/model.pt': bytes(2048), 'notes.md': '# notes' });
    const root = tempDir();
    const path = await downloadArtifactFile(client, artifact, 'one/model.pt', { root });
    expect(path).toBe(join(root, 'one', 'model.pt'));
    expect(filesUnder(root)).toEqual(['one/model.pt']);
    await expect(downloadArtifactFile(client, artifact, undefined, { root })).rejects.toThrow('more than one file');
    const single = await makeArtifact({ 'only.txt': 'alone' });
    expect(readFileSync(await downloadArtifactFile(client, single.artifact, undefined, { root }), 'utf8')).toBe('alone');
  });
});

describe('verifyArtifact', () => {
  it('checks a folder: sizes and MD5s, missing files, foreign files', async () => {
    const { artifact } = await makeArtifact({ 'v/a.txt': 'alpha', 'v/b.bin': bytes(3000) });
    const root = await downloadArtifact(client, artifact, { root: tempDir() });
    await expect(verifyArtifact(client, artifact, root)).resolves.toEqual({ files: 2, bytes: 3005, skippedReferences: 0 });
    writeFileSync(join(root, 'v/a.txt'), 'alphb');
    await expect(verifyArtifact(client, artifact, root)).rejects.toMatchObject({ name: 'ChecksumError', path: 'v/a.txt' });
    rmSync(join(root, 'v/a.txt'));
    await expect(verifyArtifact(client, artifact, root)).rejects.toMatchObject({ name: 'ChecksumError', path: 'v/a.txt', actualSize: null });
    writeFileSync(join(root, 'v/a.txt'), 'alpha');
    writeFileSync(join(root, 'stray.txt'), 'not mine');
    await expect(verifyArtifact(client, artifact, root)).rejects.toThrow('not a member');
  });
});

describe('computeManifestDigest', () => {
  it("recomputes the server's manifest digest, sorting paths by code point", async () => {
    const { artifact } = await makeArtifact({ 'b.txt': 'b', 'a.txt': 'a', 'Z/é.txt': 'e', 'z/\u{1F600}.txt': 'emoji', 'z/\uFF5E.txt': 'wide' });
    const manifest = await getManifest(client, artifact);
    expect(await computeManifestDigest(manifest)).toBe(artifact.digest);
  });
});

describe('artifactFileStream', () => {
  it('streams an entry (browser-safe) and errors with ChecksumError at the end when the bytes are bad', async () => {
    const content = bytes(100_000);
    const { created, artifact } = await makeArtifact({ 's.bin': content });
    const [entry] = (await getManifest(client, artifact)).entries;
    const received = Buffer.from(await new Response(await artifactFileStream(client, entry!, { artifact })).arrayBuffer());
    expect(md5(received)).toBe(md5(content));
    corruptArtifactFile(server.store, created.id, 's.bin', 'flip');
    const stream = await artifactFileStream(client, entry!, { artifact });
    await expect(new Response(stream).arrayBuffer()).rejects.toBeInstanceOf(ChecksumError);
  });
});
