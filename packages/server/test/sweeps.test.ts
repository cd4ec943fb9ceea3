/** upsertSweep, Project.sweeps filters and the SWEEPS_QUERY_FILTERING override, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql } from './helpers';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ seed: 'empty' });
});
afterAll(() => server.stop());

const UPSERT = `mutation ($input: UpsertSweepInput!) {
  upsertSweep(input: $input) { inserted configValidationWarnings sweep { id name method state runCountExpected displayName config } }
}`;
const SWEEPS = `query ($entity: String!, $project: String!, $filters: JSONString) {
  project(name: $project, entityName: $entity) { totalSweeps sweeps(filters: $filters) { edges { node { name state } } } }
}`;

describe('upsertSweep', () => {
  it('creates a sweep from YAML (method and grid size derived), then updates it by id', async () => {
    const config = 'method: grid\nparameters:\n  lr:\n    values: [0.1, 0.01]\n  bs:\n    values: [16, 32, 64]\n  epochs:\n    value: 3\n';
    const created = await gql(server, UPSERT, { input: { entityName: server.entity, projectName: 'sw', config } });
    expect(created.status).toBe(200);
    const sweep = created.body.data.upsertSweep.sweep;
    expect(created.body.data.upsertSweep).toMatchObject({ inserted: true, configValidationWarnings: [] });
    expect(sweep).toMatchObject({ method: 'grid', state: 'PENDING', runCountExpected: 6, config });
    expect(sweep.name).toMatch(/^[a-z0-9]{8}$/);
    const updated = await gql(server, UPSERT, { input: { id: sweep.id, state: 'paused', displayName: 'renamed' } });
    expect(updated.body.data.upsertSweep).toMatchObject({ inserted: false, sweep: { name: sweep.name, state: 'PAUSED', displayName: 'renamed' } });
  });

  it('rejects a config without a known method, and bad states, as 400', async () => {
    const bad = await gql(server, UPSERT, { input: { projectName: 'sw', config: 'parameters: {}\n' } });
    expect(bad.status).toBe(400);
    const state = await gql(server, UPSERT, { input: { projectName: 'sw', config: 'method: random\n', state: 'SLEEPING' } });
    expect(state.status).toBe(400);
  });

  it('filters sweeps; refuses filters when SWEEPS_QUERY_FILTERING is off', async () => {
    await gql(server, UPSERT, { input: { projectName: 'sw', config: 'method: random\n', state: 'FINISHED' } });
    const all = await gql(server, SWEEPS, { entity: server.entity, project: 'sw' });
    expect(all.body.data.project.totalSweeps).toBe(2);
    const finished = await gql(server, SWEEPS, { entity: server.entity, project: 'sw', filters: JSON.stringify({ state: { $in: ['FINISHED'] } }) });
    expect(finished.body.data.project.sweeps.edges.map((e: any) => e.node.state)).toEqual(['FINISHED']);
    const unknown = await gql(server, SWEEPS, { entity: server.entity, project: 'sw', filters: JSON.stringify({ nope: 1 }) });
    expect(unknown.status).toBe(400);

    const old = await startServer({ features: { SWEEPS_QUERY_FILTERING: false } });
    try {
      old.store.createProject({ entity: old.entity, name: 'sw' });
      const features = (await gql(old, '{ serverInfo { features { name isEnabled } } }')).body.data.serverInfo.features;
      expect(features).toContainEqual({ name: 'SWEEPS_QUERY_FILTERING', isEnabled: false });
      const refused = await gql(old, SWEEPS, { entity: old.entity, project: 'sw', filters: '{"state":"RUNNING"}' });
      expect(refused.status).toBe(400);
    } finally {
      await old.stop();
    }
  });
});
