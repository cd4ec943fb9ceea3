import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql } from './helpers';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ faults: [{ status: 502, count: 1, path: '/healthz' }] });
});
afterEach(() => server.faults.clear());
afterAll(() => server.stop());

const viewer = () => gql(server, 'query Viewer { viewer { id } }');

describe('faults', () => {
  it('applies opts.faults', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(502);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers a status `count` times, before auth, and logs it', async () => {
    server.faults.add({ status: 503, count: 2 });
    server.clearRequests();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gql(server, 'query Viewer { viewer { id } }', undefined, { apiKey: null })).status);
    expect(statuses).toEqual([503, 503, 401]);
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 401]);
    expect(server.faults.rules).toHaveLength(0);
  });

  it('sets Retry-After (429 by default)', async () => {
    server.faults.add({ retryAfter: 3, count: 1 });
    const r = await viewer();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.body.errors?.[0]?.message).toMatch(/429/);
    expect((await viewer()).status).toBe(200);
  });

  it('matches by operationName', async () => {
    server.faults.add({ status: 500, operationName: 'Other' });
    expect((await viewer()).status).toBe(200);
    expect((await gql(server, 'query Other { viewer { id } }')).status).toBe(500);
  });

  it('resets the connection', async () => {
    server.faults.add({ reset: true, count: 1 });
    server.clearRequests();
    await expect(viewer()).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({ status: 0, operationName: 'Viewer' });
    expect((await viewer()).status).toBe(200);
  });

  it('truncates the body', async () => {
    server.faults.add({ truncate: true, count: 1 });
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${server.apiKey}`).toString('base64')}` },
      body: JSON.stringify({ query: '{ viewer { id username email entity } }' }),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('adds latency', async () => {
    server.faults.add({ latencyMs: 150, count: 1 });
    const t0 = performance.now();
    expect((await viewer()).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('applies `rate` deterministically from the seed', async () => {
    const pattern = async () => {
      server.faults.clear();
      server.faults.reseed(7);
      server.faults.add({ status: 500, rate: 0.3 });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await fetch(`${server.url}/graphql`, { method: 'POST', body: '{"query":"{viewer{id}}"}' })).status);
      return out;
    };
    const first = await pattern();
    const hits = first.filter((s) => s === 500).length;
    expect(hits).toBeGreaterThan(3);
    expect(hits).toBeLessThan(25);
    expect(await pattern()).toEqual(first);
  });

  it('can target the storage origin by path prefix', async () => {
    server.faults.add({ status: 503, path: '/blob/*', count: 1 });
    expect((await fetch(`${server.storageUrl}/blob/a`)).status).toBe(503);
    // The rule is spent: the route answers (403, as the URL is unsigned).
    expect((await fetch(`${server.storageUrl}/blob/a`)).status).toBe(403);
  });

  it('resets after processing: the mutation is applied, no answer arrives', async () => {
    server.faults.add({ resetAfter: true, count: 1, operationName: 'Make' });
    server.clearRequests();
    const make = () => gql(server, 'mutation Make { upsertModel(input: { name: "reset-after", entityName: "' + server.entity + '" }) { inserted } }');
    await expect(make()).rejects.toThrow();
    expect(server.requests[0]).toMatchObject({ status: 0, operationName: 'Make' });
    // The first call created the project: the repeat finds it there.
    expect((await make()).body.data?.upsertModel?.inserted).toBe(false);
  });

  it('stalls the body after the headers and half the bytes, keeping the connection open', async () => {
    server.faults.add({ stall: true, count: 1 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${server.apiKey}`).toString('base64')}` },
      body: JSON.stringify({ query: '{ viewer { id username email entity } }' }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const length = Number(res.headers.get('content-length'));
    const reader = res.body!.getReader();
    let received = 0;
    const silent = Symbol('silent');
    for (;;) {
      const next = await Promise.race([reader.read(), new Promise<typeof silent>((r) => setTimeout(() => r(silent), 300))]);
      if (next === silent) break;
      expect(next.done).toBe(false);
      received += next.value!.length;
    }
    expect(received).toBe(Math.floor(length / 2));
    controller.abort();
  });

  it('stalls and truncates a streamed storage file the same way', async () => {
    const run = server.store.createRun({ entity: server.entity, project: 'faults', name: 'r1' });
    server.store.runFiles.put(run.internalId, 'big.bin', server.store.blobs.put(new Uint8Array(100_000).fill(7)));
    const files = await gql(server, `{ project(name: "faults", entityName: "${server.entity}") { run(name: "r1") { files { edges { node { directUrl } } } } } }`);
    const url = files.body.data.project.run.files.edges[0].node.directUrl as string;
    server.faults.add({ truncate: true, count: 1, path: '/blob/*' });
    const cut = await fetch(url);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    server.faults.add({ stall: true, count: 1, path: '/blob/*' });
    const controller = new AbortController();
    const stalled = await fetch(url, { signal: controller.signal });
    const timer = setTimeout(() => controller.abort(), 300);
    await expect(stalled.arrayBuffer()).rejects.toThrow();
    clearTimeout(timer);
    expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(100_000);
  });

  it('sends an X-Wandb-Trace-Id with every API answer, as W&B does', async () => {
    const r = await viewer();
    expect(r.headers.get('x-wandb-trace-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});

