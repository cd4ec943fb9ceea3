// httpFetch, Node's default fetch: GETs over node:http, everything else (and a redirected GET with
// credentials) through the global fetch. Storage downloads from the local server, and a small server on
// loopback for what the local server never does (redirects, gzip, a body that stops).
import { type Server, createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, httpFetch, openStream } from '@wandb-api/core';
import { fetchFileBytes, getFile } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let side: Server;
let sideUrl: string;
/** n bytes counting 0..250 over and over. */
const bytes = (n: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 251;
  return out;
};
const BIG = bytes(3 * 2 ** 20);

beforeAll(async () => {
  server = await startTestServer();
  const run = server.store.createRun({ entity: server.entity, project: 'plain', name: 'r1' });
  server.store.runFiles.put(run.internalId, 'big.bin', server.store.blobs.put(BIG));
  side = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/hop') res.writeHead(302, { Location: '/hop2' }).end();
    else if (path === '/hop2') res.writeHead(307, { Location: `${sideUrl}/gzip` }).end();
    else if (path === '/gzip') res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync('decoded as fetch decodes'));
    else if (path === '/headers') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(req.headers));
    else if (path === '/stall') {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('x'.repeat(100));
    } else if (path === '/cut') {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('x'.repeat(100), () => res.destroy());
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
  sideUrl = `http://127.0.0.1:${(side.address() as { port: number }).port}`;
});
afterAll(async () => {
  side.closeAllConnections();
  await new Promise((resolve) => side.close(resolve));
  await server.stop();
});

const readAll = async (response: Response): Promise<Uint8Array> => {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return new Uint8Array(Buffer.concat(parts));
};

describe('httpFetch', () => {
  it('downloads a run file from its signed URL over node:http, byte for byte, through the request loop', async () => {
    const client = testClient(server, { fetch: httpFetch });
    const file = await getFile(client, `${server.entity}/plain/r1`, 'big.bin');
    server.clearRequests();
    expect(Buffer.from(await fetchFileBytes(client, file, { direct: true })).equals(BIG)).toBe(true);
    const storage = server.requests.filter((r) => r.origin === 'storage');
    expect(storage).toHaveLength(1);
    expect(storage[0]!.hasAuthorization).toBe(false);
    // Not a web stream: the node stream's reader.
    expect((await httpFetch(file.directUrl)).body).not.toBeInstanceOf(ReadableStream);
  });

  it('GETs go over node:http with their headers; a redirected GET with credentials, and other methods, through the global fetch', async () => {
    const viaNode = await httpFetch(`${sideUrl}/headers`, { headers: { Authorization: 'Basic eA==' } });
    expect(viaNode.body).not.toBeInstanceOf(ReadableStream);
    expect(JSON.parse(new TextDecoder().decode(await readAll(viaNode)))).toMatchObject({ authorization: 'Basic eA==', 'accept-encoding': 'gzip, deflate, br' });
    // A redirect of a request with credentials is left to the global fetch (its rules drop them across origins).
    const redirected = await httpFetch(`${sideUrl}/hop`, { headers: { Authorization: 'Basic eA==' } });
    expect(redirected.body).toBeInstanceOf(ReadableStream);
    expect(await redirected.text()).toBe('decoded as fetch decodes');
    expect((await httpFetch(`${sideUrl}/headers`, { method: 'POST', body: '{}' })).body).toBeInstanceOf(ReadableStream);
  });

  it('a kept-alive connection the server closed meanwhile is sent again at once, as an attempt hooks see', async () => {
    const url = `${sideUrl}/gzip`;
    const attempts: number[] = [];
    const warnings: string[] = [];
    const client = testClient(
      { url: sideUrl, apiKey: 'x'.repeat(40) },
      { fetch: httpFetch, hooks: { onRequest: (event) => void attempts.push(event.attempt) }, logger: { warn: (line) => void warnings.push(line) } },
    );
    const text = async () => new TextDecoder().decode(await (await client.transport.send(url, {}, { anonymous: true })).arrayBuffer());
    expect(await text()).toBe('decoded as fetch decodes');
    // The server drops its idle connections; the agent's socket is stale until the event loop hears it.
    side.closeIdleConnections();
    await expect(httpFetch(url)).rejects.toMatchObject({ staleConnection: true });
    expect(await text()).toBe('decoded as fetch decodes');
    side.closeIdleConnections();
    expect(await text()).toBe('decoded as fetch decodes');
    // One request each, then two for the last (the stale connection, then a new one), with no
    // backoff and no "Retrying" warning.
    expect(attempts).toEqual([1, 1, 1, 2]);
    expect(warnings).toEqual([]);
  });

  it('follows redirects (to other origins too) and decodes gzip bodies, as fetch does', async () => {
    const response = await httpFetch(`${sideUrl}/hop`, { headers: { Range: 'bytes=0-' } });
    expect(response.status).toBe(200);
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${sideUrl}/gzip`);
    expect(new TextDecoder().decode(await readAll(response))).toBe('decoded as fetch decodes');
  });

  it('a body cut short, stalled or aborted fails the read (the request loop retries or stops)', async () => {
    await expect(readAll(await httpFetch(`${sideUrl}/cut`))).rejects.toMatchObject({ code: 'ECONNRESET' });
    const controller = new AbortController();
    const stalled = await httpFetch(`${sideUrl}/stall`, { signal: controller.signal });
    const reading = readAll(stalled);
    controller.abort();
    await expect(reading).rejects.toBeDefined();
    // Through the loop: the idle timeout ends a stalled body, the caller's abort is an AbortError.
    const client = testClient({ url: sideUrl, apiKey: 'x'.repeat(40) }, { fetch: httpFetch, idleTimeoutMs: 50, maxRetries: 0 });
    const body = await openStream(client, `${sideUrl}/stall`, {}, { anonymous: true });
    await expect((async () => {
      for await (const _ of body);
    })()).rejects.toMatchObject({ name: 'TimeoutError' });
    const aborted = new AbortController();
    const again = await openStream(client, `${sideUrl}/stall`, {}, { anonymous: true, signal: aborted.signal });
    setTimeout(() => aborted.abort(), 10);
    await expect((async () => {
      for await (const _ of again);
    })()).rejects.toBeInstanceOf(AbortError);
  });

  it('a server that cannot be reached is a ConnectionError naming the cause', async () => {
    const client = testClient({ url: 'http://127.0.0.1:9', apiKey: 'x'.repeat(40) }, { fetch: httpFetch, maxRetries: 0 });
    const error = await openStream(client, 'http://127.0.0.1:9/file', {}, { anonymous: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
