/** Every operation in operations/ runs unchanged against the demo seed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql, operation, selecting, type GqlResult } from './helpers';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(() => server.stop());

describe('client operations', () => {
  it('Viewer, DefaultEntity, ServerFeatures', async () => {
    const viewer = await gql(server, operation('Viewer'));
    expect(viewer.body.data.viewer).toMatchObject({ username: 'demo', entity: 'demo', admin: true, flags: '{}', deletedAt: null, teams: { edges: [{ node: { name: 'demo' } }, { node: { name: 'vision-team' } }, { node: { name: 'demo-org-entity' } }] } });
    expect((await gql(server, operation('DefaultEntity'))).body.data.viewer.entity).toBe('demo');
    const features = (await gql(server, operation('ServerFeatures'))).body.data.serverInfo.features;
    expect(features).toContainEqual({ name: 'SWEEPS_QUERY_FILTERING', isEnabled: true });
    expect(features).toContainEqual({ name: 'MARK_RUN_FILES_UPLOADED', isEnabled: true });
  });

  it('Projects pages with pageInfo.endCursor; Project', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const r: GqlResult = await gql(server, operation('Projects'), { entity: 'demo', cursor, perPage: 1 });
      const models = r.body.data.models;
      names.push(...models.edges.map((e: any) => e.node.name));
      if (!models.pageInfo.hasNextPage) break;
      cursor = models.pageInfo.endCursor;
    }
    expect(names).toEqual(['mnist-classifier', 'llm-finetune', 'empty-project', 'long-history', 'model-registry']);
    const p = await gql(server, operation('Project'), { name: 'segmentation', entity: 'vision-team' });
    expect(p.body.data.project).toMatchObject({ name: 'segmentation', entityName: 'vision-team', readOnly: false });
  });

  it('Runs (light and full), Run, RunCount', async () => {
    // With the project's internalId, which Python reads (our clients do not).
    const light = await gql(server, selecting(operation('Runs'), 'project(name: $project, entityName: $entity) {', 'internalId'), { project: 'mnist-classifier', entity: 'demo', perPage: 5 });
    expect(light.status).toBe(200);
    const edges = light.body.data.project.runs.edges;
    expect(edges).toHaveLength(5);
    expect(edges[0].node.config).toBeUndefined();
    expect(Buffer.from(light.body.data.project.internalId, 'base64').toString()).toBe(`ProjectInternalId:${edges[0].node.projectId}`);
    const full = await gql(server, operation('Runs'), { project: 'mnist-classifier', entity: 'demo', perPage: 5, full: true, order: '-summary_metrics.accuracy', filters: '{"state": "finished"}' });
    const node = full.body.data.project.runs.edges[0].node;
    expect(typeof node.config).toBe('string');
    expect(node.historyKeys.lastStep).toBe(node.historyLineCount - 1);
    expect(node.state).toBe('finished');
    const run = await gql(server, operation('Run'), { project: 'mnist-classifier', entity: 'demo', name: node.name });
    expect(run.body.data.project.run).toMatchObject({ name: node.name, summaryMetrics: node.summaryMetrics });
    const missing = await gql(server, operation('Run'), { project: 'mnist-classifier', entity: 'demo', name: 'nope' });
    expect(missing.status).toBe(200);
    expect(missing.body.data.project.run).toBeNull();
    const count = await gql(server, operation('RunCount'), { project: 'mnist-classifier', entity: 'demo', filters: '{"state": "finished"}' });
    expect(count.body.data.project.runCount).toBeGreaterThan(50);
  });
});
