// The local server fires automations, which no W&B offering does locally: an alias added through the
// Api, a logged metric crossing a threshold (edge-triggered: once per crossing), a run's state change
// POST the webhook to a loopback receiver with W&B's payload variables substituted, the Bearer token
// and the X-Wandb-Signature of its secrets; the execution history records what was sent (secrets
// masked) and what the receiver answered, in process and at GET /_automations/executions.
import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from 'wandb-api';
import {
  ArtifactEvent,
  RunEvent,
  type WebhookIntegration,
  createWebhookIntegration,
  doNothing,
  onAddArtifactAlias,
  onRunMetric,
  onRunState,
  sendNotification,
  sendWebhook,
  setSecret,
} from 'wandb-api/admin';
import type { LocalServer } from '@wandb-api/server';
import { closedPort, startTestServer } from '../../../test/support.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: LocalServer;
let api: Api;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let hook: WebhookIntegration;

const basicAuth = (apiKey: string) => `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
  // The webhook receiver under test: records every request; /fail answers 500.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url === '/fail' ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await setSecret(api.client, 'demo', 'HOOK_TOKEN', 'tok-123');
  await setSecret(api.client, 'demo', 'HOOK_KEY', 'sign-456');
  hook = await createWebhookIntegration(api.client, { entity: 'demo', name: 'receiver', urlEndpoint: `${receiverUrl}/hook`, accessTokenRef: 'HOOK_TOKEN', secretRef: 'HOOK_KEY' });
}, 120_000);
afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Writes history rows (and maybe the end of the run) as the SDK's file stream does. */
async function stream(run: { entity: string; project: string; id: string }, rows: Record<string, unknown>[], offset: number, end?: { exitcode: number }) {
  const res = await fetch(`${server.url}/files/${run.entity}/${run.project}/${run.id}/file_stream`, {
    method: 'POST',
    headers: { Authorization: basicAuth(server.apiKey), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      files: { 'wandb-history.jsonl': { offset, content: rows.map((r, i) => JSON.stringify({ _step: offset + i, ...r })) } },
      ...(end ? { complete: true, exitcode: end.exitcode } : {}),
    }),
  });
  expect(res.status).toBe(200);
}

describe('an alias added fires the webhook', () => {
  it('POSTs the substituted payload with the Bearer token and signature, once, and records it', async () => {
    const collection = await api.artifactCollection('model', 'demo/mnist-classifier/mnist-cnn');
    const payload = {
      event: '${event_type}',
      by: '${event_author}',
      alias: '${alias}',
      version: '${artifact_version_string}',
      collection: '${artifact_collection_name}',
      where: '${entity_name}/${project_name}',
      token: '${ACCESS_TOKEN}',
      key: '${HOOK_KEY}',
      nested: ['${alias}', { keep: '${not_a_variable}' }],
    };
    await api.createAutomation(onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') }).do(sendWebhook(hook, payload)), { name: 'deploy-on-prod' });
    received.length = 0;

    const v1 = await api.artifact('demo/mnist-classifier/mnist-cnn:v1');
    await v1.save({ aliases: [...v1.aliases, 'staging'] }); // not prod: no webhook
    await v1.save({ aliases: [...v1.aliases, 'staging', 'prod'] });
    await v1.save({ aliases: [...v1.aliases, 'staging', 'prod'] }); // already there: nothing new
    await server.automations.settled();

    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect(request.path).toBe('/hook');
    expect(JSON.parse(request.body)).toEqual({
      event: 'ADD_ARTIFACT_ALIAS',
      by: 'demo',
      alias: 'prod',
      version: 'demo/mnist-classifier/mnist-cnn:v1',
      collection: 'mnist-cnn',
      where: 'demo/mnist-classifier',
      token: 'tok-123',
      key: 'sign-456',
      nested: ['prod', { keep: '${not_a_variable}' }],
    });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer tok-123');
    expect(request.headers['x-wandb-signature']).toBe(createHmac('sha256', 'sign-456').update(request.body).digest('base64'));

    const [execution] = server.automations.executions({ automation: 'deploy-on-prod' });
    expect(execution).toMatchObject({ automation: 'deploy-on-prod', entity: 'demo', eventType: 'ADD_ARTIFACT_ALIAS', actionType: 'GENERIC_WEBHOOK', state: 'SUCCEEDED', responseStatus: 200, error: null });
    expect(execution!.event).toMatchObject({ alias: 'prod', event_author: 'demo', artifact_version_string: 'demo/mnist-classifier/mnist-cnn:v1' });
    // What was sent, secrets masked.
    expect(execution!.request).toMatchObject({ url: `${receiverUrl}/hook`, headers: { authorization: 'Bearer ***' } });
    expect(JSON.parse((execution!.request as { body: string }).body)).toMatchObject({ token: '***', key: '***', alias: 'prod' });
    expect(JSON.stringify(server.automations.executions())).not.toMatch(/tok-123|sign-456/);
  });

  it('serves the history at GET /_automations/executions to members of the entity only', async () => {
    const get = (apiKey: string, query: string) => fetch(`${server.url}/_automations/executions${query}`, { headers: { Authorization: basicAuth(apiKey) } });
    const mine = await get(server.apiKey, '?entity=demo&automation=deploy-on-prod');
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual(server.automations.executions({ entity: 'demo', automation: 'deploy-on-prod' }));
    const carol = server.store.users.addApiKey(server.store.users.byName('carol')!.id);
    expect((await get(carol, '?entity=demo')).status).toBe(403);
    expect(await (await get(carol, '')).json()).toEqual([]);
    expect((await fetch(`${server.url}/_automations/executions`)).status).toBe(401);
  });
});

describe('run conditions fire the webhook', () => {
  it('a metric crossing a threshold fires once per crossing, with the run and the value', async () => {
    const project = await api.project('mnist-classifier', 'demo');
    await api.createAutomation(
      onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(2).gt(0.5) }).do(
        sendWebhook(hook, { run: '${run_id}', metric: '${metric_name}', value: '${metric_value}', event: '${event_type}' }),
      ),
      { name: 'loss-high' },
    );
    const run = await api.createRun({ entity: 'demo', project: 'mnist-classifier', runId: 'crossing' });
    received.length = 0;
    await stream(run, [{ loss: 0.2 }, { loss: 0.3 }], 0); // avg 0.25
    await stream(run, [{ loss: 0.9 }], 2); // avg 0.6: crosses
    await stream(run, [{ loss: 1.0 }, { acc: 1 }], 3); // still above (rows without loss skipped): no second webhook
    await stream(run, [{ loss: 0.1 }, { loss: 0.1 }], 5); // below again: re-armed
    await stream(run, [{ loss: 2 }, { loss: 2 }], 7); // crosses again
    await server.automations.settled();
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      { run: 'crossing', metric: 'loss', value: '0.6', event: 'RUN_METRIC' },
      { run: 'crossing', metric: 'loss', value: '1.05', event: 'RUN_METRIC' },
    ]);
    expect(server.automations.executions({ automation: 'loss-high' }).map((x) => x.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('a run state change fires, a disabled automation does not, Slack is recorded but not sent', async () => {
    const project = await api.project('mnist-classifier', 'demo');
    const slack = await server.seed.slackIntegration({ entity: 'demo', teamName: 'acme', channelName: '#runs' });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(sendWebhook(hook, { failed: '${run_name}' })), { name: 'on-failure' });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(sendWebhook(hook, { never: true })), { name: 'off', enabled: false });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(sendNotification(slack.id, { title: 'Failed', text: '${run_name}' })), { name: 'slack' });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('finished') }).do(doNothing()), { name: 'noop-finished' });
    const run = await api.createRun({ entity: 'demo', project: 'mnist-classifier', runId: 'doomed' });
    received.length = 0;
    await stream(run, [{ loss: 0.1 }], 0, { exitcode: 1 });
    await server.automations.settled();
    expect(received.map((r) => JSON.parse(r.body))).toEqual([{ failed: 'doomed' }]);
    expect(server.automations.executions({ automation: 'off' })).toEqual([]);
    expect(server.automations.executions({ automation: 'slack' })).toMatchObject([
      { state: 'SKIPPED', actionType: 'NOTIFICATION', request: { channel: '#runs', title: 'Failed', message: 'doomed' }, error: expect.stringMatching(/not sent/) },
    ]);
    expect(server.automations.executions({ automation: 'noop-finished' })).toEqual([]);
  });

  it('a receiver that errs or cannot be reached is recorded as FAILED', async () => {
    const project = await api.project('mnist-classifier', 'demo');
    const failing = await createWebhookIntegration(api.client, { entity: 'demo', name: 'failing', urlEndpoint: `${receiverUrl}/fail` });
    const gone = await createWebhookIntegration(api.client, { entity: 'demo', name: 'gone', urlEndpoint: `http://127.0.0.1:${await closedPort()}/` });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('finished') }).do(sendWebhook(failing)), { name: 'to-500' });
    await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('finished') }).do(sendWebhook(gone)), { name: 'to-nowhere' });
    const run = await api.createRun({ entity: 'demo', project: 'mnist-classifier', runId: 'done' });
    await stream(run, [], 0, { exitcode: 0 });
    await server.automations.settled();
    expect(server.automations.executions({ automation: 'to-500' })).toMatchObject([{ state: 'FAILED', responseStatus: 500, error: 'HTTP 500' }]);
    expect(server.automations.executions({ automation: 'to-nowhere' })).toMatchObject([{ state: 'FAILED', responseStatus: null, error: 'ECONNREFUSED' }]);
    expect(server.automations.executions({ automation: 'noop-finished' })).toMatchObject([{ state: 'SUCCEEDED', actionType: 'NO_OP', request: null }]);
  });
});
