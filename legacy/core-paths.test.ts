// The core read paths against a server of W&B's schema of April 2023: viewer, projects, runs with
// filters and order, one run, history (sampled and scanned), files and their bytes, artifacts by
// name, their files and a download. They give the same answers as against the current schema,
// less what that server does not have (Project.internalId, artifact TTL and tags). And a newer
// feature is refused before its request, naming what is missing and the server's version.
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedError, type WandbClient, getViewer } from '@wandb-api/core';
import { fetchFileBytes, getHistory, getProject, getRun, listFiles, listProjects, listRuns, scanHistory } from '@wandb-api/runs';
import { artifactFiles, downloadArtifact, getArtifact, listArtifacts } from '@wandb-api/artifacts';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../test/support.js';

let current: LocalServer;
let legacy: LocalServer;
let now: WandbClient;
let old: WandbClient;

beforeAll(async () => {
  current = await startTestServer({ seed: 'demo' });
  legacy = await startTestServer({ seed: 'demo', schema: 'w&b-2023', version: '0.31.0' });
  now = testClient(current);
  old = testClient(legacy);
});
afterAll(async () => {
  await current.stop();
  await legacy.stop();
});

const P = 'demo/mnist-classifier';
/** The same value without the keys the 2023 server cannot give (and the URLs, which name each server). */
const without = <T extends object>(value: T, ...keys: string[]) => Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
/** A value with each server's URL as `SERVER` (app URLs name the server they came from). */
const plain = <T>(value: T): unknown => JSON.parse(JSON.stringify(value).replaceAll(current.url, 'SERVER').replaceAll(legacy.url, 'SERVER'));
const operationsOf = (server: LocalServer) => server.requests.map((r) => r.operationName).filter(Boolean);

