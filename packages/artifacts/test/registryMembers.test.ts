// Registry members through @wandb-api/artifacts and the facade's Registry: list, add users and
// teams, change roles, remove; bad input refused before any request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type WandbClient } from '@wandb-api/core';
import { addRegistryMembers, getRegistry, listRegistryMembers, removeRegistryMembers, updateRegistryMember, type Registry } from '@wandb-api/artifacts';
import type { LocalServer } from '@wandb-api/server';
import { Api } from 'wandb-api';
import { requestsDuring, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let registry: Registry;
const b64 = (s: string) => Buffer.from(s).toString('base64');
let bob: string;
let team: string;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
  registry = await getRegistry(client, 'dataset', { organization: 'demo-org' });
  bob = b64(`User:${server.store.users.byName('bob')!.id}`);
  team = b64(`Entity:${server.store.entities.byName('vision-team')!.id}`);
});
afterAll(() => server.stop());

const summary = (members: Awaited<ReturnType<typeof listRegistryMembers>>) => members.map((m) => [m.kind, m.kind === 'user' ? m.username : m.name, m.role]);

describe('registry members', () => {
  it('adds a user and a team, changes their roles and removes them', async () => {
    expect(await listRegistryMembers(client, registry)).toEqual([]);
    await addRegistryMembers(client, registry, [bob, { id: team }]);
    const added = await listRegistryMembers(client, registry);
    expect(summary(added)).toEqual([
      ['user', 'bob', 'member'],
      ['team', 'vision-team', 'member'],
    ]);
    // Members as listed can be passed back.
    await updateRegistryMember(client, registry, added[0]!, 'viewer');
    await updateRegistryMember(client, registry, added[1]!, 'admin');
    expect(summary(await listRegistryMembers(client, registry))).toEqual([
      ['user', 'bob', 'viewer'],
      ['team', 'vision-team', 'admin'],
    ]);
    await removeRegistryMembers(client, registry, added);
    expect(await listRegistryMembers(client, registry)).toEqual([]);
  });

  it('refuses what is not a user or team id, no members, or an empty role, before any request', async () => {
    const sent = await requestsDuring(server, async () => {
      await expect(addRegistryMembers(client, registry, [])).rejects.toThrow(ValidationError);
      await expect(addRegistryMembers(client, registry, ['bob'])).rejects.toThrow(/user\/team id/);
      await expect(removeRegistryMembers(client, registry, [b64('Project:1')])).rejects.toThrow(ValidationError);
      await expect(updateRegistryMember(client, registry, bob, '')).rejects.toThrow(ValidationError);
    });
    expect(sent).toBe(0);
    // A role the server does not know is the server's to refuse.
    await addRegistryMembers(client, registry, [bob]);
    await expect(updateRegistryMember(client, registry, bob, 'owner')).rejects.toThrow(/invalid role/);
    await removeRegistryMembers(client, registry, [bob]);
  });

  it('the facade Registry delegates, chaining like Python', async () => {
    const api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const reg = await api.registry('dataset', 'demo-org');
    await (await reg.addMembers(bob, team)).updateMember(team, 'viewer');
    expect((await reg.userMembers()).map((m) => [m.username, m.role])).toEqual([['bob', 'member']]);
    expect((await reg.teamMembers()).map((m) => [m.name, m.role])).toEqual([['vision-team', 'viewer']]);
    await reg.removeMembers(bob, team);
    expect(await reg.members()).toEqual([]);
  });
});
