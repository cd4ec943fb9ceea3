// Registries over HTTP with the documents Python's Registry sends (members) and our operations:
// members and roles, who sees a restricted registry, what a linked version tells a reader who
// cannot read its source project, legacy model-registry paths and version orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifact, linkArtifactVersion, type LocalServer, startServer } from '../src/internal';
import { gql, operation } from './helpers';

// Python's registries/_generated operations, verbatim but for whitespace and fragments inlined.
const USER_MEMBERS = `query RegistryUserMembers($project: String!, $entity: String!) {
  project(name: $project, entityName: $entity) { members { id name username email role { name } } } }`;
const TEAM_MEMBERS = `query RegistryTeamMembers($project: String!, $entity: String!) {
  project(name: $project, entityName: $entity) { teamMembers { team { id name isTeam } role { name } } } }`;
const CREATE_MEMBERS = `mutation CreateRegistryMembers($input: CreateProjectMembersInput!) { result: createProjectMembers(input: $input) { success } }`;
const DELETE_MEMBERS = `mutation DeleteRegistryMembers($input: DeleteProjectMembersInput!) { result: deleteProjectMembers(input: $input) { success } }`;
const UPDATE_USER = `mutation UpdateUserRegistryRole($input: UpdateProjectMemberInput!) { result: updateProjectMember(input: $input) { success } }`;
const UPDATE_TEAM = `mutation UpdateTeamRegistryRole($input: UpdateProjectTeamMemberInput!) { result: updateProjectTeamMember(input: $input) { success } }`;
const PROJECT_ID = `query P($entity: String!, $project: String!) { project(entityName: $entity, name: $project) { id name } }`;

const ORG = 'demo-org-entity';
const MODELS = 'wandb-registry-model';
let server: LocalServer;
const keys: Record<string, string> = {};
const gids: Record<string, string> = {};
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  for (const name of ['demo', 'bob', 'carol']) {
    const user = server.store.users.byName(name)!;
    keys[name] = server.store.users.addApiKey(user.id);
    gids[name] = b64(`User:${user.id}`);
  }
  gids.team = b64(`Entity:${server.store.entities.byName('vision-team')!.id}`);
  server.store.createProject({ entity: ORG, name: 'wandb-registry-secret', access: 'RESTRICTED', createdBy: 'demo' });
  // A version logged in a private project of demo's, linked into the model registry bob can read.
  const secret = createArtifact(server.store, { entity: 'demo', project: 'llm-finetune', type: 'model', name: 'llm-weights', files: { 'w.txt': 'weights' }, aliases: ['internal'] });
  linkArtifactVersion(server.store, { artifact: secret.id, entity: ORG, project: MODELS, portfolio: 'llm-models', aliases: ['prod'] });
}, 60_000);
afterAll(() => server.stop());

async function as<T = any>(user: string, query: string, variables: Record<string, unknown>) {
  return gql<T>(server, query, variables, { apiKey: keys[user] as string });
}

