// Automations, integrations, secrets, custom charts and organizations against the local server (demo
// seed: demo admins vision-team, bob is a member, carol an outsider): what is created reads back the
// same; team admins manage, members read, others get PermissionError; names conflict; bad input
// sends nothing.
import { ConflictError, NotFoundError, PermissionError, ValidationError, type WandbClient } from '@wandb-api/core';
import type { LocalServer } from '@wandb-api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArtifactEvent,
  RunEvent,
  type WebhookIntegration,
  createAutomation,
  createCustomChart,
  createWebhookIntegration,
  deleteAutomation,
  deleteCustomChart,
  deleteIntegration,
  doNothing,
  getAutomation,
  getCustomChart,
  listAutomations,
  listIntegrations,
  listSecrets,
  listSlackIntegrations,
  listWebhookIntegrations,
  onAddArtifactAlias,
  onRunMetric,
  onRunState,
  sendNotification,
  sendWebhook,
  setSecret,
  updateAutomation,
} from '@wandb-api/admin';
import { getProject } from '@wandb-api/runs';
import { requestsDuring, startTestServer, testClient } from '../../../test/support';

let server: LocalServer;
let demo: WandbClient;
let bob: WandbClient;
let carol: WandbClient;
let hook: WebhookIntegration;
let slackId: string;
const project = { id: '', name: 'segmentation', entity: 'vision-team' };

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  demo = testClient(server);
  const key = (name: string) => server.store.users.addApiKey(server.store.users.byName(name)!.id);
  bob = testClient({ url: server.url, apiKey: key('bob') });
  carol = testClient({ url: server.url, apiKey: key('carol') });
  project.id = (await getProject(demo, 'vision-team/segmentation')).id;
  slackId = (await server.seed.slackIntegration({ entity: 'vision-team', teamName: 'acme', channelName: '#alerts' })).id;
}, 60_000);
afterAll(() => server.stop());

describe('integrations and secrets', () => {
  it('creates a webhook with its secret references, lists by kind, never shows secret values', async () => {
    await setSecret(demo, 'vision-team', 'CI_TOKEN', 'tok-123');
    expect(await listSecrets(demo, 'vision-team')).toEqual(['CI_TOKEN']);
    hook = await createWebhookIntegration(demo, { entity: 'vision-team', name: 'ci', urlEndpoint: 'http://127.0.0.1:9/hook', accessTokenRef: 'CI_TOKEN' });
    expect(hook).toMatchObject({ type: 'webhook', name: 'ci', urlEndpoint: 'http://127.0.0.1:9/hook' });
    expect(await listIntegrations(bob, 'vision-team').toArray()).toEqual([{ type: 'slack', id: slackId, teamName: 'acme', channelName: '#alerts' }, hook]);
    expect(await listWebhookIntegrations(bob, 'vision-team').toArray()).toEqual([hook]);
    expect((await listSlackIntegrations(bob, 'vision-team').toArray()).map((i) => i.channelName)).toEqual(['#alerts']);
  });

  it('refuses others with PermissionError, a taken name with ConflictError, bad input before any request', async () => {
    await expect(createWebhookIntegration(bob, { entity: 'vision-team', name: 'x', urlEndpoint: 'http://127.0.0.1:9/' })).rejects.toBeInstanceOf(PermissionError);
    await expect(setSecret(bob, 'vision-team', 'X', 'y')).rejects.toBeInstanceOf(PermissionError);
    await expect(listSecrets(bob, 'vision-team')).rejects.toBeInstanceOf(PermissionError);
    await expect(listIntegrations(carol, 'vision-team').toArray()).rejects.toBeInstanceOf(PermissionError);
    await expect(createWebhookIntegration(demo, { entity: 'vision-team', name: 'ci', urlEndpoint: 'http://127.0.0.1:9/' })).rejects.toBeInstanceOf(ConflictError);
    for (const bad of [
      () => createWebhookIntegration(demo, { entity: 'vision-team', name: 'y', urlEndpoint: 'ftp://x/' }),
      () => createWebhookIntegration(demo, { entity: 'vision-team', name: '', urlEndpoint: 'http://x/' }),
      () => setSecret(demo, 'vision-team', '1BAD', 'v'),
      () => setSecret(demo, 'vision-team', 'OK', ''),
    ]) {
      expect(await requestsDuring(server, () => expect(bad()).rejects.toBeInstanceOf(ValidationError))).toBe(0);
    }
  });
});

