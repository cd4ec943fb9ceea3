// Teams against the local server: members with pending invites, createTeam, invites by username
// and email, removing members and invites, service accounts, organizations; admin-only operations
// refuse others with PermissionError, and bad input sends nothing.
import { BadRequestError, NotFoundError, PermissionError, ValidationError, type WandbClient } from '@wandb-api/core';
import { createOrganization, type LocalServer } from '@wandb-api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceAccount, createTeam, deleteMember, getOrganization, getTeam, inviteMember } from '@wandb-api/admin';
import { requestsFor, startTestServer, testClient } from '../../../test/support';

let server: LocalServer;
let admin: WandbClient;
let bob: WandbClient;
let carol: WandbClient;

beforeAll(async () => {
  server = await startTestServer();
  const b = server.store.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Builder' });
  const c = server.store.createUser({ username: 'carol', email: 'carol@example.com', name: 'Carol Chen' });
  server.store.createTeam({ name: 'vision-team', members: ['demo', 'bob'] });
  createOrganization(server.store, { name: 'demo-org', entity: 'demo-org-entity', members: ['demo', 'bob'] });
  admin = testClient(server);
  bob = testClient({ url: server.url, apiKey: b.apiKey });
  carol = testClient({ url: server.url, apiKey: c.apiKey });
});
afterAll(() => server.stop());

describe('getTeam', () => {
  it('loads a team with its members in joining order', async () => {
    const team = await getTeam(bob, 'vision-team');
    expect(team).toMatchObject({ name: 'vision-team', isTeam: true, entityType: 'TEAM', readOnlyAdmin: false, privateOnly: false, storageBytes: 0 });
    expect(team.members.map((m) => [m.username, m.admin, m.pending, m.accountType])).toEqual([
      ['demo', true, false, 'USER'],
      ['bob', false, false, 'USER'],
    ]);
    expect(team.members[1]).toMatchObject({ team: 'vision-team', email: 'bob@example.com', name: 'Bob Builder', apiKey: null });
  });

  it('a missing team is NotFoundError; an outsider gets PermissionError, not an empty member list', async () => {
    await expect(getTeam(admin, 'no-such-team')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTeam(carol, 'vision-team')).rejects.toBeInstanceOf(PermissionError);
  });
});

describe('createTeam', () => {
  it('makes the caller the admin; server admins may name another admin', async () => {
    const mine = await createTeam(carol, 'carol-lab');
    expect(mine.members.map((m) => [m.username, m.admin])).toEqual([['carol', true]]);
    const forBob = await createTeam(admin, 'nlp-team', { adminUsername: 'bob' });
    expect(forBob.members.map((m) => [m.username, m.admin])).toEqual([['bob', true]]);
    expect((await getTeam(bob, 'nlp-team')).id).toBe(forBob.id);
  });

  it('refuses a taken name (BadRequestError) and non-admins naming someone else (PermissionError)', async () => {
    await expect(createTeam(admin, 'vision-team')).rejects.toBeInstanceOf(BadRequestError);
    await expect(createTeam(bob, 'bobs-team-for-carol', { adminUsername: 'carol' })).rejects.toBeInstanceOf(PermissionError);
    expect(server.store.entities.byName('bobs-team-for-carol')).toBeUndefined();
  });

  it('validates names before any request', async () => {
    server.clearRequests();
    await expect(createTeam(admin, 'bad name!')).rejects.toBeInstanceOf(ValidationError);
    await expect(createTeam(admin, '')).rejects.toBeInstanceOf(ValidationError);
    await expect(createTeam(admin, 'ok-name', { adminUsername: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(getTeam(admin, 'a/b')).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'CreateTeam')).toHaveLength(0);
    expect(requestsFor(server, 'GetTeamEntity')).toHaveLength(0);
  });
});

describe('invites and members', () => {
  it('invites by username and by email; invites are pending members', async () => {
    const byName = await inviteMember(admin, 'vision-team', 'carol', { admin: true });
    expect(byName).toMatchObject({ name: 'carol', email: 'carol@example.com', toUser: 'Carol Chen' });
    const byEmail = await inviteMember(admin, 'vision-team', 'newcomer@example.org');
    expect(byEmail).toMatchObject({ name: 'newcomer@example.org', email: 'newcomer@example.org', toUser: null });
    const team = await getTeam(admin, 'vision-team');
    expect(team.members.map((m) => [m.username, m.email, m.admin, m.pending])).toEqual([
      ['demo', 'demo@example.com', true, false],
      ['bob', 'bob@example.com', false, false],
      ['carol', 'carol@example.com', true, true],
      [null, 'newcomer@example.org', false, true],
    ]);
    expect(team.members[2]?.id).toBe(byName.id);
  });

  it('refuses repeated invites, members, unknown users and non-admins', async () => {
    await expect(inviteMember(admin, 'vision-team', 'carol')).rejects.toBeInstanceOf(BadRequestError);
    await expect(inviteMember(admin, 'vision-team', 'bob')).rejects.toBeInstanceOf(BadRequestError);
    await expect(inviteMember(admin, 'vision-team', 'zed')).rejects.toBeInstanceOf(BadRequestError);
    await expect(inviteMember(bob, 'vision-team', 'someone@example.org')).rejects.toBeInstanceOf(PermissionError);
  });

  it('withdraws an invite and removes a member (Member.delete)', async () => {
    let team = await getTeam(admin, 'vision-team');
    const invite = team.members.find((m) => m.email === 'newcomer@example.org')!;
    expect(await deleteMember(admin, invite)).toBe(true);
    await expect(deleteMember(bob, team.members.find((m) => m.username === 'carol')!)).rejects.toBeInstanceOf(PermissionError);
    // A team's own admin (not a server admin) invites too.
    await inviteMember(bob, 'nlp-team', 'carol');
    expect((await getTeam(bob, 'nlp-team')).members.map((m) => [m.username, m.pending])).toEqual([['bob', false], ['carol', true]]);
    team = await getTeam(admin, 'vision-team');
    expect(team.members.map((m) => m.username)).toEqual(['demo', 'bob', 'carol']);
    expect(await deleteMember(admin, team.members.find((m) => m.username === 'bob')!)).toBe(true);
    expect((await getTeam(admin, 'vision-team')).members.map((m) => m.username)).toEqual(['demo', 'carol']);
    await expect(getTeam(bob, 'vision-team')).rejects.toBeInstanceOf(PermissionError);
    server.store.entities.addMember(server.store.entities.byName('vision-team')!.id, server.store.users.byName('bob')!.id);
  });

  it('validates before any request', async () => {
    server.clearRequests();
    await expect(inviteMember(admin, 'vision-team', '')).rejects.toBeInstanceOf(ValidationError);
    await expect(inviteMember(admin, 'vision-team', 'carol', { admin: 1 as unknown as boolean })).rejects.toBeInstanceOf(ValidationError);
    await expect(deleteMember(admin, { id: null, team: 'vision-team' })).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'CreateInvite')).toHaveLength(0);
    expect(requestsFor(server, 'DeleteInvite')).toHaveLength(0);
  });
});

