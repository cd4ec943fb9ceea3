// The facade's automations, integrations, custom charts and organization against the demo seed:
// Api methods that only delegate to @wandb-api/admin (loaded on first use), with Python's names,
// argument order and defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, ConflictError, NotFoundError, PermissionError } from 'wandb-api';
import { ArtifactEvent, RunEvent, createWebhookIntegration, doNothing, onAddArtifactAlias, onRunMetric, sendWebhook } from 'wandb-api/admin';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
let asBob: Api;

const apiFor = (apiKey: string) => new Api({ baseUrl: server.url, apiKey, env: { NETRC: '/nonexistent/netrc' } });

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = apiFor(server.apiKey);
  asBob = apiFor(server.store.users.addApiKey(server.store.users.byName('bob')!.id));
}, 120_000);
afterAll(() => server.stop());

describe('automations through the Api', () => {
  it('creates from the builders, lists, reads one, updates and deletes', async () => {
    const hook = await createWebhookIntegration(api.client, { entity: 'vision-team', name: 'ci', urlEndpoint: 'http://127.0.0.1:9/hook' });
    expect(await api.webhookIntegrations('vision-team').toArray()).toEqual([hook]);
    expect(await api.integrations('vision-team').toArray()).toEqual([hook]);
    expect(await api.slackIntegrations('vision-team').toArray()).toEqual([]);

    const project = await api.project('segmentation', 'vision-team');
    const collection = await api.artifactCollection('model', 'demo/mnist-classifier/mnist-cnn');
    const alias = await api.createAutomation(onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') }).do(sendWebhook(hook, { v: '${artifact_version_string}' })), {
      name: 'deploy',
    });
    expect(alias.scope).toEqual({ scopeType: 'ARTIFACT_COLLECTION', id: collection.id, name: 'mnist-cnn', collectionType: 'ArtifactSequence' });
    const metric = await api.createAutomation(onRunMetric({ scope: project, filter: RunEvent.metric('loss').gt(1) }).do(doNothing()), { name: 'loss' });
    await expect(api.createAutomation(onAddArtifactAlias({ scope: collection }).do(doNothing()), { name: 'deploy' })).rejects.toBeInstanceOf(ConflictError);

    expect((await api.automations().toArray()).map((a) => a.name).sort()).toEqual(['deploy', 'loss']);
    expect((await api.automations('vision-team').toArray()).map((a) => a.name)).toEqual(['loss']);
    expect((await api.automations('demo', { name: 'deploy' }).toArray()).map((a) => a.id)).toEqual([alias.id]);
    expect(await api.automation('loss')).toEqual(metric);
    await expect(api.automation('nope')).rejects.toBeInstanceOf(NotFoundError);

    const paused = await api.updateAutomation({ ...metric, enabled: false });
    expect(paused.enabled).toBe(false);
    await expect(asBob.updateAutomation({ ...metric, enabled: true })).rejects.toBeInstanceOf(PermissionError);
    expect(await api.deleteAutomation(paused)).toBe(true);
    expect(await api.deleteAutomation(alias.id)).toBe(true);
    expect(await api.automations().toArray()).toEqual([]);
  });

  it('createCustomChart takes Python’s arguments and returns entity/name', async () => {
    expect(await api.createCustomChart('demo', 'bars', 'Bars', 'vega2', 'private', { mark: 'bar' })).toBe('demo/bars');
    expect(await api.createCustomChart('demo', 'lines', 'Lines', 'vega2', 'public', '{"mark": "line"}')).toBe('demo/lines');
  });

  it('organization: by name, else the entity’s (as Python resolves it)', async () => {
    const org = await api.organization('demo-org');
    expect(org).toMatchObject({ name: 'demo-org', entityName: 'demo-org-entity' });
    expect(await api.organization()).toEqual(org);
    await expect(api.organization('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