describe('automations', () => {
  it('creates what the builders make, reads it back by name, in the entity and in the viewer’s walk', async () => {
    const event = onAddArtifactAlias({ scope: project, filter: ArtifactEvent.alias.eq('prod') });
    const created = await createAutomation(demo, event.do(sendWebhook(hook, { text: '${event_author} set ${alias}' })), { name: 'on-prod', description: 'deploy' });
    expect(created).toMatchObject({
      name: 'on-prod',
      description: 'deploy',
      enabled: true,
      scope: { scopeType: 'PROJECT', id: project.id, name: 'segmentation', registry: false },
      event: { eventType: 'ADD_ARTIFACT_ALIAS', filter: { $or: [{ $and: [{ alias: { $eq: 'prod' } }] }] } },
      action: { actionType: 'GENERIC_WEBHOOK', integration: hook, requestPayload: { text: '${event_author} set ${alias}' } },
    });
    expect(await getAutomation(bob, 'on-prod', { entity: 'vision-team' })).toEqual(created);
    expect(await getAutomation(bob, 'on-prod')).toEqual(created); // the viewer's projects, as Python walks them
    expect((await listAutomations(bob, 'vision-team').toArray()).map((a) => a.name)).toEqual(['on-prod']);
  });

  it('round-trips run metric and state events and Slack notifications', async () => {
    const metric = await createAutomation(
      demo,
      onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(5).gt(0.5).and(RunEvent.name.contains('sweep')) }).do(sendNotification(slackId, { title: 'Loss', text: '${run_name}' })),
      { name: 'loss-high', enabled: false },
    );
    expect(metric).toMatchObject({
      enabled: false,
      event: {
        eventType: 'RUN_METRIC',
        filter: {
          run_filter: '{"$and":[{"display_name":{"$contains":"sweep"}}]}',
          run_metric_filter: { threshold_filter: { name: 'loss', agg_op: 'AVERAGE', window_size: 5, cmp_op: '$gt', threshold: 0.5 } },
        },
      },
      action: { actionType: 'NOTIFICATION', integration: { type: 'slack', id: slackId }, title: 'Loss', message: '${run_name}', severity: 'INFO' },
    });
    const state = await createAutomation(demo, { ...onRunState({ scope: project, filter: RunEvent.state.eq('crashed') }).do(doNothing()), name: 'crashed' });
    expect(state.event.filter).toEqual({ run_filter: '{"$and":[]}', run_state_filter: { states: ['FAILED'] } });
  });

  it('conflicts on a taken name unless fetchExisting; members and outsiders cannot create', async () => {
    const again = onAddArtifactAlias({ scope: project }).do(doNothing());
    await expect(createAutomation(demo, again, { name: 'on-prod' })).rejects.toBeInstanceOf(ConflictError);
    expect((await createAutomation(demo, again, { name: 'on-prod', fetchExisting: true })).description).toBe('deploy');
    await expect(createAutomation(bob, again, { name: 'by-bob' })).rejects.toBeInstanceOf(PermissionError);
    await expect(listAutomations(carol, 'vision-team').toArray()).rejects.toBeInstanceOf(PermissionError);
  });

  it('updates a saved automation spread with changes (also a new event), and deletes it', async () => {
    const saved = await getAutomation(demo, 'on-prod', { entity: 'vision-team' });
    const paused = await updateAutomation(demo, { ...saved, enabled: false, description: 'paused' });
    expect(paused).toMatchObject({ enabled: false, description: 'paused', event: saved.event, action: saved.action });
    const retargeted = await updateAutomation(demo, { ...paused, event: onAddArtifactAlias({ scope: project, filter: ArtifactEvent.alias.eq('staging') }), action: doNothing() });
    expect(retargeted).toMatchObject({ event: { filter: { $or: [{ $and: [{ alias: { $eq: 'staging' } }] }] } }, action: { actionType: 'NO_OP' } });
    await expect(updateAutomation(bob, { ...retargeted, enabled: true })).rejects.toBeInstanceOf(PermissionError);

    expect(await deleteAutomation(demo, retargeted)).toBe(true);
    await expect(deleteAutomation(demo, retargeted.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAutomation(demo, 'on-prod', { entity: 'vision-team' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateAutomation(demo, retargeted)).rejects.toBeInstanceOf(NotFoundError);
    const recreated = await updateAutomation(demo, retargeted, { createMissing: true });
    expect(recreated).toMatchObject({ name: 'on-prod', description: 'paused', enabled: false });
    expect(recreated.id).not.toBe(retargeted.id);
  });

  it('an integration in use cannot be deleted; bad input fails before any request', async () => {
    await expect(deleteIntegration(demo, slackId)).rejects.toThrow(/used by automation/);
    const event = onAddArtifactAlias({ scope: project });
    for (const bad of [
      () => createAutomation(demo, event.do(doNothing())), // no name
      () => createAutomation(demo, { event: { eventType: 'ADD_ARTIFACT_ALIAS' }, action: doNothing() } as never, { name: 'x' }),
      () => getAutomation(demo, ''),
      () => deleteAutomation(demo, ''),
      () => updateAutomation(demo, { id: 'x', name: 'x', description: null, enabled: true, scope: null, event: { eventType: 'ADD_ARTIFACT_ALIAS', filter: {} }, action: doNothing() }),
    ]) {
      expect(await requestsDuring(server, () => expect(bad()).rejects.toBeInstanceOf(ValidationError))).toBe(0);
    }
  });
});

describe('custom charts', () => {
  it('creates (Python returns entity/name), reads back, deletes; outsiders cannot', async () => {
    const id = await createCustomChart(bob, { entity: 'vision-team', name: 'bars', displayName: 'Bars', access: 'private', spec: { mark: 'bar', encoding: { x: { field: '${field:x}' } } } });
    expect(id).toBe('vision-team/bars');
    expect(await getCustomChart(demo, id)).toMatchObject({ id, name: 'bars', displayName: 'Bars', specType: 'vega2', access: 'private', entity: 'vision-team', createdBy: 'bob', spec: { mark: 'bar' } });
    await expect(getCustomChart(carol, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createCustomChart(carol, { entity: 'vision-team', name: 'c', displayName: 'C', access: 'public', spec: {} })).rejects.toBeInstanceOf(PermissionError);
    await expect(createCustomChart(demo, { entity: 'vision-team', name: 'bars', displayName: 'B', access: 'public', spec: {} })).rejects.toBeInstanceOf(ConflictError);
    expect(await requestsDuring(server, () => expect(createCustomChart(demo, { entity: 'vision-team', name: 'x', displayName: 'X', access: 'secret' as never, spec: {} })).rejects.toBeInstanceOf(ValidationError))).toBe(0);
    await deleteCustomChart(demo, id);
    await expect(getCustomChart(demo, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
