// Every body is read inside core's request loop: a body that stalls after the headers ends with
// the attempt or idle timeout (and is retried), the caller's signal aborts it, a body cut short is
// retried under the full policy, and streamed downloads resume with Range. Timeouts run on a test
// clock: `until(clock.pending …)` waits until the client is reading the body, `advance` fires it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, TimeoutError, getViewer } from '@wandb-api/core';
import { artifactFileStream, downloadArtifactFile, getArtifact, getEntry, getManifest } from '@wandb-api/artifacts';
import { getJob } from '@wandb-api/launch';
import { fetchFileBytes, fetchFileStream, getFile, scanHistory } from '@wandb-api/runs';
import { type LocalServer, createArtifact } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient, testClock, until } from './support.js';

let server: LocalServer;
let root: string;
const FILE = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('base64');
const storage = (prefix: string) => server.requests.filter((r) => r.origin === 'storage' && r.path.startsWith(prefix));
const rows = Array.from({ length: 3000 }, (_, step) => ({ _step: step, loss: 1 / (step + 1), acc: step / 3000 }));

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo', historyExports: 'finished' });
  const run = server.store.createRun({ entity: server.entity, project: 'bodies', name: 'r1', history: rows });
  server.store.runFiles.put(run.internalId, 'big.bin', server.store.blobs.put(FILE));
  createArtifact(server.store, { entity: server.entity, project: 'bodies', type: 'dataset', name: 'one-file', files: { 'big.bin': FILE } });
  root = mkdtempSync(join(tmpdir(), 'wandb-bodies-test-'));
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await server.stop();
});
afterEach(() => {
  server.faults.clear();
  server.clearRequests();
});

/** Waits until the client reads a body (the idle timer is armed), then lets `ms` pass. */
async function stallFor(clock: ReturnType<typeof testClock>, timers: number, ms: number): Promise<void> {
  await until(() => clock.pending >= timers, 'the client to read the body');
  clock.advance(ms);
}

describe('a body that stalls after the headers', () => {
  it('a GraphQL answer: the attempt timeout covers the body, then it is retried', async () => {
    const clock = testClock();
    server.faults.add({ stall: true, count: 1, operationName: 'Viewer' });
    const viewer = getViewer(testClient(server, { clock, timeoutMs: 300 }));
    // Two timers while the body is read: the attempt timeout and the idle timeout.
    await stallFor(clock, 2, 300);
    expect((await viewer).username).toBe(server.username);
    expect(requestsFor(server, 'Viewer')).toHaveLength(2);
  });

  it('a manifest: retried after the timeout; the caller’s signal aborts it', async () => {
    const clock = testClock();
    const client = testClient(server, { clock, timeoutMs: 300 });
    const artifact = await getArtifact(client, `${server.entity}/bodies/one-file:v0`);
    server.faults.add({ stall: true, count: 1, path: '/manifest/*' });
    const manifest = getManifest(client, artifact);
    await stallFor(clock, 2, 300);
    expect((await manifest).entries.map((e) => e.path)).toEqual(['big.bin']);

    server.faults.add({ stall: true, path: '/manifest/*' });
    const controller = new AbortController();
    const aborted = getManifest(client, artifact, { signal: controller.signal });
    await until(() => clock.pending >= 2, 'the manifest body');
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
  });

  it('a manifest that stalls on every attempt ends in a TimeoutError', async () => {
    const clock = testClock();
    const client = testClient(server, { clock, timeoutMs: 300, maxRetries: 1 });
    const artifact = await getArtifact(client, `${server.entity}/bodies/one-file:v0`);
    server.faults.add({ stall: true, path: '/manifest/*' });
    const manifest = getManifest(client, artifact).catch((e: unknown) => e);
    await stallFor(clock, 2, 300);
    await until(() => storage('/manifest/').length === 2, 'the retry');
    await stallFor(clock, 2, 300);
    expect(await manifest).toBeInstanceOf(TimeoutError);
  });

  it('a job’s wandb-job.json', async () => {
    const clock = testClock();
    const client = testClient(server, { clock, timeoutMs: 300 });
    server.faults.add({ stall: true, count: 1, path: '/artifact-blob/*' });
    const job = getJob(client, 'demo/mnist-classifier/job-train:latest');
    await stallFor(clock, 2, 300);
    expect((await job).source).toMatchObject({ git: { remote: 'https://github.com/wandb/examples.git' } });
  });

  it('a run file stream: the idle timeout ends the stall and the rest comes with Range', async () => {
    const clock = testClock();
    const client = testClient(server, { clock, idleTimeoutMs: 300 });
    const file = await getFile(client, `${server.entity}/bodies/r1`, 'big.bin');
    server.faults.add({ stall: true, count: 1, path: '/blob/*' });
    const bytes = fetchFileBytes(client, file, { direct: true });
    // Once the headers are in, a streamed body has only the idle timer (not the 30 s attempt timeout).
    await until(() => clock.delays.join() === '300', 'the file body');
    clock.advance(300);
    expect(md5(await bytes)).toBe(md5(FILE));
    // The rest, from wherever the stall left off (up to half the file was sent).
    const [first, rest, ...more] = storage('/blob/').map((r) => r.range);
    expect([first, more]).toEqual([undefined, []]);
    expect(Number(/^bytes=(\d+)-199999$/.exec(rest!)?.[1])).toBeGreaterThan(0);
  });
});

