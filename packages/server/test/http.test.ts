import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { basicAuth, gql } from './helpers';

let server: LocalServer;
let alice: { apiKey: string };
let bob: { apiKey: string };

beforeAll(async () => {
  server = await startServer();
  alice = server.store.createUser({ username: 'alice', email: 'alice@example.com' });
  bob = server.store.createUser({ username: 'bob', email: 'bob@example.com' });
  server.store.createProject({ entity: 'alice', name: 'secret' });
  server.store.createProject({ entity: 'alice', name: 'open', access: 'PUBLIC' });
  server.store.createRun({ entity: 'alice', project: 'secret', name: 's1' });
  server.store.createRun({ entity: 'alice', project: 'open', name: 'o1' });
});
afterAll(() => server.stop());

describe('auth', () => {
  it('answers 401 JSON without a key', async () => {
    const r = await gql(server, '{ viewer { id } }', undefined, { apiKey: null });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.message).toMatch(/Authorization/);
  });

  it('answers 401 for an unknown key and for a malformed header', async () => {
    expect((await gql(server, '{ viewer { id } }', undefined, { apiKey: 'x'.repeat(40) })).status).toBe(401);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('resolves viewer as the key owner', async () => {
    const r = await gql(server, '{ viewer { username admin entity email } }');
    expect(r.status).toBe(200);
    expect(r.body.data.viewer).toEqual({ username: 'demo', admin: true, entity: 'demo', email: 'demo@example.com' });
    const b = await gql(server, '{ viewer { username admin entity email } }', undefined, { apiKey: bob.apiKey });
    expect(b.body.data.viewer).toEqual({ username: 'bob', admin: false, entity: 'bob', email: 'bob@example.com' });
    expect(server.apiKey).toMatch(/^[A-Za-z0-9_]{40,}$/);
    expect(server.username).toBe('demo');
    expect(server.entity).toBe('demo');
  });
});

describe('private projects', () => {
  const q = `query($e: String) {
    project(name: "secret", entityName: "alice") { name runCount run(name: "s1") { name } }
    open: project(name: "open", entityName: "alice") { name access runCount }
    entity(name: "alice") { project(name: "secret") { name } projects { edges { node { name } } } }
    models(entityName: $e) { edges { node { name } } }
  }`;

  it('are invisible to other users', async () => {
    const r = await gql(server, q, { e: 'alice' }, { apiKey: bob.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.data.project).toBeNull();
    expect(r.body.data.open).toEqual({ name: 'open', access: 'PUBLIC', runCount: 1 });
    expect(r.body.data.entity.project).toBeNull();
    expect(r.body.data.entity.projects.edges.map((e: any) => e.node.name)).toEqual(['open']);
    expect(r.body.data.models.edges.map((e: any) => e.node.name)).toEqual(['open']);
  });

  it('are visible to members and admins', async () => {
    for (const apiKey of [alice.apiKey, server.apiKey]) {
      const r = await gql(server, q, { e: 'alice' }, { apiKey });
      expect(r.body.data.project).toEqual({ name: 'secret', runCount: 1, run: { name: 's1' } });
      expect(r.body.data.models.edges.map((e: any) => e.node.name)).toEqual(['secret', 'open']);
    }
  });

  it('models defaults to the viewer entity; unknown entities and projects are null', async () => {
    const r = await gql(server, '{ models { edges { node { name } } } nope: models(entityName: "ghost") { edges { node { name } } } project(name: "ghost") { name } entity(name: "ghost") { name } }', undefined, {
      apiKey: alice.apiKey,
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ models: { edges: [{ node: { name: 'secret' } }, { node: { name: 'open' } }] }, nope: null, project: null, entity: null });
  });
});

describe('http', () => {
  it('serves /healthz and JSON 404s', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    for (const [method, path] of [['GET', '/nope'], ['GET', '/graphql']] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect((await res.json()).errors[0].message).toMatch(/not found/);
    }
  });

  it('answers 400 for syntax, validation, body and variable errors', async () => {
    expect((await gql(server, '{ viewer { ')).status).toBe(400);
    const invalid = await gql(server, '{ viewer { nope } }');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.message).toMatch(/nope/);
    expect((await gql(server, 'query($n: String!) { project(name: $n) { id } }', {})).status).toBe(400);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { Authorization: basicAuth(server.apiKey) },
      body: 'not json',
    });
    expect(res.status).toBe(400);
  });

  it('answers CORS preflights and adds CORS headers', async () => {
    const pre = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, x-custom' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const allowed = pre.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const h of ['authorization', 'content-type', 'user-agent', 'use-admin-privileges', 'x-wandb-username', 'x-wandb-user-email', 'x-custom']) {
      expect(allowed).toContain(h);
    }
    const r = await gql(server, '{ viewer { id } }');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('logs requests with the operation name taken from the document', async () => {
    server.clearRequests();
    await gql(server, 'query DefaultEntity { viewer { id entity } }');
    await gql(server, '{ viewer { id } }', undefined, { apiKey: null });
    expect(server.requests).toMatchObject([
      { origin: 'api', method: 'POST', path: '/graphql', operationName: 'DefaultEntity', hasAuthorization: true, userAgent: 'W&B Public Client 0.28.3', status: 200 },
      { origin: 'api', path: '/graphql', hasAuthorization: false, status: 401 },
    ]);
    expect(server.requests[1]?.operationName).toBeUndefined();
    expect(typeof server.requests[0]?.at).toBe('number');
  });
});

describe('storage origin', () => {
  it('is a different origin that answers without credentials, and serves blobs only on signed URLs', async () => {
    expect(server.storageUrl).not.toBe(server.url);
    server.clearRequests();
    const res = await fetch(`${server.storageUrl}/healthz`);
    expect(res.status).toBe(200);
    expect((await fetch(`${server.storageUrl}/blob/0123456789abcdef0123456789abcdef`)).status).toBe(403);
    expect(server.requests).toMatchObject([
      { origin: 'storage', path: '/healthz', hasAuthorization: false, status: 200 },
      { origin: 'storage', path: '/blob/0123456789abcdef0123456789abcdef', hasAuthorization: false, status: 403 },
    ]);
  });

  it('rejects any request carrying Authorization', async () => {
    const res = await fetch(`${server.storageUrl}/blob/x`, { headers: { Authorization: basicAuth(server.apiKey) } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/credentials/);
    expect(server.requests.at(-1)).toMatchObject({ origin: 'storage', hasAuthorization: true, status: 400 });
  });
});

describe('server failures', () => {
  it('answer 500 JSON, not a hang or a 200', async () => {
    const broken = await startServer();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      broken.store.db.sql.close(); // every query now throws
      const r = await gql(broken, '{ viewer { id } }');
      expect(r.status).toBe(500);
      expect(r.body.errors?.[0]?.message).toMatch(/internal server error/);
    } finally {
      quiet.mockRestore();
      await broken.stop();
    }
  });
});
