// The facade's run files: LightRun#files/file/uploadFile and File#download/delete delegate to
// @wandb-api/runs with Python's names and defaults; the demo seed gives every run a few files.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, ChecksumError, File, NotFoundError, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { corruptBlob } from '../../server/src/store/artifactBlobs';
import { startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
let dir: string;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
  dir = mkdtempSync(join(tmpdir(), 'wandb-api-facade-files-'));
});
afterAll(() => server.stop());

describe('run files through the facade', () => {
  it('demo runs carry wandb-metadata.json, output.log and model.pt', async () => {
    const [run] = await api.runs('demo/mnist-classifier', { perPage: 1 }).toArray({ limit: 1 });
    const files = await run!.files().toArray();
    expect(files.map((f) => f.name)).toEqual(['model.pt', 'output.log', 'wandb-metadata.json']);
    expect(files.every((f) => f instanceof File)).toBe(true);
    expect(await run!.files({ pattern: '%.json' }).count()).toBe(3);
    const meta = await run!.file('wandb-metadata.json');
    expect(meta).toMatchObject({ name: 'wandb-metadata.json', mimetype: 'application/json' });
    expect(meta.size).toBeGreaterThan(100);
    const parsed = JSON.parse(new TextDecoder().decode(await meta.bytes())) as Record<string, unknown>;
    expect(parsed).toMatchObject({ python: 'CPython 3.11.9', username: 'demo' });
    await expect(run!.file('nope.txt')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('run.metadata() reads wandb-metadata.json', async () => {
    const [run] = await api.runs('demo/mnist-classifier', { perPage: 1 }).toArray({ limit: 1 });
    const meta = await run!.metadata();
    expect(meta).toMatchObject({ python: 'CPython 3.11.9', program: '/home/demo/src/train.py', host: run!.host });
  });

  it('uploadFile(path, root) → file → download(root) → delete', async () => {
    const run = await api.run('demo/mnist-classifier/' + (await api.runs('demo/mnist-classifier').toArray({ limit: 1 }))[0]!.id);
    writeFileSync(join(dir, 'notes.txt'), 'facade upload');
    const uploaded = await run.uploadFile(join(dir, 'notes.txt'), dir);
    expect(uploaded).toMatchObject({ name: 'notes.txt', size: 13, md5: expect.any(String), url: expect.stringContaining('/files/') });
    expect(uploaded.directUrl).toContain(server.storageUrl);
    expect(uploaded.updatedAt).toMatch(/^\d{4}-/);
    const out = join(dir, 'out');
    const path = await (await run.file('notes.txt')).download({ root: out });
    expect(readFileSync(path, 'utf8')).toBe('facade upload');
    await expect(uploaded.download({ root: out })).rejects.toBeInstanceOf(ValidationError);
    expect(await uploaded.download({ root: out, existOk: true })).toBe(path);
    await uploaded.delete();
    await expect(run.file('notes.txt')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('file.download checks the MD5 the server gives: ChecksumError naming the file, nothing written', async () => {
    const run = await api.run('demo/mnist-classifier/' + (await api.runs('demo/mnist-classifier').toArray({ limit: 1 }))[0]!.id);
    writeFileSync(join(dir, 'flip.txt'), 'bytes the storage will flip, facade test');
    const uploaded = await run.uploadFile(join(dir, 'flip.txt'), dir);
    corruptBlob(server.store.blobs, Buffer.from(uploaded.md5!, 'base64').toString('hex'), 'flip');
    const out = join(dir, 'flip-out');
    await expect(uploaded.download({ root: out })).rejects.toMatchObject({ name: 'ChecksumError', path: 'flip.txt' });
    await expect(uploaded.download({ root: out })).rejects.toBeInstanceOf(ChecksumError);
    expect(readdirSync(out)).toEqual([]);
  });
});
