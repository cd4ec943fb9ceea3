// Run files on the server: signed upload and blob URLs on the storage origin, createRunFiles /
// markRunFilesUploaded / deleteFiles rules, and where blobs live (temp dir for memory servers).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startServer } from '../src/index';
import { basicAuth, gql, operation, selecting } from './helpers';

// With the run's fileCount, which Python reads (our clients do not).
const RUN_FILES = selecting(operation('RunFiles'), 'run(name: $name) {', 'fileCount');

let server: LocalServer;
const vars = (files: string[], run = 'r1') => ({ entity: 'demo', project: 'p', run, files });

beforeAll(async () => {
  server = await startServer({ seed: 'empty' });
  server.store.createRun({ entity: 'demo', project: 'p', name: 'r1' });
  server.store.createUser({ username: 'eve' });
});
afterAll(() => server.stop());

async function createRunFiles(files: string[], run = 'r1') {
  return gql(server, operation('CreateRunFiles'), vars(files, run));
}

describe('createRunFiles and the signed PUT', () => {
  it('hands out signed PUT URLs on the storage origin; the PUT registers the file', async () => {
    const created = await createRunFiles(['a.txt']);
    const payload = created.body.data.createRunFiles;
    expect(payload.uploadHeaders).toEqual(['Content-Type:application/octet-stream']);
    const url = payload.files[0].uploadUrl as string;
    expect(url.startsWith(`${server.storageUrl}/upload/demo/p/r1/a.txt?expires=`)).toBe(true);

    // Not uploaded yet: marking fails, listing shows nothing.
    const early = await gql(server, operation('MarkRunFilesUploaded'), vars(['a.txt']));
    expect(early.body.errors?.[0]?.message).toMatch(/not uploaded/);

    const headers = { 'Content-Type': 'application/octet-stream' };
    expect((await fetch(url, { method: 'PUT', body: 'x', headers: { ...headers, Authorization: basicAuth(server.apiKey) } })).status).toBe(400);
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(403); // upload header missing
    expect((await fetch(url.replace('a.txt', 'b.txt'), { method: 'PUT', body: 'x', headers })).status).toBe(403); // signature is per path
    expect((await fetch(url, { method: 'PUT', body: 'hello', headers })).status).toBe(200);

    for (let i = 0; i < 2; i++) {
      const marked = await gql(server, operation('MarkRunFilesUploaded'), vars(['a.txt']));
      expect(marked.body.data.markRunFilesUploaded).toEqual({ __typename: 'MarkRunFilesUploadedPayload' }); // idempotent
    }
    const listed = await gql(server, RUN_FILES, { entity: 'demo', project: 'p', name: 'r1' });
    expect(listed.body.data.project.run.fileCount).toBe(1);
    expect(listed.body.data.project.run.files.edges[0].node).toMatchObject({ name: 'a.txt', sizeBytes: 5, mimetype: 'text/plain', md5: 'XUFAKrxLKna5cZ2REBfFkg==' });
  });

  it('answers null for a missing or invisible run, and refuses unsafe names and strangers', async () => {
    expect((await createRunFiles(['x'], 'ghost')).body.data.createRunFiles).toBeNull();
    expect((await createRunFiles(['../x'])).body.errors?.[0]?.message).toMatch(/invalid file name/);
    const eve = server.store.users.byName('eve');
    const eveKey = eve && server.store.users.addApiKey(eve.id); // keys are stored hashed: mint one to act as eve
    const stranger = await gql(server, operation('CreateRunFiles'), vars(['x']), { apiKey: eveKey });
    expect(stranger.body.data?.createRunFiles ?? null).toBeNull(); // a private project is invisible to eve
  });
});

describe('deleteFiles', () => {
  it('checks the project id and deletes by file id', async () => {
    const listed = await gql(server, RUN_FILES, { entity: 'demo', project: 'p', name: 'r1' });
    const { id } = listed.body.data.project.run.files.edges[0].node;
    const projectId = Number(/^ProjectInternalId:(\d+)$/.exec(Buffer.from(listed.body.data.project.internalId, 'base64').toString())?.[1]);
    const wrong = await gql(server, operation('DeleteFiles'), { files: [id], projectId: projectId + 100 });
    expect(wrong.body.errors?.[0]?.message).toMatch(/not in project/);
    const ok = await gql(server, operation('DeleteFiles'), { files: [id], projectId });
    expect(ok.body.data.deleteFiles).toEqual({ success: true });
    const after = await gql(server, RUN_FILES, { entity: 'demo', project: 'p', name: 'r1' });
    expect(after.body.data.project.run.fileCount).toBe(0);
  });
});

describe('blob directory', () => {
  it('is a temp dir removed on stop() for in-memory servers, and kept under dataDir otherwise', async () => {
    const memory = await startServer();
    const blobDir = memory.store.blobs.dir;
    memory.store.blobs.put(new TextEncoder().encode('tmp'));
    expect(existsSync(blobDir)).toBe(true);
    await memory.stop();
    expect(existsSync(blobDir)).toBe(false);

    const dataDir = mkdtempSync(join(tmpdir(), 'wandb-server-files-'));
    try {
      const first = await startServer({ dataDir });
      const run = first.store.createRun({ entity: 'demo', project: 'p', name: 'r' });
      first.store.runFiles.put(run.internalId, 'kept.txt', first.store.blobs.put(new TextEncoder().encode('kept')));
      await first.stop();
      expect(readdirSync(join(dataDir, 'blobs')).length).toBe(1);
      const second = await startServer({ dataDir });
      try {
        const res = await fetch(`${second.url}/files/demo/p/r/kept.txt`, { headers: { Authorization: basicAuth(second.apiKey) } });
        expect(await res.text()).toBe('kept');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