describe('service accounts', () => {
  it('creates a service account member with its own working API key', async () => {
    const bot = await createServiceAccount(admin, 'vision-team', 'CI bot');
    expect(bot).toMatchObject({ team: 'vision-team', username: 'vision-team-service', name: 'CI bot', accountType: 'SERVICE', admin: false, pending: false });
    expect(bot.apiKey).toMatch(/^[A-Za-z0-9_]{40,}$/);
    // The key acts as the service account, whose default entity is its team.
    const asBot = testClient({ url: server.url, apiKey: bot.apiKey! });
    expect((await getTeam(asBot, 'vision-team')).members.find((m) => m.id === bot.id)?.apiKey).toBeNull();
    const second = await createServiceAccount(admin, 'vision-team', 'nightly');
    expect(second.username).toBe('vision-team-service-2');
  });

  it('refuses non-admins of the team and validates the description', async () => {
    await expect(createServiceAccount(bob, 'vision-team', 'sneaky')).rejects.toBeInstanceOf(PermissionError);
    server.clearRequests();
    await expect(createServiceAccount(admin, 'vision-team', ' ')).rejects.toBeInstanceOf(ValidationError);
    expect(requestsFor(server, 'CreateServiceAccount')).toHaveLength(0);
  });
});

describe('getOrganization', () => {
  it('loads an organization with its entity and members', async () => {
    const org = await getOrganization(admin, 'demo-org');
    expect(org).toMatchObject({ name: 'demo-org', entityName: 'demo-org-entity' });
    expect(org.members.map((m) => [m.username, m.role, m.admin, m.email])).toEqual([
      ['demo', 'admin', true, 'demo@example.com'],
      ['bob', 'member', false, 'bob@example.com'],
    ]);
    // Bob sees the members, but not the others' emails.
    expect((await getOrganization(bob, 'demo-org')).members.map((m) => m.email)).toEqual([null, 'bob@example.com']);
  });

  it('outsiders and missing organizations get NotFoundError; no name is a ValidationError', async () => {
    await expect(getOrganization(carol, 'demo-org')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOrganization(admin, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOrganization(admin)).rejects.toBeInstanceOf(ValidationError);
    expect((await getOrganization(testClient(server, { organization: 'demo-org' }))).name).toBe('demo-org');
  });
});
