/**
 * Automations, integrations, secrets and custom charts are stored with W&B's permissions: team admins
 * (and server admins) manage an entity's, members read them, outsiders get 403; names are unique per
 * entity (409); filters are checked per event type (400); ids that name nothing are 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql, operation, selecting } from './helpers';

// With `success`, which Python reads (our clients do not).
const DELETE_CHART = selecting(operation('DeleteCustomChart'), 'deleteCustomChart(input: { entity: $entity, name: $name }) {', 'success');

let server: LocalServer;
let bob: string; // a member of vision-team
let carol: string; // in no team
let projectId: string; // vision-team/segmentation
let registryId: string; // demo-org-entity/wandb-registry-model

const ALIAS_FILTER = JSON.stringify({ $or: [{ $and: [{ alias: { $eq: 'prod' } }] }] });
const METRIC_FILTER = JSON.stringify({
  run_filter: JSON.stringify({ $and: [] }),
  run_metric_filter: { threshold_filter: { name: 'loss', agg_op: 'AVERAGE', window_size: 5, cmp_op: '$gt', threshold: 0.5 } },
  metric_filter: null,
});

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  const users = server.store.users;
  bob = users.addApiKey(users.byName('bob')!.id);
  carol = users.addApiKey(users.byName('carol')!.id);
  const ids = await gql(
    server,
    'query { a: project(entityName: "vision-team", name: "segmentation") { id } b: project(entityName: "demo-org-entity", name: "wandb-registry-model") { id } }',
  );
  projectId = ids.body.data.a.id;
  registryId = ids.body.data.b.id;
});
afterAll(() => server.stop());

const createWebhook = (name: string, apiKey?: string, extra: Record<string, unknown> = {}) =>
  gql(server, operation('CreateGenericWebhookIntegration'), { input: { entityName: 'vision-team', name, urlEndpoint: 'http://127.0.0.1:9/hook', ...extra } }, { apiKey });

const createTrigger = (input: Record<string, unknown>, apiKey?: string) =>
  gql(server, operation('CreateAutomation'), {
    input: {
      name: 'on-prod',
      enabled: true,
      scopeType: 'PROJECT',
      scopeID: projectId,
      triggeringEventType: 'ADD_ARTIFACT_ALIAS',
      eventFilter: ALIAS_FILTER,
      triggeredActionType: 'NO_OP',
      triggeredActionConfig: { noOpActionInput: { noOp: true } },
      ...input,
    },
  }, { apiKey });

describe('integrations and secrets', () => {
  it('team admins create webhooks and secrets; members list webhooks; secret values never come back', async () => {
    expect((await gql(server, operation('InsertSecret'), { entityName: 'vision-team', secretName: 'HOOK_TOKEN', secretValue: 's3cret' })).body.data.insertSecret).toEqual({ __typename: 'InsertSecretPayload' });
    const hook = await createWebhook('ci', undefined, { accessTokenRef: 'HOOK_TOKEN' });
    expect(hook.body.data.result.integration).toMatchObject({ __typename: 'GenericWebhookIntegration', name: 'ci', urlEndpoint: 'http://127.0.0.1:9/hook' });
    const listed = await gql(server, operation('IntegrationsByEntity'), { entity: 'vision-team' }, { apiKey: bob });
    expect(listed.body.data.entity.integrations.edges.map((e: any) => e.node.name)).toEqual(['ci']);
    const secrets = await gql(server, operation('EntitySecrets'), { entity: 'vision-team' });
    expect(JSON.stringify(secrets.body)).not.toContain('s3cret');
    expect(secrets.body.data.entity.secrets).toMatchObject([{ name: 'HOOK_TOKEN' }]);
  });

  it('refuses members, outsiders, taken names, unknown secrets and non-http URLs', async () => {
    expect((await createWebhook('by-bob', bob)).status).toBe(403);
    expect((await gql(server, operation('InsertSecret'), { entityName: 'vision-team', secretName: 'X', secretValue: 'y' }, { apiKey: bob })).status).toBe(403);
    expect((await gql(server, operation('EntitySecrets'), { entity: 'vision-team' }, { apiKey: bob })).status).toBe(403);
    expect((await gql(server, operation('IntegrationsByEntity'), { entity: 'vision-team' }, { apiKey: carol })).status).toBe(403);
    expect((await createWebhook('ci')).status).toBe(409);
    expect((await createWebhook('other', undefined, { secretRef: 'NOPE' })).status).toBe(400);
    expect((await createWebhook('ftp', undefined, { urlEndpoint: 'ftp://example.com/x' })).status).toBe(400);
  });
});

describe('automations', () => {
  let hookId: string;
  beforeAll(async () => {
    hookId = (await gql(server, operation('IntegrationsByEntity'), { entity: 'vision-team' })).body.data.entity.integrations.edges[0].node.id;
  });

  it('stores an automation and reads it back as Python parses it (artifact filters wrapped in {"filter": …})', async () => {
    const payload = JSON.stringify({ text: '${event_type} on ${artifact_version_string}' });
    const created = await createTrigger({
      description: 'deploy',
      triggeredActionType: 'GENERIC_WEBHOOK',
      triggeredActionConfig: { genericWebhookActionInput: { integrationID: hookId, requestPayload: payload } },
    });
    expect(created.status).toBe(200);
    const t = created.body.data.result.trigger;
    expect(t).toMatchObject({
      name: 'on-prod',
      description: 'deploy',
      enabled: true,
      scope: { __typename: 'Project', id: projectId, name: 'segmentation' },
      event: { __typename: 'FilterEventTriggeringCondition', eventType: 'ADD_ARTIFACT_ALIAS' },
      action: { __typename: 'GenericWebhookTriggeredAction', integration: { id: hookId, name: 'ci' }, requestPayload: payload },
    });
    expect(JSON.parse(t.event.filter)).toEqual({ filter: JSON.parse(ALIAS_FILTER) });

    const byName = await gql(server, operation('GetEntityAutomations'), { entity: 'vision-team', filters: JSON.stringify({ name: 'on-prod' }) }, { apiKey: bob });
    expect(byName.body.data.scope.triggers.edges.map((e: any) => e.node.id)).toEqual([t.id]);
    const legacy = await gql(server, operation('GetAutomationsLegacy'), { perPage: 50 }, { apiKey: bob });
    const found = legacy.body.data.scope.projects.edges.flatMap((e: any) => e.node.triggers.map((x: any) => x.name));
    expect(found).toEqual(['on-prod']);
  });

  it('stores run metric filters as sent', async () => {
    const created = await createTrigger({ name: 'loss-high', triggeringEventType: 'RUN_METRIC', eventFilter: METRIC_FILTER });
    expect(created.status).toBe(200);
    expect(created.body.data.result.trigger.event.filter).toBe(METRIC_FILTER);
  });

  it('refuses what W&B refuses', async () => {
    const code = async (input: Record<string, unknown>, apiKey?: string) => (await createTrigger(input, apiKey)).status;
    expect(await code({})).toBe(409); // on-prod exists
    expect(await code({ name: 'by-bob' }, bob)).toBe(403);
    expect(await code({ name: 'by-carol' }, carol)).toBe(400); // carol cannot see the project
    expect(await code({ name: 'bad', eventFilter: '{"alias": {"$where": 1}}' })).toBe(400);
    expect(await code({ name: 'bad', triggeringEventType: 'RUN_METRIC' })).toBe(400); // an artifact filter on a metric event
    expect(await code({ name: 'bad', triggeringEventType: 'RUN_METRIC', eventFilter: METRIC_FILTER, scopeID: registryId })).toBe(400);
    expect(await code({ name: 'bad', triggeringEventType: 'UPDATE_ARTIFACT_ALIAS' })).toBe(400);
    expect(await code({ name: 'bad', triggeredActionType: 'GENERIC_WEBHOOK', triggeredActionConfig: { noOpActionInput: { noOp: true } } })).toBe(400);
    expect(
      await code({ name: 'bad', triggeredActionType: 'GENERIC_WEBHOOK', triggeredActionConfig: { genericWebhookActionInput: { integrationID: hookId, requestPayload: '[1]' } } }),
    ).toBe(400);
    expect((await gql(server, operation('GetEntityAutomations'), { entity: 'vision-team' }, { apiKey: carol })).status).toBe(403);
  });

  it('updates (all or nothing) and deletes; a missing automation is 404', async () => {
    const list = await gql(server, operation('GetEntityAutomations'), { entity: 'vision-team' });
    const [onProd, lossHigh] = list.body.data.scope.triggers.edges.map((e: any) => e.node);
    expect(list.body.data.scope.triggers.edges).toHaveLength(2);
    const update = (input: Record<string, unknown>, apiKey?: string) => gql(server, operation('UpdateAutomation'), { input: { id: onProd.id, ...input } }, { apiKey });
    const updated = await update({ enabled: false, description: 'paused' });
    expect(updated.body.data.result.trigger).toMatchObject({ enabled: false, description: 'paused', name: 'on-prod' });
    expect((await update({ name: lossHigh.name })).status).toBe(409);
    expect((await update({ enabled: true }, bob)).status).toBe(403);
    expect((await update({ eventFilter: 'not json' })).status).toBe(400);
    const after = await gql(server, operation('GetEntityAutomations'), { entity: 'vision-team', filters: '{"name":"on-prod"}' });
    expect(after.body.data.scope.triggers.edges[0].node).toMatchObject({ enabled: false, description: 'paused' });

    expect((await gql(server, operation('DeleteAutomation'), { id: onProd.id }, { apiKey: bob })).status).toBe(403);
    expect((await gql(server, operation('DeleteAutomation'), { id: onProd.id })).body.data.result).toEqual({ success: true });
    expect((await gql(server, operation('DeleteAutomation'), { id: onProd.id })).status).toBe(404);
    expect((await update({ enabled: true })).status).toBe(404);
    // An integration in use cannot go; an unused one can.
    const spare = (await createWebhook('spare')).body.data.result.integration.id;
    expect((await gql(server, selecting(operation('DeleteIntegration'), 'deleteIntegration(input: { id: $id }) {', 'success'), { id: spare })).body.data.result).toMatchObject({ success: true });
  });
});

describe('custom charts', () => {
  it('creates with the id entity/name, reads, refuses a taken name, and only members see a private chart', async () => {
    const vars = { entity: 'vision-team', chartName: 'bars', displayName: 'Bars', chartType: 'vega2', access: 'PRIVATE', spec: JSON.stringify({ mark: 'bar' }) };
    expect((await gql(server, operation('CreateCustomChart'), vars, { apiKey: bob })).body.data.createCustomChart.chart).toEqual({ id: 'vision-team/bars' });
    expect((await gql(server, operation('CreateCustomChart'), vars)).status).toBe(409);
    expect((await gql(server, operation('CreateCustomChart'), { ...vars, chartName: 'x' }, { apiKey: carol })).status).toBe(403);
    const read = await gql(server, operation('CustomChart'), { id: 'vision-team/bars' });
    expect(read.body.data.customChart).toMatchObject({ name: 'bars', displayName: 'Bars', type: 'vega2', access: 'PRIVATE', entity: { name: 'vision-team' }, user: { username: 'bob' } });
    expect((await gql(server, operation('CustomChart'), { id: 'vision-team/bars' }, { apiKey: carol })).body.data.customChart).toBeNull();
    expect((await gql(server, DELETE_CHART, { entity: 'vision-team', name: 'bars' }, { apiKey: carol })).status).toBe(403);
    expect((await gql(server, DELETE_CHART, { entity: 'vision-team', name: 'bars' })).body.data.deleteCustomChart).toMatchObject({ success: true });
    expect((await gql(server, DELETE_CHART, { entity: 'vision-team', name: 'bars' })).status).toBe(404);
  });
});
