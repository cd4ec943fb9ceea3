// Servers' paging quirks (W&B-compatible servers, older W&B Servers), played by the local server's
// faults: a server that leaves pageInfo.endCursor null while its edges carry cursors is paged on the
// last edge's cursor; one that ignores `first` still lists everything once; one that ignores
// `after` (the same page again and again) ends with a PaginationError instead of paging forever.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PaginationError, type WandbClient } from '@wandb-api/core';
import { artifactFiles, getArtifact, listArtifacts } from '@wandb-api/artifacts';
import { listProjects, listRuns, listSweeps } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from './support.js';

let server: LocalServer;
let client: WandbClient;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  server.clearRequests();
});

const names = async (list: { toArray(): Promise<{ name: string }[]> }) => (await list.toArray()).map((x) => x.name);

describe('a server that leaves pageInfo.endCursor null', () => {
  it('is paged on the last edge cursor: every item, each once', async () => {
    const projects = await names(listProjects(client, 'demo', { perPage: 2 }));
    const versions = await names(listArtifacts(client, 'model', 'demo/mnist-classifier/mnist-cnn', { perPage: 1 }));
    const samples = await getArtifact(client, 'demo/mnist-classifier/mnist-samples:v0');
    const files = await names(artifactFiles(client, samples, { perPage: 30 }));
    server.faults.add({ nullEndCursor: true });
    expect(await names(listProjects(client, 'demo', { perPage: 2 }))).toEqual(projects);
    expect(await names(listArtifacts(client, 'model', 'demo/mnist-classifier/mnist-cnn', { perPage: 1 }))).toEqual(versions);
    expect(await names(artifactFiles(client, samples, { perPage: 30 }))).toEqual(files);
    expect(files).toHaveLength(200);
    expect(requestsFor(server, 'Projects').length).toBeGreaterThan(2);
  });
});

describe('a server that ignores arguments of paging', () => {
  it('ignoring `first` still lists everything once, in pages of its own size', async () => {
    const all = await names(listRuns(client, 'demo/mnist-classifier'));
    server.faults.add({ ignoreArguments: ['first'] });
    expect(await names(listRuns(client, 'demo/mnist-classifier', { perPage: 7 }))).toEqual(all);
    expect(await names(listSweeps(client, 'demo/mnist-classifier', { perPage: 1 }))).toHaveLength(2);
  });

  it('ignoring `after` (the first page every time) ends with a PaginationError after the items it had', async () => {
    server.faults.add({ ignoreArguments: ['after'] });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const p of listProjects(client, 'demo', { perPage: 2 })) seen.push(p.name);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toHaveLength(2);
    expect(requestsFor(server, 'Projects')).toHaveLength(2);
  });
});
