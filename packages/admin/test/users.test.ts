// Users and API keys against the local server: search and create are for admins (others get
// PermissionError, never an empty list), keys are the caller's own, bad input sends nothing.
import { PermissionError, ValidationError, BadRequestError, type WandbClient } from '@wandb-api/core';
import type { LocalServer } from '@wandb-api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, deleteApiKey, generateApiKey, getUser, listUsers } from '@wandb-api/admin';
import { requestsFor, startTestServer, testClient } from '../../../test/support';

let server: LocalServer;
let admin: WandbClient;
let bob: WandbClient;

beforeAll(async () => {
  server = await startTestServer();
  const bobUser = server.store.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Builder' });
  server.store.createUser({ username: 'carol', email: 'carol@example.com', name: 'Carol Chen' });
  server.store.createTeam({ name: 'vision-team', members: ['demo', 'bob'] });
  admin = testClient(server);
  bob = testClient({ url: server.url, apiKey: bobUser.apiKey });
});
afterAll(() => server.stop());

describe('listUsers / getUser', () => {
  it('matches usernames, emails and names partially, oldest first', async () => {
    const all = await listUsers(admin, '');
    expect(all.map((u) => u.username)).toEqual(['demo', 'bob', 'carol']);
    const byDomain = await listUsers(admin, 'example.com');
    expect(byDomain.map((u) => u.email)).toEqual(['demo@example.com', 'bob@example.com', 'carol@example.com']);
    expect((await listUsers(admin, 'CHEN')).map((u) => u.username)).toEqual(['carol']);
    expect(await listUsers(admin, 'nobody-like-this')).toEqual([]);
  });

  it('decodes a user with teams, entity and the key names admins see', async () => {
    const b = await getUser(admin, 'bob');
    expect(b).toMatchObject({ username: 'bob', name: 'Bob Builder', email: 'bob@example.com', admin: false, entity: 'bob', teams: ['bob', 'vision-team'], deletedAt: null });
    expect(b?.apiKeys).toHaveLength(1);
    // Keys are stored hashed: a listing names a key by its first characters, which cannot authenticate.
    expect(b?.apiKeys[0]?.name).toMatch(/^[A-Za-z0-9_]{8}$/);
    expect(server.store.authenticate(b!.apiKeys[0]!.name)).toBeUndefined();
    expect((await getUser(admin, 'demo@example.com'))?.admin).toBe(true);
    expect(await getUser(admin, 'zed')).toBeNull();
  });

  it('prefers the exact username over other partial matches', async () => {
    // 'bob' also matches nobody else here; 'o' matches demo and bob and carol: the first wins.
    expect((await getUser(admin, 'o'))?.username).toBe('demo');
    expect((await getUser(admin, 'carol'))?.username).toBe('carol');
  });

  it('refuses non-admins with PermissionError (HTTP 403), not an empty list', async () => {
    await expect(listUsers(bob, 'bob')).rejects.toBeInstanceOf(PermissionError);
    await expect(getUser(bob, 'carol')).rejects.toMatchObject({ status: 403 });
  });

  it('rejects bad input before any request', async () => {
    server.clearRequests();
    await expect(getUser(admin, '')).rejects.toBeInstanceOf(ValidationError);
    await expect(listUsers(admin, 42 as unknown as string)).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'SearchUsers')).toHaveLength(0);
  });
});

describe('createUser', () => {
  it('creates a user with a personal entity; the email picks the username', async () => {
    const dave = await createUser(admin, 'dave@example.org');
    expect(dave).toMatchObject({ username: 'dave', email: 'dave@example.org', admin: false, entity: 'dave', teams: ['dave'], apiKeys: [] });
    const root = await createUser(admin, 'dave@elsewhere.net', { admin: true });
    expect(root).toMatchObject({ username: 'dave-2', admin: true });
    expect((await getUser(admin, 'dave@elsewhere.net'))?.username).toBe('dave-2');
  });

  it('refuses a taken email (BadRequestError) and non-admins (PermissionError)', async () => {
    await expect(createUser(admin, 'bob@example.com')).rejects.toBeInstanceOf(BadRequestError);
    await expect(createUser(bob, 'mallory@example.com')).rejects.toBeInstanceOf(PermissionError);
    expect(server.store.users.byEmail('mallory@example.com')).toBeUndefined();
  });

  it('validates the email before any request', async () => {
    server.clearRequests();
    await expect(createUser(admin, 'not-an-email')).rejects.toBeInstanceOf(ValidationError);
    await expect(createUser(admin, 'x@y.z', { admin: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'CreateUserFromAdmin')).toHaveLength(0);
  });
});

describe('API keys', () => {
  it('generates a key for the caller that then authenticates, and deletes it by name', async () => {
    const key = await generateApiKey(bob, { description: 'ci' });
    expect(key.name).toMatch(/^[A-Za-z0-9_]{40,}$/);
    expect(key.description).toBe('ci');
    const viaNewKey = testClient({ url: server.url, apiKey: key.name });
    const me = await getUser(admin, 'bob');
    // The answer to generateApiKey is the only place the key appears; listings show its name.
    const listed = me?.apiKeys.find((k) => k.id === key.id);
    expect(listed).toEqual({ id: key.id, name: key.name.slice(0, 8), description: 'ci' });

    expect(await deleteApiKey(viaNewKey, me!, listed!.name)).toBe(true);
    expect((await getUser(admin, 'bob'))?.apiKeys.map((k) => k.id)).not.toContain(key.id);
    expect(server.store.authenticate(key.name)).toBeUndefined();
  });

  it('refuses to delete another user’s key (PermissionError)', async () => {
    const carol = (await getUser(admin, 'carol'))!;
    await expect(deleteApiKey(bob, carol, carol.apiKeys[0]!.name)).rejects.toBeInstanceOf(PermissionError);
    expect((await getUser(admin, 'carol'))?.apiKeys).toHaveLength(1);
  });

  it('an unknown key name is a ValidationError that sends nothing and does not echo the name', async () => {
    server.clearRequests();
    const me = (await getUser(admin, 'bob'))!;
    const err = await deleteApiKey(bob, me, 'x'.repeat(40)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(String((err as Error).message)).not.toContain('x'.repeat(40));
    await expect(generateApiKey(bob, { description: 5 as unknown as string })).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'DeleteApiKey')).toHaveLength(0);
    expect(requestsFor(server, 'GenerateApiKey')).toHaveLength(0);
  });
});
