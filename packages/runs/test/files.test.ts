// Run files through @wandb-api/runs against the local server: listing, reading, uploading,
// downloading to disk (atomically), deleting, and where credentials go.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, ChecksumError, ConnectionError, NotFoundError, UnsafePathError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  type RunFile,
  createRun,
  deleteFile,
  downloadFile,
  fetchFileBytes,
  fetchFileStream,
  getFile,
  getRun,
  getRunMetadata,
  listFiles,
  uploadFile,
  uploadFilePath,
  uploadNameFor,
} from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { corruptBlob } from '../../server/src/store/artifactBlobs';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let runPath: string;
let workDir: string;

const text = (s: string) => new TextEncoder().encode(s);
const MODEL = Uint8Array.from({ length: 3000 }, (_, i) => (i * 37) % 256);
const FIXTURE: Record<string, Uint8Array> = {
  'wandb-metadata.json': text(JSON.stringify({ python: 'CPython 3.11.9', host: 'gpu-node-01', gpu_count: 2 })),
  'output.log': text('epoch 1\nepoch 2\n'),
  'model.pt': MODEL,
  'media/images/a.png': text('png-a'),
  'media/images/b.png': text('png-b'),
  'config.yaml': text('lr: 0.1\n'),
};
const SORTED = Object.keys(FIXTURE).sort();

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  const run = server.store.createRun({ entity: server.entity, project: 'files', name: 'r1' });
  for (const [name, bytes] of Object.entries(FIXTURE)) server.store.runFiles.put(run.internalId, name, server.store.blobs.put(bytes));
  server.store.createRun({ entity: server.entity, project: 'files', name: 'scratch' });
  runPath = `${server.entity}/files/r1`;
  workDir = mkdtempSync(join(tmpdir(), 'wandb-api-files-test-'));
});
afterAll(() => server.stop());
beforeEach(() => {
  server.faults.clear();
  server.clearRequests();
});

const basic = (key: string) => `Basic ${btoa(`api:${key}`)}`;
const storageRequests = () => server.requests.filter((r) => r.origin === 'storage');