describe('a body cut short', () => {
  it('a run file stream resumes from the last byte (storage) or skips what it had (a server ignoring Range)', async () => {
    const client = testClient(server);
    const file = await getFile(client, `${server.entity}/bodies/r1`, 'big.bin');
    server.faults.add({ truncate: true, count: 2, path: '/blob/*' });
    expect(md5(await fetchFileBytes(client, file, { direct: true }))).toBe(md5(FILE));
    expect(storage('/blob/').map((r) => r.range)).toEqual([undefined, 'bytes=100000-199999', 'bytes=150000-199999']);
    server.faults.add({ truncate: true, count: 1, path: '/files/*' });
    const chunks: Uint8Array[] = [];
    for await (const chunk of await fetchFileStream(client, file)) chunks.push(chunk);
    expect(md5(Buffer.concat(chunks))).toBe(md5(FILE));
  });

  it('a manifest and a job are retried, not a raw TypeError', async () => {
    const client = testClient(server);
    const artifact = await getArtifact(client, `${server.entity}/bodies/one-file:v0`);
    server.faults.add({ truncate: true, count: 1, path: '/manifest/*' });
    expect((await getManifest(client, artifact)).entries).toHaveLength(1);
    server.faults.add({ truncate: true, count: 1, path: '/artifact-blob/*' });
    expect((await getJob(client, 'demo/mnist-classifier/job-train:latest')).name).toBe('demo/mnist-classifier/job-train:latest');
  });

  it('parquet history: every cut range read is retried and the scan gives every row', async () => {
    const client = testClient(server);
    server.faults.add({ truncate: true, count: 3, path: '/blob/*' });
    const got: unknown[] = [];
    for await (const row of scanHistory(client, `${server.entity}/bodies/r1`, { keys: ['loss'] })) got.push(row);
    expect(got).toHaveLength(rows.length);
    expect(storage('/blob/').filter((r) => r.status === 200 || r.status === 206).length).toBeGreaterThan(0);
  });

  it('an artifact file cut twice resumes each time (the retry policy, not one retry) and passes its MD5 check', async () => {
    const client = testClient(server);
    const artifact = await getArtifact(client, `${server.entity}/bodies/one-file:v0`);
    server.faults.add({ truncate: true, count: 2, path: '/artifact-blob/*' });
    const path = await downloadArtifactFile(client, artifact, 'big.bin', { root });
    expect(md5(readFileSync(path))).toBe(md5(FILE));
    // Each retry asks for the rest from the last byte received (about half of what was sent: a reset
    // may drop bytes still in flight, so the exact offsets vary).
    const ranges = storage('/artifact-blob/').map((r) => r.range);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeUndefined();
    const starts = ranges.slice(1).map((r) => Number(/^bytes=(\d+)-199999$/.exec(r ?? '')?.[1]));
    expect(starts[0]).toBeGreaterThan(0);
    expect(starts[1]).toBeGreaterThan(starts[0]!);
  });

  it('artifactFileStream (browsers) resumes and still checks the MD5 of the whole', async () => {
    const client = testClient(server);
    const artifact = await getArtifact(client, `${server.entity}/bodies/one-file:v0`);
    const entry = await getEntry(client, artifact, 'big.bin');
    server.faults.add({ truncate: true, count: 1, path: '/artifact-blob/*' });
    const bytes = new Uint8Array(await new Response(await artifactFileStream(client, entry, { artifact })).arrayBuffer());
    expect(md5(bytes)).toBe(md5(FILE));
  });
});
