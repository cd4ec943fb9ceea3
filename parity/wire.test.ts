// Parity of wire shapes, federated identity and the server behind a proxy: the unmodified Python
// wandb.Api and ours against one server.
// - Shapes: RunQueue.externalLinks an object, Project.internalId base64 "ProjectInternalId:<n>",
//   User.teams with the user's own entity, Organization.featureFlags, and which JSON form a NaN takes
//   on each history path (see the server README "JSON forms of non-finite numbers").
// - Identity: Python with WANDB_IDENTITY_TOKEN_FILE and no API key exchanges the JWT at /oidc/token,
//   caches the access token in WANDB_CREDENTIALS_FILE and reads through `Authorization: Bearer`.
// - Proxy: Python and ours through a forwarding proxy with a path prefix: file downloads, signed
//   URLs, uploads and parquet history all go through the proxy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintIdentityToken } from '@wandb-api/server';
import { Api, type HistoryRow } from 'wandb-api';
import { type Parity, startParity } from './harness';

const ISSUER = 'https://idp.parity.test';
const SECRET = 'the parity identity provider secret';

let p: Parity;
let dir: string;
beforeAll(async () => {
  p = await startParity('demo', {
    historyExports: 'finished',
    identity: { issuers: [{ issuer: ISSUER, secret: SECRET, audience: 'wandb' }] },
    orgFeatureFlags: { 'demo-org': { 'registry-search-v2': true, 'old-ramp': false } },
  });
  dir = mkdtempSync(join(tmpdir(), 'wandb-wire-'));
  const history = Array.from({ length: 20 }, (_, i) => ({ _step: i, loss: i === 7 ? NaN : 1 / (i + 1) }));
  // One run still running (every row live GraphQL data), one finished (its rows in a parquet export).
  p.server.store.createRun({ entity: 'demo', project: 'wire', name: 'live', state: 'running', history });
  const done = p.server.store.createRun({ entity: 'demo', project: 'wire', name: 'exported', state: 'finished', history });
  p.server.store.runFiles.put(done.internalId, 'hello.txt', p.server.store.blobs.put(new TextEncoder().encode('hello through the proxy')));
}, 120_000);
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(rows: AsyncIterable<HistoryRow>): Promise<HistoryRow[]> {
  const out: HistoryRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('wire shapes', () => {
  it('externalLinks, internalId, teams and featureFlags as W&B sends them; NaN per history path', async () => {
    const nanRuns = ['demo/wire/live', 'demo/wire/exported'];
    const py = (await p.python('wire', { case: 'shapes', nan_runs: nanRuns })) as { ok: Record<string, any> };
    const shapes = py.ok;
    // An object, as W&B's own system tests expect (`queue.external_links == {"links": [...]}`).
    expect(shapes.external_links).toEqual({ type: 'dict', value: { links: [{ label: 'Cluster dashboard', url: 'https://grafana.example.com/d/gpu' }] } });
    expect(shapes.viewer_teams).toEqual(['demo', 'vision-team', 'demo-org-entity']);
    // The user's own entity first, then their teams: a user without teams shows `[username]`.
    expect(shapes.user_teams.bob.slice(0, 2)).toEqual(['bob', 'vision-team']);
    expect(shapes.user_teams.carol).toEqual(['carol']);
    expect(shapes.registry_internal_id).toMatch(/^ProjectInternalId:\d+$/);
    expect(shapes.org_feature_flags).toEqual({ 'registry-search-v2': true, 'old-ramp': false });

    // Python: float NaN from history lines (JSONString) and parquet; the string 'NaN' where the value
    // is inside a JSON-typed answer (sampledHistory), which wandb-core must decode with Go's strict
    // JSON (a bare NaN there fails the whole call, as W&B's answers never do).
    expect(shapes.nan['demo/wire/live']).toEqual({ history: ['float:nan'], history_keys: ["str:'NaN'"], scan: ['float:nan'], scan_keys: ["str:'NaN'"] });
    expect(shapes.nan['demo/wire/exported']).toEqual({ history: ['float:nan'], history_keys: ["str:'NaN'"], scan: ['float:nan'], scan_keys: ['float:nan'] });

    const api = p.api();
    const queue = await api.runQueue('demo', 'gpu-queue');
    expect(queue.externalLinks).toEqual({ 'Cluster dashboard': 'https://grafana.example.com/d/gpu' });
    const viewer = await api.viewer();
    expect(viewer.teams).toEqual(shapes.viewer_teams);
    expect((await api.user('bob'))?.teams).toEqual(shapes.user_teams.bob);
    const registry = (await api.registry('model', 'demo-org')) as unknown as { internalId: string };
    expect(atob(registry.internalId)).toBe(shapes.registry_internal_id);
    // Ours: a number on every path.
    for (const path of nanRuns) {
      const run = await api.run(path);
      const paths = {
        history: await run.history({ samples: 100_000 }),
        history_keys: await run.history({ samples: 100_000, keys: ['loss'] }),
        scan: await collect(run.scanHistory()),
        scan_keys: await collect(run.scanHistory({ keys: ['loss'] })),
      };
      for (const [name, rows] of Object.entries(paths)) {
        expect(rows.find((r) => r._step === 7)?.loss, `${path} ${name}`).toBeNaN();
      }
    }
  });
});

describe('federated identity', () => {
  const env = (token: string, credentials: string) => ({ WANDB_API_KEY: '', WANDB_IDENTITY_TOKEN_FILE: token, WANDB_CREDENTIALS_FILE: credentials });

  it('Python exchanges the JWT once, caches the access token and reads through Bearer', async () => {
    const token = join(dir, 'jwt');
    const credentials = join(dir, 'credentials.json');
    writeFileSync(token, `${mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'demo', aud: 'wandb' } })}\n`);
    p.server.clearRequests();
    const py = (await p.python('wire', { case: 'identity', project: 'demo/wire' }, env(token, credentials))) as { ok: Record<string, unknown> };
    expect(py.ok).toEqual({ api_key: null, viewer: 'demo', default_entity: 'demo', runs: ['exported', 'live'] });
    const exchanges = p.server.requests.filter((r) => r.path === '/oidc/token');
    expect(exchanges.map((r) => r.status)).toEqual([200]);
    const graphql = p.server.requests.filter((r) => r.path === '/graphql');
    expect(graphql.length).toBeGreaterThan(0);
    expect(graphql.every((r) => r.hasAuthorization && r.status === 200)).toBe(true);
    const cached = JSON.parse(readFileSync(credentials, 'utf8')) as { credentials: Record<string, { access_token: string; expires_at: string }> };
    expect(cached.credentials[p.server.url]).toEqual({ access_token: expect.any(String), expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });

    // The access token Python cached is a plain Bearer token (our client's exchange comes separately).
    const viewer = await fetch(`${p.server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${cached.credentials[p.server.url]!.access_token}` },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
    });
    expect(await viewer.json()).toEqual({ data: { viewer: { username: 'demo' } } });
  });

  it('our Api exchanges the same JWT, reads the cache Python wrote, and answers as Python did', async () => {
    const token = join(dir, 'jwt-ours');
    const credentials = join(dir, 'credentials-ours.json');
    writeFileSync(token, `${mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'demo', aud: 'wandb' } })}\n`);
    const py = (await p.python('wire', { case: 'identity', project: 'demo/wire' }, env(token, credentials))) as { ok: Record<string, unknown> };
    p.server.clearRequests();
    // No API key anywhere: the token file alone, and the credentials file Python just wrote.
    const api = new Api({ baseUrl: p.server.url, env: { HOME: dir, WANDB_IDENTITY_TOKEN_FILE: token, WANDB_CREDENTIALS_FILE: credentials } });
    const ours = {
      api_key: api.apiKey ?? null,
      viewer: (await api.viewer()).username,
      default_entity: await api.defaultEntity(),
      runs: (await api.runs('demo/wire').toArray()).map((r) => r.name).sort(),
    };
    expect(ours).toEqual(py.ok);
    expect(p.server.requests.filter((r) => r.path === '/oidc/token')).toHaveLength(0); // Python's cached token served us
    expect(p.server.requests.filter((r) => r.path === '/graphql').every((r) => r.hasAuthorization && r.status === 200)).toBe(true);
  });

  it('a bad assertion fails Python with the server\'s invalid_grant', async () => {
    const token = join(dir, 'bad-jwt');
    writeFileSync(token, mintIdentityToken({ issuer: ISSUER, secret: 'not the secret', claims: { sub: 'demo', aud: 'wandb' } }));
    p.server.clearRequests();
    const py = (await p.python('wire', { case: 'identity_bad' }, env(token, join(dir, 'bad-credentials.json')))) as { error?: string; message?: string };
    expect(py.error).toBeDefined();
    expect(py.message).toContain('invalid_grant');
    // A refused exchange is permanent: not retried.
    expect(p.server.requests.filter((r) => r.path === '/oidc/token').map((r) => r.status)).toEqual([400]);
    expect(p.server.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
  });
});