describe('listFiles', () => {
  it('lists every file in name order, with the Python fields', async () => {
    const files = await listFiles(client, runPath).toArray();
    expect(files.map((f) => f.name)).toEqual(SORTED);
    const model = files.find((f) => f.name === 'model.pt') as RunFile;
    expect(model).toMatchObject({ size: 3000, mimetype: 'application/octet-stream', entity: server.entity, project: 'files', runId: 'r1' });
    expect(model.md5).toBe(createHash('md5').update(MODEL).digest('base64'));
    expect(model.url).toBe(`${server.url}/files/${server.entity}/files/r1/model.pt`);
    expect(model.directUrl.startsWith(`${server.storageUrl}/blob/`)).toBe(true);
    expect(files.find((f) => f.name === 'wandb-metadata.json')?.mimetype).toBe('application/json');
  });

  it('pages with the last edge cursor and counts the whole run', async () => {
    const list = listFiles(client, { entity: server.entity, project: 'files', id: 'r1' }, { perPage: 2 });
    const pages: string[][] = [];
    for await (const page of list.pages()) pages.push(page.map((f) => f.name));
    expect(pages).toEqual([SORTED.slice(0, 2), SORTED.slice(2, 4), SORTED.slice(4, 6)]);
    expect(requestsFor(server, 'RunFiles')).toHaveLength(3);
    expect(await list.count()).toBe(6);
  });

  it('filters by names or by a SQL LIKE pattern; count() stays the run total, as Python len()', async () => {
    const byName = listFiles(client, runPath, { names: ['output.log', 'model.pt', 'absent'] });
    expect((await byName.toArray()).map((f) => f.name)).toEqual(['model.pt', 'output.log']);
    expect(await byName.count()).toBe(6);
    const pngs = await listFiles(client, runPath, { pattern: '%.png' }).toArray();
    expect(pngs.map((f) => f.name)).toEqual(['media/images/a.png', 'media/images/b.png']);
    expect((await listFiles(client, runPath, { pattern: 'media/%' }).toArray()).length).toBe(2);
  });

  it('refuses names together with a pattern before any request', () => {
    expect(() => listFiles(client, runPath, { names: ['a'], pattern: '%.json' })).toThrow(ValidationError);
    expect(() => listFiles(client, runPath, { perPage: 0 })).toThrow(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it('a missing run is NotFoundError', async () => {
    await expect(listFiles(client, `${server.entity}/files/nope`).toArray()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('getFile and reading', () => {
  it('gets one file by name, NotFoundError when absent', async () => {
    const file = await getFile(client, runPath, 'output.log');
    expect(file).toMatchObject({ name: 'output.log', size: FIXTURE['output.log']?.length, mimetype: 'text/plain' });
    await expect(getFile(client, runPath, 'missing.txt')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads the exact bytes through url (with credentials) and directUrl (without)', async () => {
    const file = await getFile(client, runPath, 'model.pt');
    server.clearRequests();
    expect(await fetchFileBytes(client, file)).toEqual(MODEL);
    expect(server.requests).toMatchObject([{ origin: 'api', method: 'GET', path: '/files/demo/files/r1/model.pt', hasAuthorization: true, status: 200 }]);
    server.clearRequests();
    expect(await fetchFileBytes(client, file, { direct: true })).toEqual(MODEL);
    expect(server.requests).toMatchObject([{ origin: 'storage', method: 'GET', hasAuthorization: false, status: 200 }]);
  });

  it('streams the bytes', async () => {
    const file = await getFile(client, runPath, 'model.pt');
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await fetchFileStream(client, file)) as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(MODEL));
  });

  it('url requires the API key (401 without), directUrl needs a valid, unexpired signature (403)', async () => {
    const file = await getFile(client, runPath, 'output.log');
    expect((await fetch(file.url)).status).toBe(401);
    expect((await fetch(file.url, { headers: { Authorization: basic('wrong-key') } })).status).toBe(401);
    const ok = await fetch(file.url, { headers: { Authorization: basic(server.apiKey) } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('epoch 1\nepoch 2\n');
    expect((await fetch(file.directUrl)).status).toBe(200);
    expect((await fetch(file.directUrl.replace(/sig=[0-9a-f]/, 'sig=x'))).status).toBe(403);
    expect((await fetch(file.directUrl.replace(/expires=\d+/, 'expires=9999999999'))).status).toBe(403);

    const expiring = await startTestServer({ signedUrlTtlMs: -60_000 });
    try {
      const run = expiring.store.createRun({ entity: expiring.entity, project: 'p', name: 'r' });
      expiring.store.runFiles.put(run.internalId, 'x.txt', expiring.store.blobs.put(text('x')));
      const stale = await getFile(testClient(expiring), `${expiring.entity}/p/r`, 'x.txt');
      const res = await fetch(stale.directUrl);
      expect(res.status).toBe(403);
      expect(await res.text()).toMatch(/expired/);
    } finally {
      await expiring.stop();
    }
  });
});

describe('uploadFile', () => {
  it('uploads bytes, a Blob and a stream; each lists and reads back the same', async () => {
    const scratch = `${server.entity}/files/scratch`;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(text('part one, '));
        c.enqueue(text('part two'));
        c.close();
      },
    });
    const uploaded = [
      await uploadFile(client, scratch, { name: 'bytes.bin', data: MODEL }),
      await uploadFile(client, scratch, { name: 'notes/blob.txt', data: new Blob(['from a blob']) }),
      await uploadFile(client, scratch, { name: 'stream.txt', data: stream }),
    ];
    expect(uploaded.map((f) => [f.name, f.size])).toEqual([['bytes.bin', 3000], ['notes/blob.txt', 11], ['stream.txt', 18]]);
    expect(await fetchFileBytes(client, uploaded[0] as RunFile)).toEqual(MODEL);
    expect(new TextDecoder().decode(await fetchFileBytes(client, uploaded[2] as RunFile))).toBe('part one, part two');
    expect((await listFiles(client, scratch).toArray()).map((f) => f.name)).toEqual(['bytes.bin', 'notes/blob.txt', 'stream.txt']);
    // createRunFiles → PUT (no credentials) → markRunFilesUploaded → RunFiles, for each.
    const puts = server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(3);
    expect(puts.every((r) => r.origin === 'storage' && !r.hasAuthorization && r.status === 200)).toBe(true);
    expect(requestsFor(server, 'CreateRunFiles')).toHaveLength(3);
    expect(requestsFor(server, 'MarkRunFilesUploaded')).toHaveLength(3);
    expect(requestsFor(server, 'ServerFeatures')).toHaveLength(1); // probed once per client
  });

  it('replaces a file of the same name', async () => {
    const scratch = `${server.entity}/files/scratch`;
    await uploadFile(client, scratch, { name: 'again.txt', data: text('v1') });
    const v2 = await uploadFile(client, scratch, { name: 'again.txt', data: text('version 2') });
    expect(v2.size).toBe(9);
    expect(new TextDecoder().decode(await fetchFileBytes(client, v2))).toBe('version 2');
  });

  it('refuses unsafe names and bad data before any request', async () => {
    for (const name of ['../evil.txt', '/etc/passwd', 'a/./b', 'a/../../b', 'C:\\x', '']) {
      await expect(uploadFile(client, runPath, { name, data: text('x') })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(uploadFile(client, runPath, { name: 'ok.txt', data: 'a string' as unknown as Uint8Array })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it('a missing run is NotFoundError with Python message', async () => {
    await expect(uploadFile(client, `${server.entity}/files/ghost`, { name: 'x.txt', data: text('x') })).rejects.toThrow(
      /Error uploading files to demo\/files\/ghost/,
    );
  });

  it('uploadFilePath names the file relative to root, made upload-safe as Python does', async () => {
    const root = join(workDir, 'up');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'weights.bin'), MODEL);
    const file = await uploadFilePath(client, `${server.entity}/files/scratch`, join(root, 'sub', 'weights.bin'), { root });
    expect(file).toMatchObject({ name: 'sub/weights.bin', size: 3000 });
    expect(await fetchFileBytes(client, file)).toEqual(MODEL);
    expect(uploadNameFor('../x/./y.txt', join(workDir, 'up'))).toMatch(/^(_\/)+.*y\.txt$/);
    expect(uploadNameFor('/tmp/a/b.txt', '/tmp/a/c')).toBe('_/b.txt');
    await expect(uploadFilePath(client, runPath, join(workDir, 'does-not-exist'))).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('downloadFile', () => {
  const leftovers = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.wandb-download'));

  it('round trip: upload, list, download to <root>/<name>', async () => {
    const root = join(workDir, 'round');
    const uploaded = await uploadFile(client, `${server.entity}/files/scratch`, { name: 'deep/dir/data.bin', data: MODEL });
    const [listed] = await listFiles(client, `${server.entity}/files/scratch`, { names: ['deep/dir/data.bin'] }).toArray();
    expect(listed?.id).toBe(uploaded.id);
    const path = await downloadFile(client, listed as RunFile, { root });
    expect(path).toBe(join(root, 'deep/dir/data.bin'));
    expect(new Uint8Array(readFileSync(path))).toEqual(MODEL);
    expect(leftovers(root)).toEqual([]);
  });

  it('existing file: error by default (Python message), kept with existOk, overwritten with replace', async () => {
    const root = join(workDir, 'exists');
    const file = await getFile(client, runPath, 'output.log');
    const path = await downloadFile(client, file, { root });
    writeFileSync(path, 'local edits');
    server.clearRequests();
    await expect(downloadFile(client, file, { root })).rejects.toThrow(
      "File already exists, pass replace=True to overwrite or exist_ok=True to leave it as is and don't error.",
    );
    expect(await downloadFile(client, file, { root, existOk: true })).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('local edits');
    expect(server.requests).toHaveLength(0);
    await downloadFile(client, file, { root, replace: true });
    expect(readFileSync(path, 'utf8')).toBe('epoch 1\nepoch 2\n');
  });

  it('a body cut mid-way leaves no file at the final path and no temp file', async () => {
    const root = join(workDir, 'cut');
    const file = await getFile(client, runPath, 'model.pt');
    // Every answer cut (a single cut is resumed with Range: see 'resumes a body cut mid-way').
    server.faults.add({ path: '/files/*', truncate: true });
    await expect(downloadFile(client, file, { root })).rejects.toBeInstanceOf(ConnectionError);
    expect(readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('model.pt') || f.endsWith('.wandb-download'))).toEqual([]);
    // The same cuts on the storage path (directUrl).
    server.faults.clear();
    server.faults.add({ path: '/blob/*', truncate: true });
    await expect(downloadFile(client, file, { root, direct: true })).rejects.toBeInstanceOf(ConnectionError);
    expect(readdirSync(root).filter((f) => f.startsWith('model.pt'))).toEqual([]);
    server.faults.clear();
    // And it works once the fault is spent.
    expect(new Uint8Array(readFileSync(await downloadFile(client, file, { root, direct: true })))).toEqual(MODEL);
    expect(leftovers(root)).toEqual([]);
  });

  it('an abort while the storage answers slowly leaves nothing behind', async () => {
    const root = join(workDir, 'abort');
    const file = await getFile(client, runPath, 'model.pt');
    server.faults.add({ path: '/blob/*', latencyMs: 2_000, count: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(downloadFile(client, file, { root, direct: true, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('bytes whose MD5 differs from the server\'s (same size) are a ChecksumError naming the file; nothing is left', async () => {
    const run = server.store.createRun({ entity: server.entity, project: 'files', name: 'corrupt' });
    const blob = server.store.blobs.put(text('the stored bytes of flipped.bin, unique to this test'));
    server.store.runFiles.put(run.internalId, 'flipped.bin', blob);
    const file = await getFile(client, `${server.entity}/files/corrupt`, 'flipped.bin');
    expect(file.md5).toBe(Buffer.from(blob.md5Hex, 'hex').toString('base64'));
    corruptBlob(server.store.blobs, blob.md5Hex, 'flip');
    const root = join(workDir, 'md5');
    for (const direct of [false, true]) {
      const error = await downloadFile(client, file, { root, direct }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChecksumError);
      expect(error).toMatchObject({ path: 'flipped.bin', expectedDigest: file.md5, actualSize: file.size });
      expect((error as Error).message).toContain('flipped.bin');
      expect(readdirSync(root)).toEqual([]);
    }
  });

  it('never writes through a symbolic link at the file or at a folder under root (UnsafePathError, no request)', async () => {
    const root = join(workDir, 'links');
    const outside = mkdtempSync(join(tmpdir(), 'wandb-api-outside-'));
    writeFileSync(join(outside, 'victim.txt'), 'keep me');
    mkdirSync(root, { recursive: true });
    symlinkSync(join(outside, 'victim.txt'), join(root, 'output.log'));
    symlinkSync(outside, join(root, 'media'));
    const log = await getFile(client, runPath, 'output.log');
    const png = await getFile(client, runPath, 'media/images/a.png');
    server.clearRequests();
    for (const options of [{}, { replace: true }, { existOk: true }]) {
      await expect(downloadFile(client, log, { root, ...options })).rejects.toMatchObject({ name: 'UnsafePathError', path: join(root, 'output.log') });
    }
    const error = await downloadFile(client, png, { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as UnsafePathError).path).toBe(join(root, 'media'));
    expect(server.requests).toHaveLength(0);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(outside)).toEqual(['victim.txt']);
  });

  it('removes temp files left by a download whose process is gone, keeps those of a running one, never follows a link', async () => {
    const root = join(workDir, 'stale');
    const outside = mkdtempSync(join(tmpdir(), 'wandb-api-outside-'));
    writeFileSync(join(outside, 'victim.txt'), 'keep me');
    mkdirSync(root, { recursive: true });
    const gone = 2 ** 30; // above any pid_max: no such process
    writeFileSync(join(root, `.${gone}-0123456789ab.wandb-download`), 'half a file');
    symlinkSync(join(outside, 'victim.txt'), join(root, `.${gone}-ba9876543210.wandb-download`));
    writeFileSync(join(root, `.${process.pid}-aaaaaaaaaaaa.wandb-download`), 'in progress');
    writeFileSync(join(root, 'notes.wandb-download'), 'not ours');
    await downloadFile(client, await getFile(client, runPath, 'output.log'), { root });
    expect(readdirSync(root).sort()).toEqual([`.${process.pid}-aaaaaaaaaaaa.wandb-download`, 'notes.wandb-download', 'output.log']);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses absolute names and names with .. before any request', async () => {
    const file = await getFile(client, runPath, 'output.log');
    server.clearRequests();
    for (const name of ['../escape.txt', '/etc/passwd', 'a/../../escape.txt']) {
      await expect(downloadFile(client, { ...file, name }, { root: join(workDir, 'trav') })).rejects.toThrow(`Invalid path: ${name}`);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('deleteFile', () => {
  it('deletes one file; the run count drops', async () => {
    const scratch = `${server.entity}/files/scratch`;
    const file = await uploadFile(client, scratch, { name: 'doomed.txt', data: text('bye') });
    const before = await listFiles(client, scratch).count();
    await deleteFile(client, file);
    await expect(getFile(client, scratch, 'doomed.txt')).rejects.toBeInstanceOf(NotFoundError);
    expect(await listFiles(client, scratch).count()).toBe(before - 1);
    expect(requestsFor(server, 'DeleteFiles')).toHaveLength(1);
  });

  it('knows the numeric project id behind the base64 Project.internalId W&B sends', async () => {
    const scratch = `${server.entity}/files/scratch`;
    const file = await uploadFile(client, scratch, { name: 'ids.txt', data: text('x') });
    const run = await getRun(client, scratch);
    expect(file.projectInternalId).toMatch(/^\d+$/);
    expect(file.projectInternalId).toBe(run.projectInternalId);
  });
});

describe('credentials', () => {
  it('never reach the storage origin', async () => {
    const file = await getFile(client, runPath, 'model.pt');
    await fetchFileBytes(client, file, { direct: true });
    await uploadFile(client, `${server.entity}/files/scratch`, { name: 'cred.txt', data: text('c') });
    expect(storageRequests().length).toBeGreaterThan(0);
    expect(storageRequests().every((r) => !r.hasAuthorization)).toBe(true);
  });
});

describe('run metadata', () => {
  it('reads wandb-metadata.json (NaN tolerated), and gives null for a run without one', async () => {
    const run = await createRun(client, { project: 'meta' });
    expect(await getRunMetadata(client, run)).toBeNull();
    const text = '{"host": "gpu-box", "python": "CPython 3.11.7", "args": ["--lr", "0.1"], "loss": NaN}';
    await uploadFile(client, run, { name: 'wandb-metadata.json', data: new TextEncoder().encode(text) });
    const read = await getRunMetadata(client, run);
    expect(read).toMatchObject({ host: 'gpu-box', python: 'CPython 3.11.7', args: ['--lr', '0.1'] });
    expect(read?.loss).toBeNaN();
  });
});
