// HTTP(S)_PROXY / NO_PROXY in Node, through a small proxy on loopback that tunnels CONNECT and
// forwards absolute-form requests: the API and storage downloads both go through it.
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getViewer } from '@wandb-api/core';
import { fetchFileBytes, getFile } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let proxy: Server;
let proxyUrl: string;
/** `host:port` of every request the proxy carried. */
const seen: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const run = server.store.createRun({ entity: server.entity, project: 'proxied', name: 'r1' });
  server.store.runFiles.put(run.internalId, 'a.txt', server.store.blobs.put(new TextEncoder().encode('through the proxy')));
  proxy = createServer((req, res) => {
    // Forward proxy: the request line holds the absolute URL.
    const target = new URL(req.url ?? '');
    seen.push(target.host);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connect', (req: IncomingMessage, socket, head) => {
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await server.stop();
});
beforeEach(() => {
  seen.length = 0;
});

const host = (url: string) => new URL(url).host;

describe('proxies from the environment', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s carries the API and storage downloads', async (name) => {
    const client = testClient(server, { env: { NETRC: '/nonexistent/netrc', [name]: proxyUrl } });
    expect((await getViewer(client)).username).toBe(server.username);
    const file = await getFile(client, `${server.entity}/proxied/r1`, 'a.txt');
    expect(new TextDecoder().decode(await fetchFileBytes(client, file, { direct: true }))).toBe('through the proxy');
    expect(new Set(seen)).toEqual(new Set([host(server.url), host(server.storageUrl)]));
  });

  it('NO_PROXY leaves matching hosts alone', async () => {
    const client = testClient(server, { env: { NETRC: '/nonexistent/netrc', HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
    expect((await getViewer(client)).username).toBe(server.username);
    expect(seen).toEqual([]);
  });

  it('without them, requests go straight to the server', async () => {
    expect((await getViewer(testClient(server))).username).toBe(server.username);
    expect(seen).toEqual([]);
  });
});