describe('behind a proxy', () => {
  let proxy: Server;
  let base: string;
  beforeAll(async () => {
    // nginx-style: serves the API under /wandb and says so in X-Forwarded-* headers.
    proxy = createServer((req, res) => {
      const path = req.url ?? '/';
      if (!path.startsWith('/wandb/')) return void res.writeHead(404).end();
      const to = new URL(path.slice('/wandb'.length), p.server.url);
      const headers = { ...req.headers, host: to.host, 'x-forwarded-host': req.headers.host ?? '', 'x-forwarded-proto': 'http', 'x-forwarded-prefix': '/wandb' };
      const upstream = request(to, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/wandb`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it('Python and ours download, upload and scan parquet history through the proxy only', async () => {
    p.server.clearRequests();
    const py = (await p.python('wire', { case: 'proxied', run: 'demo/wire/exported' }, { WANDB_BASE_URL: base })) as { ok: Record<string, any> };
    expect(py.ok.url).toBe(`${base}/files/demo/wire/exported/hello.txt`);
    expect(py.ok.direct_url.startsWith(`${base}/storage/blob/`)).toBe(true);
    expect(py.ok.downloaded).toBe('hello through the proxy');
    expect(py.ok.uploaded_size).toBe('uploaded by python'.length);
    expect(py.ok.scan).toHaveLength(20);
    // Every request reached the server through the proxy's API origin; nothing used the storage port.
    expect(p.server.requests.some((r) => r.path.startsWith('/blob/') || r.path.startsWith('/upload/'))).toBe(false);
    expect(p.server.requests.some((r) => r.path.startsWith('/storage/upload/'))).toBe(true);

    const api = new Api({ baseUrl: base, apiKey: p.server.apiKey, env: { NETRC: join(dir, 'none') } });
    const run = await api.run('demo/wire/exported');
    const files = await run.files().toArray();
    const hello = files.find((f) => f.name === 'hello.txt')!;
    expect(hello.url).toBe(py.ok.url);
    expect(new TextDecoder().decode(await hello.bytes({ direct: true }))).toBe('hello through the proxy');
    expect((await collect(run.scanHistory({ keys: ['loss'] }))).map((r) => r.loss)).toHaveLength(20);
  });
});
