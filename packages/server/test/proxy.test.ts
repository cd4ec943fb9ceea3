// The server behind a reverse proxy: every URL it hands out (file url, signed directUrl, upload URL,
// parquet export) is built from the public URL or the request's X-Forwarded-*/Host headers, never
// from its own port; the storage routes are mounted under /storage for proxied clients; signed URLs
// survive a restart on the same data dir. The proxy is a real one on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestBase } from '../src/http/publicUrl';
import { startServer, type LocalServer } from '../src/index';
import { basicAuth } from './helpers';

interface Proxy {
  url: string;
  /** Where requests go (changeable: a restarted server listens elsewhere). */
  target: string;
  close(): Promise<void>;
}

/** Forwards `<url><prefix>/…` to `<target>/…`, with the headers `headers(req)` adds (nginx-style). */
async function startProxy(target: string, prefix: string, headers: (host: string) => IncomingHttpHeaders): Promise<Proxy> {
  const proxy: Proxy = { url: '', target, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    const to = new URL(path.slice(prefix.length), proxy.target);
    const upstream = request(to, { method: req.method, headers: { ...req.headers, host: to.host, ...headers(req.headers.host ?? '') } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

const FILES_QUERY = `query ($entity: String!) { project(name: "p", entityName: $entity) {
  run(name: "r") { files(first: 10) { edges { node { name url directUrl } } } parquetHistory(liveKeys: ["loss"]) { parquetUrls } } } }`;

async function post(base: string, apiKey: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(apiKey), ...headers },
    body: JSON.stringify({ query, variables, operationName: '' }),
  });
  return (await res.json()) as any;
}

async function fileLinks(base: string, server: LocalServer, headers: Record<string, string> = {}) {
  const body = await post(base, server.apiKey, FILES_QUERY, { entity: server.entity }, headers);
  const run = body.data.project.run;
  const file = run.files.edges.find((e: any) => e.node.name === 'hello.txt').node as { url: string; directUrl: string };
  return { ...file, parquetUrl: run.parquetHistory.parquetUrls[0] as string };
}

function seed(server: LocalServer): void {
  const run = server.store.createRun({ entity: server.entity, project: 'p', name: 'r', state: 'finished', history: [{ _step: 0, loss: 1 }, { _step: 1, loss: 0.5 }] });
  server.store.runFiles.put(run.internalId, 'hello.txt', server.store.blobs.put(new TextEncoder().encode('hello via proxy')));
}

let server: LocalServer;
let proxy: Proxy;
beforeAll(async () => {
  server = await startServer({ historyExports: 'all' });
  seed(server);
  // A proxy serving the API under /wandb, telling the server so as nginx or Traefik would.
  proxy = await startProxy(server.url, '/wandb', (host) => ({ 'x-forwarded-host': host, 'x-forwarded-proto': 'http', 'x-forwarded-prefix': '/wandb' }));
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

describe('behind a proxy', () => {
  it('hands out URLs under the proxy (path prefix included) that work through it', async () => {
    const base = `${proxy.url}/wandb`;
    const links = await fileLinks(base, server);
    expect(links.url).toBe(`${base}/files/${server.entity}/p/r/hello.txt`);
    expect(links.directUrl.startsWith(`${base}/storage/blob/`)).toBe(true);
    expect(links.parquetUrl.startsWith(`${base}/storage/blob/`)).toBe(true);
    const viaUrl = await fetch(links.url, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(await viaUrl.text()).toBe('hello via proxy');
    // Python sends its credentials along to URLs under its base URL; the mounted storage ignores them.
    const direct = await fetch(links.directUrl, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(await direct.text()).toBe('hello via proxy');
    expect((await fetch(links.parquetUrl)).status).toBe(200);
    // The signature still decides there.
    expect((await fetch(links.directUrl.replace(/sig=[0-9a-f]{4}/, 'sig=0000'))).status).toBe(403);
    // Nothing handed out names the server's own ports.
    expect(JSON.stringify(links)).not.toContain(server.url);
    expect(JSON.stringify(links)).not.toContain(server.storageUrl);
  });

  it('takes uploads through the proxy at the upload URL createRunFiles hands out', async () => {
    const base = `${proxy.url}/wandb`;
    const created = await post(base, server.apiKey, 'mutation ($e: String!) { createRunFiles(input: {entityName: $e, projectName: "p", runName: "r", files: ["up.txt"]}) { runID uploadHeaders files { name uploadUrl } } }', { e: server.entity });
    const { uploadUrl } = created.data.createRunFiles.files[0];
    expect(uploadUrl.startsWith(`${base}/storage/upload/`)).toBe(true);
    const put = await fetch(uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: 'uploaded' });
    expect(put.status).toBe(200);
    const after = await post(base, server.apiKey, `{ project(name: "p", entityName: "${server.entity}") { run(name: "r") { files(names: ["up.txt"]) { edges { node { sizeBytes } } } } } }`);
    expect(after.data.project.run.files.edges[0].node.sizeBytes).toBe(8);
  });

  it('uses the Host a proxy keeps when it sets no X-Forwarded-* header', async () => {
    const keepHost = await startProxy(server.url, '', (host) => ({ host }));
    try {
      const links = await fileLinks(keepHost.url, server);
      expect(links.url).toBe(`${keepHost.url}/files/${server.entity}/p/r/hello.txt`);
      expect(links.directUrl.startsWith(`${keepHost.url}/storage/blob/`)).toBe(true);
      expect(await (await fetch(links.directUrl)).text()).toBe('hello via proxy');
    } finally {
      await keepHost.close();
    }
  });

  it('ignores malformed forwarded headers', async () => {
    const links = await fileLinks(server.url, server, { 'X-Forwarded-Host': 'evil.test/"><script>', 'X-Forwarded-Proto': 'javascript', 'X-Forwarded-Prefix': '/a b' });
    expect(links.url.startsWith(`${server.url}/files/`)).toBe(true);
  });
});

describe('reached directly', () => {
  it('keeps the host name the client used, on the storage port', async () => {
    const local = server.url.replace('127.0.0.1', 'localhost');
    const links = await fileLinks(local, server);
    const storagePort = new URL(server.storageUrl).port;
    expect(links.url.startsWith(`${local}/files/`)).toBe(true);
    expect(links.directUrl.startsWith(`http://localhost:${storagePort}/blob/`)).toBe(true);
    expect(await (await fetch(links.directUrl)).text()).toBe('hello via proxy');
    // The bucket origin itself still refuses credentials.
    expect((await fetch(links.directUrl, { headers: { Authorization: basicAuth(server.apiKey) } })).status).toBe(400);
  });
});

describe('publicUrl', () => {
  it('builds every URL from the configured public URLs, whatever the request says', async () => {
    const configured = await startServer({ publicUrl: 'https://wandb.example.test/api/', publicStorageUrl: 'https://bucket.example.test' });
    try {
      seed(configured);
      const links = await fileLinks(configured.url, configured, { 'X-Forwarded-Host': 'other.test' });
      expect(links.url).toBe(`https://wandb.example.test/api/files/${configured.entity}/p/r/hello.txt`);
      expect(links.directUrl.startsWith('https://bucket.example.test/blob/')).toBe(true);
    } finally {
      await configured.stop();
    }
    await expect(startServer({ publicUrl: 'ftp://x.test' })).rejects.toThrow(/publicUrl must be/);
  });
});

describe('signed URLs across a restart', () => {
  it('stay valid on the same data dir; another in-memory server refuses them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wandb-proxy-'));
    try {
      const first = await startServer({ dataDir: dir });
      seed(first);
      const front = await startProxy(first.url, '', (host) => ({ 'x-forwarded-host': host, 'x-forwarded-proto': 'http' }));
      try {
        const { directUrl } = await fileLinks(front.url, first);
        expect((await fetch(directUrl)).status).toBe(200);
        await first.stop();
        const second = await startServer({ dataDir: dir });
        try {
          front.target = second.url; // the proxy now points at the restarted server (new ports)
          expect(await (await fetch(directUrl)).text()).toBe('hello via proxy');
          const stranger = await startServer();
          try {
            const path = new URL(directUrl);
            const elsewhere = await fetch(`${stranger.storageUrl}${path.pathname.replace(/^\/storage/, '')}${path.search}`);
            expect(elsewhere.status).toBe(403);
          } finally {
            await stranger.stop();
          }
        } finally {
          await second.stop();
        }
      } finally {
        await front.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('requestBase', () => {
  const at = (headers: IncomingHttpHeaders) => requestBase({ headers } as IncomingMessage, 'http://127.0.0.1:8080');
  it('reads forwarded headers (first values), Host, ports and prefixes', () => {
    expect(at({ host: '127.0.0.1:8080' })).toEqual({ base: 'http://127.0.0.1:8080', hostname: '127.0.0.1', proxied: false });
    expect(at({ host: '[::1]:8080' })).toEqual({ base: 'http://[::1]:8080', hostname: '[::1]', proxied: false });
    expect(at({ host: 'wandb.test' })).toEqual({ base: 'http://wandb.test', hostname: 'wandb.test', proxied: true });
    expect(at({ host: 'x:8080', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'a.test, b.test', 'x-forwarded-prefix': '/w/' }).base).toBe('https://a.test/w');
    expect(at({ 'x-forwarded-host': 'a.test', 'x-forwarded-port': '8443', 'x-forwarded-proto': 'https' }).base).toBe('https://a.test:8443');
    expect(at({ 'x-forwarded-host': 'a.test', 'x-forwarded-port': '443', 'x-forwarded-proto': 'https' }).base).toBe('https://a.test');
    expect(at({ 'x-forwarded-host': 'a.test:9000', 'x-forwarded-port': '443' }).base).toBe('http://a.test:9000');
    expect(at({})).toEqual({ base: 'http://127.0.0.1:8080', hostname: '127.0.0.1', proxied: false });
    expect(at({ host: 'bad host', 'x-forwarded-prefix': '/a b' }).base).toBe('http://127.0.0.1:8080');
    expect(at({ host: '127.0.0.1:8080', 'x-forwarded-prefix': '/a/../b' }).base).toBe('http://127.0.0.1:8080');
  });
});
