// Registries with the unmodified Python SDK against the demo organization, in steps with two users:
// demo (admin of demo-org) manages registry members, makes a restricted registry and links a
// version logged in a private project; bob (an org member outside that project) reads the link
// without learning where it was logged, and sees the restricted registry only once invited. Also a
// legacy `model-registry` path and version orders; ours reads the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from 'wandb-api';
import { type Parity, startParity } from './harness';

type Attempt<T> = { ok: T } | { error: string; message: string };
type Members = { users: [string, string][]; teams: [string, string][] };
type Source = { entity: string; project: string; name: string; source_entity: string; source_project: string; is_link: boolean };

function ok<T>(a: Attempt<T> | undefined): T {
  if (!a || 'error' in a) throw new Error(`Python failed: ${JSON.stringify(a)}`);
  return a.ok;
}

let p: Parity;
let api: Api;
let bobApi: Api;
let bobKey: string;
const ids: { bob: string; team: string } = { bob: '', team: '' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
let admin: Record<string, Attempt<unknown>>;
let reader: Record<string, Attempt<unknown>>;
let member: Record<string, Attempt<unknown>>;
let invite: Record<string, Attempt<unknown>>;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  const users = p.server.store.users;
  const bob = users.byName('bob')!;
  bobKey = users.addApiKey(bob.id);
  bobApi = new Api({ baseUrl: p.server.url, apiKey: bobKey, env: {} });
  ids.bob = b64(`User:${bob.id}`);
  ids.team = b64(`Entity:${p.server.store.entities.byName('vision-team')!.id}`);
  const run = async (step: string, key?: string) =>
    (await p.python('registry_members', { step, ...ids }, key ? { WANDB_API_KEY: key } : {})) as Record<string, Attempt<unknown>>;
  admin = await run('admin');
  reader = await run('reader', bobKey);
  invite = await run('invite');
  member = await run('member', bobKey);
}, 240_000);
afterAll(() => p?.stop());

describe('registry members', () => {
  it('adds a user and a team, changes their roles, removes one; refuses a role that does not exist; ours reads the same', async () => {
    expect(ok(admin.before)).toEqual({ users: [], teams: [] });
    expect(ok(admin.add)).toEqual({ users: [['bob', 'member']], teams: [['vision-team', 'member']] });
    expect(ok(admin.update)).toEqual({ users: [['bob', 'viewer']], teams: [['vision-team', 'admin']] });
    expect(admin.bad_role).toMatchObject({ error: expect.any(String), message: expect.stringMatching(/invalid role/) });
    expect(ok(admin.remove)).toEqual({ users: [['bob', 'viewer']], teams: [] });
    // Ours reads the same members (after all of Python's steps) and writes what Python reads.
    const reg = await api.registry('model', 'demo-org');
    const ours = async () => ({
      users: (await reg.userMembers()).map((m) => [m.username, m.role]),
      teams: (await reg.teamMembers()).map((m) => [m.name, m.role]),
    });
    expect(await ours()).toEqual(ok(admin.remove));
    const secret = await api.registry('secret', 'demo-org');
    expect((await secret.userMembers()).map((m) => [m.username, m.role]).sort()).toEqual(ok<Members>(invite.invite as Attempt<Members>).users);
  });

  it("a restricted registry starts with its creator as admin; others see it only once they are members; a viewer cannot manage members", () => {
    expect(ok(admin.secret)).toEqual({ visibility: 'restricted', users: [['demo', 'admin']], teams: [] });
    expect(reader.secret).toMatchObject({ error: expect.any(String) });
    expect(ok(reader.registries)).not.toContain('secret');
    expect(reader.manage).toMatchObject({ error: expect.any(String), message: expect.stringMatching(/permission denied/) });
    expect(ok(invite.invite)).toEqual({ users: [['bob', 'member'], ['demo', 'admin']], teams: [] });
    expect(ok(member.secret)).toBe('secret');
    expect(ok(member.registries)).toContain('secret');
  });
});

describe('linked versions', () => {
  it('a reader who cannot read the source project does not learn it through a registry link (Python and ours)', async () => {
    const linked = 'demo-org-entity/wandb-registry-model/llm-models:v0';
    expect(ok(admin.linked_by_owner)).toMatchObject({ source_entity: 'demo', source_project: 'llm-finetune', is_link: true });
    expect(ok(reader.linked)).toEqual({
      entity: 'demo-org-entity',
      project: 'wandb-registry-model',
      name: 'llm-models:v0',
      source_entity: '',
      source_project: '',
      is_link: true,
    });
    const ours = await bobApi.artifact(linked);
    expect([ours.entity, ours.project, ours.sourceEntity, ours.sourceProject, ours.isLink]).toEqual(['demo-org-entity', 'wandb-registry-model', '', '', true]);
    const owner = await api.artifact(linked);
    expect([owner.sourceEntity, owner.sourceProject]).toEqual(['demo', 'llm-finetune']);
  });

  it('a legacy model-registry path resolves in the organization\'s model registry', async () => {
    const legacy = ok(admin.legacy) as Source;
    expect(legacy).toMatchObject({ entity: 'demo-org-entity', project: 'wandb-registry-model', name: 'mnist-models:production', source_entity: 'demo', source_project: 'mnist-classifier' });
    const ours = await api.artifact('demo/model-registry/mnist-models:production');
    expect({ entity: ours.entity, project: ours.project, name: ours.name, source_entity: ours.sourceEntity, source_project: ours.sourceProject, is_link: ours.isLink }).toEqual(legacy);
  });

  it('orders versions by version_index', async () => {
    expect(ok(admin.order_up)).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(ok(admin.order_down)).toEqual(['v3', 'v2', 'v1', 'v0']);
    const versions = async (order: string) => (await api.artifacts('model', 'demo/mnist-classifier/mnist-cnn', { order }).toArray()).map((a) => a.version);
    expect(await versions('version_index')).toEqual(ok(admin.order_up));
    expect(await versions('-version_index')).toEqual(ok(admin.order_down));
  });
});