describe('the core read paths on the 2023 schema', () => {
  it('viewer, projects and runs with filters and order', async () => {
    expect(await getViewer(old)).toEqual(await getViewer(now));
    const [a, b] = await Promise.all([listProjects(now, 'demo').toArray(), listProjects(old, 'demo').toArray()]);
    expect(b.map((p) => p.internalId)).toEqual(b.map(() => null));
    expect(plain(b.map((p) => without(p, 'internalId')))).toEqual(plain(a.map((p) => without(p, 'internalId'))));
    expect(plain(without(await getProject(old, P), 'internalId'))).toEqual(plain(without(await getProject(now, P), 'internalId')));
    const query = { filters: { state: 'finished', tags: { $in: ['baseline', 'prod'] } }, order: '-summary_metrics.accuracy', perPage: 7 } as const;
    const [runsNow, runsOld] = await Promise.all([listRuns(now, P, query).toArray({ limit: 20 }), listRuns(old, P, query).toArray({ limit: 20 })]);
    expect(runsOld.length).toBeGreaterThan(7); // more than one page
    expect(plain(runsOld)).toEqual(plain(runsNow));
    expect(await listRuns(old, P, query).count()).toBe(await listRuns(now, P, query).count());
  });

  it('one run, its sampled and scanned history', async () => {
    const id = (await listRuns(now, P, { filters: { state: 'finished' } }).toArray({ limit: 1 }))[0]!.id;
    const [a, b] = await Promise.all([getRun(now, `${P}/${id}`), getRun(old, `${P}/${id}`)]);
    expect(plain(b)).toEqual(plain(a));
    expect(await getHistory(old, b, { samples: 20, keys: ['loss'] })).toEqual(await getHistory(now, a, { samples: 20, keys: ['loss'] }));
    const scanned = await scanHistory(old, b, { keys: ['loss'], minStep: 3, maxStep: 40, pageSize: 10 }).toArray();
    expect(scanned.length).toBeGreaterThan(10);
    expect(scanned).toEqual(await scanHistory(now, a, { keys: ['loss'], minStep: 3, maxStep: 40, pageSize: 10 }).toArray());
    // No parquet export was asked of a server without it.
    expect(operationsOf(legacy)).not.toContain('RunParquetHistory');
  });

  it('files and their bytes', async () => {
    const id = (await listRuns(now, P).toArray({ limit: 1 }))[0]!.id;
    const [a, b] = await Promise.all([listFiles(now, `${P}/${id}`).toArray(), listFiles(old, `${P}/${id}`).toArray()]);
    const plain = (files: typeof a) => files.map((f) => without(f, 'url', 'directUrl', 'projectInternalId'));
    expect(plain(b)).toEqual(plain(a));
    expect(b.map((f) => f.projectInternalId)).toEqual(b.map(() => ''));
    for (const [i, file] of b.entries()) expect(await fetchFileBytes(old, file)).toEqual(await fetchFileBytes(now, a[i]!));
  });

  it('artifacts by name, their files and a download', async () => {
    for (const name of [`${P}/mnist-dataset:latest`, `${P}/mnist-cnn:v2`, `${P}/mnist-cnn:best`, `${P}/mnist-cnn`]) {
      const [a, b] = await Promise.all([getArtifact(now, name), getArtifact(old, name)]);
      expect(plain(without(b, 'tags', 'ttl', 'ttlIsInherited')), name).toEqual(plain(without(a, 'tags', 'ttl', 'ttlIsInherited')));
      expect(b).toMatchObject({ tags: [], ttl: null, ttlIsInherited: true });
    }
    const [listedNow, listedOld] = await Promise.all([listArtifacts(now, 'model', `${P}/mnist-cnn`).toArray(), listArtifacts(old, 'model', `${P}/mnist-cnn`).toArray()]);
    expect(plain(listedOld.map((x) => without(x, 'tags', 'ttl', 'ttlIsInherited')))).toEqual(plain(listedNow.map((x) => without(x, 'tags', 'ttl', 'ttlIsInherited'))));

    const [samplesNow, samplesOld] = await Promise.all([getArtifact(now, `${P}/mnist-samples:v0`), getArtifact(old, `${P}/mnist-samples:v0`)]);
    const files = (list: Awaited<ReturnType<ReturnType<typeof artifactFiles>['toArray']>>) => list.map((f) => without(f, 'url', 'directUrl'));
    const [filesNow, filesOld] = await Promise.all([artifactFiles(now, samplesNow).toArray(), artifactFiles(old, samplesOld, { perPage: 30 }).toArray()]);
    expect(filesOld).toHaveLength(200); // several pages
    expect(files(filesOld)).toEqual(files(filesNow));
    expect(await artifactFiles(old, samplesOld).count()).toBe(200);
    const named = filesNow.slice(0, 3).map((f) => f.name);
    expect(await artifactFiles(old, samplesOld, { names: named }).count()).toBe(3); // counted by paging: no total there

    const model = await getArtifact(old, `${P}/mnist-cnn:v2`);
    const [rootNow, rootOld] = [mkdtempSync(join(tmpdir(), 'legacy-now-')), mkdtempSync(join(tmpdir(), 'legacy-old-'))];
    await downloadArtifact(now, await getArtifact(now, `${P}/mnist-cnn:v2`), { root: rootNow });
    await downloadArtifact(old, model, { root: rootOld });
    const tree = (root: string) =>
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(root.length))
        .sort()
        .map((path) => [path, readFileSync(join(root, path), 'utf8')]);
    expect(tree(rootOld).length).toBeGreaterThan(0);
    expect(tree(rootOld)).toEqual(tree(rootNow));
  });
});

describe('newer features on the 2023 schema', () => {
  it('are refused before their request, naming what is missing and the server version', async () => {
    const { consoleLogs } = await import('@wandb-api/runs');
    const id = (await listRuns(old, P).toArray({ limit: 1 }))[0]!.id;
    legacy.clearRequests();
    const refused = await consoleLogs(old, `${P}/${id}`).toArray().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnsupportedError);
    expect(refused).toMatchObject({ missing: ['LogLine.label', 'Run.logLines(useImprovedPagination:)'], serverVersion: '0.31.0' });
    expect(String((refused as Error).message)).toMatch(/needs LogLine\.label, Run\.logLines\(useImprovedPagination:\), which this server \(version 0\.31\.0\) lacks/);
    expect(operationsOf(legacy)).not.toContain('RunLogLines');
  });

  it('are there on the current schema (the probe finds them), without a second probe', async () => {
    const { consoleLogs } = await import('@wandb-api/runs');
    const client = testClient(current);
    const id = (await listRuns(client, P).toArray({ limit: 1 }))[0]!.id;
    current.clearRequests();
    expect((await consoleLogs(client, `${P}/${id}`).toArray()).length).toBeGreaterThan(0);
    await consoleLogs(client, `${P}/${id}`).toArray();
    expect(operationsOf(current).filter((o) => o === 'ServerProbe')).toHaveLength(1);
  });
});
