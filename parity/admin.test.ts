// Parity of users and teams: both clients list users, read carol and vision-team, create a user and
// a team (each its own), invite, add a service account and withdraw the invite; an outsider's key
// is refused by both (Python: its own exception, ours PermissionError).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type Team, type User } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
}, 120_000);
afterAll(() => p?.stop());

const userFields = (u: User | null) =>
  u && { username: u.username, email: u.email, name: u.name, admin: u.admin, entity: u.entity, teams: [...u.teams].sort(), api_key_count: u.apiKeys.length };

const teamFields = (t: Team) => ({
  name: t.name,
  is_team: t.isTeam,
  members: t.members.map((m) => ({ username: m.username, email: m.email, admin: m.admin, pending: m.pending, account_type: m.accountType })),
});

/** Python's output with its own names replaced by ours (each side creates its own user and team). */
const swap = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('py-team', 'ts-team').replaceAll('pyuser', 'tsuser')) as unknown;

describe('admin parity', () => {
  it('users, user, team, create_user, create_team, invite, service account, Member.delete', async () => {
    // Our reads first: Python's writes (its team names carol admin) must not show in them.
    const ours: Record<string, unknown> = {
      users: await attempt(async () => (await api.users('example.com')).map(userFields)),
      user: await attempt(async () => userFields(await api.user('carol'))),
      missing: await attempt(async () => userFields(await api.user('nobody-here'))),
      team: await attempt(async () => teamFields(await api.team('vision-team'))),
    };
    const py = (await p.python('admin', { email: 'pyuser@example.org', team: 'py-team' })) as Record<string, unknown>;

    ours.created = await attempt(async () => {
      const u = await api.createUser('tsuser@example.org');
      return { username: u.username, email: u.email, name: u.name, admin: u.admin };
    });
    ours.new_team = await attempt(async () => teamFields(await api.createTeam('ts-team', { adminUsername: 'carol' })));
    const team = await api.team('ts-team');
    ours.invite = await attempt(() => team.invite('bob'));
    const bot = await team.createServiceAccount('CI bot');
    ours.service_account = { account_type: bot.accountType, pending: bot.pending, name: bot.name, has_key: Boolean(bot.apiKey) };
    await team.reload();
    ours.after = normalize(teamFields(team));
    ours.delete = await attempt(() => team.members.find((m) => m.username === 'bob')!.delete());
    ours.final = normalize(teamFields(await api.team('ts-team')));

    // Documented difference: Python's create_service_account returns the team's LAST member, here
    // the pending invite of bob; ours returns the new service account itself.
    expect(py.service_account).toEqual({ account_type: 'USER', pending: true, name: 'Bob Builder', has_key: false });
    expect(ours.service_account).toEqual({ account_type: 'SERVICE', pending: false, name: 'CI bot', has_key: true });
    delete py.service_account;
    delete ours.service_account;

    // The service accounts are named after their teams; compare the rest.
    const strip = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/"(py|ts)-team-service"/g, '"SERVICE"')) as unknown;
    expect(strip(normalize(ours))).toEqual(strip(swap(py)));
    expect((ours.users as { ok: unknown[] }).ok).toHaveLength(3);
    expect(ours.final).toMatchObject({ members: [{ username: 'carol', admin: true }, { account_type: 'SERVICE', pending: false }] });
  });

  it('an outsider is refused by both: Python raises, ours throws PermissionError', async () => {
    const carolKey = p.server.store.users.addApiKey(p.server.store.users.byName('carol')!.id); // keys are stored hashed: mint one
    const py = (await p.python('admin', { as_outsider: true }, { WANDB_API_KEY: carolKey })) as Record<string, { error?: string }>;
    const carolApi = new Api({ baseUrl: p.server.url, apiKey: carolKey, env: { NETRC: '/nonexistent/netrc' } });
    expect(py.users?.error).toBeTruthy();
    expect(py.team?.error).toBeTruthy();
    expect(await attempt(() => carolApi.users('example.com'))).toEqual({ error: 'PermissionError' });
    expect(await attempt(() => carolApi.team('vision-team'))).toEqual({ error: 'PermissionError' });
  });
});
