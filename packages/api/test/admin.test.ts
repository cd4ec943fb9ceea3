// The facade's users and teams against the demo seed: Api#user/users/createUser/team/createTeam and
// the User, Team and Member classes, which only delegate to @wandb-api/admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, Member, PermissionError, Team, User, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
let asBob: Api;

const apiFor = (apiKey: string) => new Api({ baseUrl: server.url, apiKey, env: { NETRC: '/nonexistent/netrc' } });

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = apiFor(server.apiKey);
  // Keys are stored hashed: mint one for bob to act as him.
  asBob = apiFor(server.store.users.addApiKey(server.store.users.byName('bob')!.id));
}, 120_000);
afterAll(() => server.stop());

describe('users', () => {
  it('the demo seed has demo (admin), bob and carol', async () => {
    const users = await api.users('example.com');
    expect(users.map((u) => [u.username, u.admin, u.email])).toEqual([
      ['demo', true, 'demo@example.com'],
      ['bob', false, 'bob@example.com'],
      ['carol', false, 'carol@example.com'],
    ]);
    expect(users[0]).toBeInstanceOf(User);
    expect(users[0]).toMatchObject({ name: 'Demo User', entity: 'demo', teams: expect.arrayContaining(['vision-team']) });
    expect(users[2]).toMatchObject({ name: 'Carol Chen', entity: 'carol', teams: ['carol'] });
  });

  it('user() returns one user or null; apiKeys are names, as in Python', async () => {
    const bob = await api.user('bob');
    expect(bob?.username).toBe('bob');
    // The seed's key and the one minted above, named by their first characters (never the keys).
    expect(bob?.apiKeys).toHaveLength(2);
    for (const name of bob!.apiKeys) expect(name).toMatch(/^[0-9a-f]{8}$/);
    expect(await api.user('nobody-here')).toBeNull();
  });

  it('non-admins get PermissionError from user, users and createUser', async () => {
    await expect(asBob.user('carol')).rejects.toBeInstanceOf(PermissionError);
    await expect(asBob.users('')).rejects.toBeInstanceOf(PermissionError);
    await expect(asBob.createUser('eve@example.com')).rejects.toBeInstanceOf(PermissionError);
  });

  it('createUser, then the new user in the list', async () => {
    const erin = await api.createUser('erin@example.com', { admin: true });
    expect(erin).toMatchObject({ username: 'erin', email: 'erin@example.com', admin: true, apiKeys: [] });
    expect((await api.user('erin@example.com'))?.id).toBe(erin.id);
  });

  it('generateApiKey adds a working key for the caller; deleteApiKey removes it by name', async () => {
    const demo = (await api.user('demo'))!;
    const key = await demo.generateApiKey('ci');
    expect(key).toMatch(/^[A-Za-z0-9_]{40,}$/);
    expect(demo.apiKeys).toContain(key);
    expect((await apiFor(key).viewer()).username).toBe('demo');
    expect((await api.user('demo'))!.apiKeys).toContain(key.slice(0, 8)); // listings show names, not keys
    expect(await demo.deleteApiKey(key)).toBe(true);
    expect(demo.apiKeys).not.toContain(key);
    expect((await api.user('demo'))!.apiKeys).not.toContain(key.slice(0, 8));
    server.clearRequests();
    await expect(demo.deleteApiKey(key)).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'DeleteApiKey')).toHaveLength(0);
  });

  it('bad input is a ValidationError with no request', async () => {
    server.clearRequests();
    await expect(api.user('')).rejects.toBeInstanceOf(ValidationError);
    await expect(api.createUser('nope')).rejects.toBeInstanceOf(ValidationError);
    await expect(api.team('not a team')).rejects.toBeInstanceOf(ValidationError);
    await expect(api.createTeam('')).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests.filter((r) => r.origin === 'api')).toHaveLength(0);
  });
});

describe('teams', () => {
  it('team() loads vision-team with its members as Member objects', async () => {
    const team = await api.team('vision-team');
    expect(team).toBeInstanceOf(Team);
    expect(team).toMatchObject({ name: 'vision-team', isTeam: true, entityType: 'TEAM' });
    expect(team.members.map((m) => [m.username, m.admin, m.pending])).toEqual([
      ['demo', true, false],
      ['bob', false, false],
    ]);
    expect(team.members[0]).toBeInstanceOf(Member);
    expect(team.storageBytes).toBeGreaterThan(0); // the seed's run files in vision-team/segmentation
  });

  it('invite, then Member.delete withdraws the invite', async () => {
    const team = await api.team('vision-team');
    expect(await team.invite('carol', { admin: true })).toBe(true);
    await team.reload();
    const carol = team.members.find((m) => m.username === 'carol')!;
    expect(carol).toMatchObject({ pending: true, admin: true, email: 'carol@example.com' });
    expect(await carol.delete()).toBe(true);
    expect((await team.reload()).members.map((m) => m.username)).toEqual(['demo', 'bob']);
  });

  it('createServiceAccount returns the new member with its key', async () => {
    const team = await api.team('vision-team');
    const bot = await team.createServiceAccount('CI bot');
    expect(bot).toBeInstanceOf(Member);
    expect(bot).toMatchObject({ accountType: 'SERVICE', name: 'CI bot', pending: false });
    expect(bot.apiKey).toMatch(/^[A-Za-z0-9_]{40,}$/);
    expect(team.members.at(-1)?.id).toBe(bot.id);
  });

  it('createTeam makes the named admin; errors are thrown, not swallowed', async () => {
    const team = await api.createTeam('robotics', { adminUsername: 'carol' });
    expect(team.members.map((m) => [m.username, m.admin])).toEqual([['carol', true]]);
    await expect(api.createTeam('vision-team')).rejects.toMatchObject({ status: 400 });
    await expect(asBob.createTeam('bobs-for-carol', { adminUsername: 'carol' })).rejects.toBeInstanceOf(PermissionError);
  });

  it('outsiders and non-admins of a team get PermissionError', async () => {
    const asCarol = apiFor(server.store.users.addApiKey(server.store.users.byName('carol')!.id));
    await expect(asCarol.team('vision-team')).rejects.toBeInstanceOf(PermissionError);
    const team = await asBob.team('vision-team');
    await expect(team.invite('carol')).rejects.toBeInstanceOf(PermissionError);
    await expect(team.members[0]!.delete()).rejects.toBeInstanceOf(PermissionError);
  });
});