async function ok<T = any>(user: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await as<T>(user, query, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as T;
}

async function projectId(user: string, project: string): Promise<string | null> {
  return (await ok(user, PROJECT_ID, { entity: ORG, project })).project?.id ?? null;
}

async function members(user: string, project: string) {
  const users = (await ok(user, USER_MEMBERS, { entity: ORG, project })).project.members.map((m: any) => [m.username, m.role.name]);
  const teams = (await ok(user, TEAM_MEMBERS, { entity: ORG, project })).project.teamMembers.map((m: any) => [m.team.name, m.role.name]);
  return { users, teams };
}

describe('registry members', () => {
  it('adds users and teams, changes roles, removes them; only admins manage them', async () => {
    const projectIdOf = (await projectId('demo', MODELS)) as string;
    expect(await members('demo', MODELS)).toEqual({ users: [], teams: [] });
    await ok('demo', CREATE_MEMBERS, { input: { projectId: projectIdOf, userIds: [gids.bob], teamIds: [gids.team] } });
    expect(await members('demo', MODELS)).toEqual({ users: [['bob', 'member']], teams: [['vision-team', 'member']] });
    await ok('demo', UPDATE_USER, { input: { projectId: projectIdOf, userId: gids.bob, userProjectRole: 'viewer' } });
    await ok('demo', UPDATE_TEAM, { input: { projectId: projectIdOf, teamId: gids.team, teamProjectRole: 'admin' } });
    expect(await members('bob', MODELS)).toEqual({ users: [['bob', 'viewer']], teams: [['vision-team', 'admin']] });

    const bad = await as('demo', UPDATE_USER, { input: { projectId: projectIdOf, userId: gids.bob, userProjectRole: 'owner' } });
    expect(bad.body.errors?.[0]?.message).toMatch(/invalid role "owner"/);
    const notMember = await as('demo', UPDATE_USER, { input: { projectId: projectIdOf, userId: gids.carol, userProjectRole: 'viewer' } });
    expect(notMember.body.errors?.[0]?.message).toMatch(/not a member/);
    // bob is in vision-team, now an admin of the registry: he may manage members.
    await ok('bob', DELETE_MEMBERS, { input: { projectId: projectIdOf, teamIds: [gids.team] } });
    // As a viewer only, he may not.
    const denied = await as('bob', CREATE_MEMBERS, { input: { projectId: projectIdOf, userIds: [gids.carol] } });
    expect(denied.body.errors?.[0]?.message).toMatch(/permission denied/);
    // carol cannot read the registry at all.
    const hidden = await as('carol', CREATE_MEMBERS, { input: { projectId: projectIdOf, userIds: [gids.carol] } });
    expect(hidden.body.errors?.[0]?.message).toMatch(/not found/);
    expect(await members('demo', MODELS)).toEqual({ users: [['bob', 'viewer']], teams: [] });
  });

  it('a restricted registry is seen by the entity admins and its members only', async () => {
    const secret = 'wandb-registry-secret';
    const id = (await projectId('demo', secret)) as string;
    expect(id).not.toBeNull();
    expect(await projectId('bob', secret)).toBeNull();
    const listed = async (user: string) =>
      (await ok(user, `query L($entity: String!) { entity(name: $entity) { projects(first: 100) { edges { node { name } } } } }`, { entity: ORG })).entity.projects.edges.map(
        (e: any) => e.node.name,
      );
    expect(await listed('bob')).not.toContain(secret);
    await ok('demo', CREATE_MEMBERS, { input: { projectId: id, userIds: [gids.bob] } });
    expect(await projectId('bob', secret)).toBe(id);
    expect(await listed('bob')).toContain(secret);
  });
});

describe('a version linked into a registry', () => {
  const byName = (user: string, project: string, name: string) => ok(user, operation('ArtifactMembershipByName'), { entity: ORG, project, name });

  it('does not tell a reader who cannot read its source project where it was logged', async () => {
    const owner = (await byName('demo', MODELS, 'llm-models:prod')).project.artifactCollectionMembership;
    expect(owner.artifact.artifactSequence.project).toMatchObject({ name: 'llm-finetune', entity: { name: 'demo' } });
    const reader = (await byName('bob', MODELS, 'llm-models:prod')).project.artifactCollectionMembership;
    expect(reader.artifact.id).toBe(owner.artifact.id);
    expect(reader.artifact.artifactSequence.project).toBeNull();
    // Nor the source's aliases, versions or latest version.
    const seq = `query S($id: ID!) { artifact(id: $id) { aliases { alias } artifactSequence { name latestArtifact { id } artifacts(first: 10) { totalCount } } } }`;
    const seen = (await ok('bob', seq, { id: owner.artifact.id })).artifact;
    expect(seen.aliases.map((a: any) => a.alias).sort()).toEqual(['latest', 'prod']);
    expect(seen.artifactSequence).toEqual({ name: 'llm-weights', latestArtifact: null, artifacts: { totalCount: 0 } });
    expect((await ok('demo', seq, { id: owner.artifact.id })).artifact.artifactSequence.artifacts.totalCount).toBe(1);
  });

  it('resolves through a legacy model-registry path in the organization registry', async () => {
    const data = await ok('demo', operation('ArtifactMembershipByName'), { entity: 'demo', project: 'model-registry', name: 'mnist-models:production' });
    const m = data.project.artifactCollectionMembership;
    expect(m.artifactCollection).toMatchObject({ name: 'mnist-models', project: { name: MODELS, entity: { name: ORG } } });
    // carol is in no organization: nothing to resolve to.
    const carol = await as('carol', operation('ArtifactMembershipByName'), { entity: 'demo', project: 'model-registry', name: 'mnist-models:production' });
    expect(carol.body.data?.project?.artifactCollectionMembership ?? null).toBeNull();
  });

  it('orders versions by version_index', async () => {
    const list = async (order: string) =>
      (
        await ok('demo', operation('ProjectArtifacts'), { entity: 'demo', project: 'mnist-classifier', type: 'model', collection: 'mnist-cnn', order })
      ).project.artifactType.artifactCollection.artifacts.edges.map((e: any) => e.version);
    expect(await list('version_index')).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(await list('-version_index')).toEqual(['v3', 'v2', 'v1', 'v0']);
  });
});
