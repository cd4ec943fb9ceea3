// Parity of automations: Python's wandb.automations and our builders create the same ten automations
// (run metric thresholds, z-scores and changes, run states, alias, link, create, tag and unlink
// events; webhook, Slack and no-op actions; project, collection and registry scopes), and the server
// stores the same eventFilter and action JSON for both. Each client reads the other's automations and
// both read them the same; each updates and deletes one of the other's; integrations, custom charts
// and organization agree; conflicts and outsiders are refused by both. And the unmodified SDK's own
// writes (wandb.init + run.log, a failed run, Artifact.save with a new alias) fire the automations
// at a loopback webhook receiver, with the payload variables substituted.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, type Automation } from 'wandb-api';
import {
  ArtifactEvent,
  RunEvent,
  createWebhookIntegration,
  doNothing,
  getCustomChart,
  onAddArtifactAlias,
  onAddArtifactTag,
  onCreateArtifact,
  onLinkArtifact,
  onRemoveCollectionTag,
  onRunMetric,
  onRunState,
  onUnlinkArtifact,
  sendNotification,
  sendWebhook,
  type NewAutomation,
  type WebhookIntegration,
} from '@wandb-api/admin';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
let slackId: string;

type Extra = { description?: string; enabled?: boolean };

/** The list parity/py/automations.py builds, with our builders. */
async function specs(hook: WebhookIntegration): Promise<[NewAutomation, Extra][]> {
  const project = await api.project('segmentation', 'vision-team');
  const coll = await api.artifactCollection('model', 'demo/mnist-classifier/mnist-cnn');
  const registry = await api.registry('model', 'demo-org');
  return [
    [onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(5).gt(0.5) }).do(sendWebhook(hook, { text: '${event_type}', n: [1, 2] })), { description: 'd1' }],
    [onRunMetric({ scope: project, filter: RunEvent.metric('acc').zscore(30).lt(-3).and(RunEvent.name.contains('sweep')) }).do(doNothing()), {}],
    [onRunMetric({ scope: project, filter: RunEvent.metric('loss').changesBy({ frac: 0.25 }) }).do(sendNotification(slackId, { title: 'Loss', text: '${run_name}', level: 'WARN' })), {}],
    [onRunState({ scope: project, filter: RunEvent.state.in(['finished', 'crashed']) }).do(doNothing()), { enabled: false }],
    [onAddArtifactAlias({ scope: coll, filter: ArtifactEvent.alias.eq('prod').or(ArtifactEvent.alias.matchesRegex('^rc-')) }).do(sendWebhook(hook)), {}],
    [onLinkArtifact({ scope: registry, filter: ArtifactEvent.alias.eq('staging') }).do(doNothing()), {}],
    [onCreateArtifact({ scope: coll }).do(doNothing()), {}],
    [onAddArtifactTag({ scope: coll, filter: ArtifactEvent.tag.in(['x', 'y']) }).do(doNothing()), {}],
    [onRemoveCollectionTag({ scope: project, filter: ArtifactEvent.tag.eq('y').not() }).do(doNothing()), {}],
    [onUnlinkArtifact({ scope: registry }).do(doNothing()), {}],
  ];
}

/** Our automation in the neutral form parity/py/automations.py prints. */
function fields(a: Automation) {
  const action = a.action;
  return normalize({
    id: a.id,
    name: a.name,
    description: a.description,
    enabled: a.enabled,
    scope: a.scope && {
      type: a.scope.scopeType === 'ARTIFACT_COLLECTION' ? a.scope.collectionType : 'Project',
      id: a.scope.id,
      name: a.scope.name,
    },
    event_type: a.event.eventType,
    action:
      action.actionType === 'GENERIC_WEBHOOK'
        ? { type: action.actionType, integration: action.integration.id, payload: action.requestPayload }
        : action.actionType === 'NOTIFICATION'
          ? { type: action.actionType, integration: action.integration.id, title: action.title, message: action.message, severity: action.severity }
          : { type: action.actionType },
  });
}

/** What the server stored for an automation, as each client sent it. */
function stored(name: string) {
  return p.server.store.db
    .prepare('SELECT description, enabled, scope_type, scope_project_id, scope_collection_id, event_type, event_filter, action_type, action_config FROM triggers WHERE name = ?')
    .get(name) as Record<string, string | number | null>;
}

const names = (prefix: string) => Array.from({ length: 10 }, (_, i) => `${prefix}-${i + 1}`);
/** Python's and our names and integrations swapped, so one side's output can be compared with the other's. */
const swap = (value: unknown, ids: Record<string, string>) => {
  let text = JSON.stringify(value).replace(/"py-(\d+)"/g, '"ts-$1"');
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(from, to);
  return JSON.parse(text) as unknown;
};

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  slackId = (await p.server.seed.slackIntegration({ entity: 'vision-team', teamName: 'acme', channelName: '#alerts' })).id;
}, 120_000);
afterAll(() => p?.stop());

describe('automations parity', () => {
  let py: Record<string, unknown>;
  let tsHook: WebhookIntegration;
  let pyHookId: string;

  it('both create the same automations: the server stores the same filter and action JSON', async () => {
    py = (await p.python('automations', { mode: 'create', url: 'http://127.0.0.1:9/py' })) as Record<string, unknown>;
    tsHook = await createWebhookIntegration(api.client, { entity: 'vision-team', name: 'ts-hook', urlEndpoint: 'http://127.0.0.1:9/ts' });
    pyHookId = (await api.webhookIntegrations('vision-team').toArray()).find((h) => h.name === 'py-hook')!.id;
    const ours: Automation[] = [];
    for (const [i, [automation, extra]] of (await specs(tsHook)).entries()) ours.push(await api.createAutomation(automation, { name: `ts-${i + 1}`, ...extra }));
    expect(py.created).toHaveLength(10);

    for (const [pyName, tsName] of names('py').map((n, i) => [n, names('ts')[i]!] as const)) {
      const [a, b] = [stored(pyName), stored(tsName)];
      expect(b.event_type, tsName).toBe(a.event_type);
      // The same JSON (Python writes 3.0 where JavaScript writes 3; compared parsed).
      expect(JSON.parse(b.event_filter as string), tsName).toEqual(JSON.parse(a.event_filter as string));
      const text = (b.event_filter as string).includes('"threshold":3') ? null : (a.event_filter as string);
      if (text) expect(b.event_filter, tsName).toBe(text);
      expect(JSON.parse(b.action_config as string), tsName).toEqual(JSON.parse(a.action_config as string));
      expect({ ...b, event_filter: 0, action_config: 0 }, tsName).toEqual({ ...a, event_filter: 0, action_config: 0 });
    }
  });

  it('integrations, custom charts and organization agree', async () => {
    expect(py.webhooks).toEqual(['py-hook']); // Python listed them before ours existed
    expect((await api.webhookIntegrations('vision-team').toArray()).map((h) => h.name)).toEqual(['py-hook', 'ts-hook']);
    expect(py.slack).toEqual((await api.slackIntegrations('vision-team').toArray()).map((s) => ({ id: s.id, team: s.teamName, channel: s.channelName })));
    expect(py.integration_types).toEqual(['SlackIntegration', 'WebhookIntegration']);
    expect(py.chart).toBe('vision-team/py-chart');
    expect(await getCustomChart(api.client, 'vision-team/py-chart')).toMatchObject({ name: 'py-chart', displayName: 'Py chart', access: 'private', spec: { mark: 'bar', data: { name: 'wandb' } } });
    expect(await api.createCustomChart('vision-team', 'ts-chart', 'Py chart', 'vega2', 'private', { mark: 'bar', data: { name: 'wandb' } })).toBe('vision-team/ts-chart');
    const org = await api.organization();
    expect(py.organization).toEqual({ ok: { id: org.id, name: org.name, entity: org.entityName } });
  });

  it('each reads the other’s automations, and both read them alike', async () => {
    const read = (await p.python('automations', { mode: 'read', name: 'ts-3' })) as Record<string, unknown>;
    const ours = {
      by_entity: Object.fromEntries(await Promise.all(['vision-team', 'demo', 'demo-org-entity'].map(async (e) => [e, (await api.automations(e).toArray()).map(fields)]))),
      all: (await api.automations().toArray()).map((a) => a.name).sort(),
      one: fields(await api.automation('ts-3')),
    };
    expect(normalize(read)).toEqual(ours);
    expect((ours.by_entity as Record<string, unknown[]>)['vision-team']).toHaveLength(10); // each side's 4 run events and its collection tag event on the project
    expect(ours.all).toHaveLength(20);
    // Python's automations read as ours, names and integrations swapped.
    const byName = (list: unknown[], prefix: string) => (list as { id: string; name: string }[]).filter((a) => a.name.startsWith(prefix)).map(({ id: _, ...rest }) => rest as unknown);
    for (const e of ['vision-team', 'demo', 'demo-org-entity']) {
      const list = (ours.by_entity as Record<string, unknown[]>)[e]!;
      expect(swap(byName(list, 'py-'), { [pyHookId]: tsHook.id }), e).toEqual(byName(list, 'ts-'));
    }
  });

  it('each updates and deletes one of the other’s', async () => {
    const edited = (await p.python('automations', { mode: 'edit', update: 'ts-1', delete: 'ts-7' })) as { updated: Record<string, unknown>; deleted: boolean };
    expect(edited.deleted).toBe(true);
    expect(edited.updated).toMatchObject({ name: 'ts-1', enabled: false, description: 'edited by python' });
    const mine = await api.automation('py-1', { entity: 'vision-team' });
    const updated = await api.updateAutomation({ ...mine, enabled: false, description: 'edited by python' });
    expect(await api.deleteAutomation(await api.automation('py-7'))).toBe(true);
    // Python's update and ours send the same: the stored rows are alike.
    const [a, b] = [stored('py-1'), stored('ts-1')];
    expect(JSON.parse(b.event_filter as string)).toEqual(JSON.parse(a.event_filter as string));
    expect({ ...b, event_filter: 0, action_config: 0 }).toEqual({ ...a, event_filter: 0, action_config: 0 });
    expect(normalize(edited.updated)).toEqual(swap(fields(updated), { [pyHookId]: tsHook.id, [updated.id]: edited.updated.id as string }));
    expect((await api.automations().toArray()).map((x) => x.name)).not.toContain('ts-7');
    expect((await api.automations().toArray()).map((x) => x.name)).not.toContain('py-7');
  });

  it('the SDK’s own writes fire the automations at a loopback receiver', async () => {
    const bodies: unknown[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      const hook = await createWebhookIntegration(api.client, { entity: 'demo', name: 'receiver', urlEndpoint: url });
      const project = await api.project('mnist-classifier', 'demo');
      const coll = await api.artifactCollection('model', 'demo/mnist-classifier/mnist-cnn');
      await api.createAutomation(onRunMetric({ scope: project, filter: RunEvent.metric('loss').gt(1) }).do(sendWebhook(hook, { on: '${event_type}', run: '${run_id}', loss: '${metric_value}' })), {
        name: 'fire-loss',
      });
      await api.createAutomation(onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(sendWebhook(hook, { on: '${event_type}', run: '${run_id}', state: '${run_state}' })), {
        name: 'fire-failed',
      });
      await api.createAutomation(onAddArtifactAlias({ scope: coll, filter: ArtifactEvent.alias.eq('prod') }).do(sendWebhook(hook, { on: '${event_type}', version: '${artifact_version_string}', by: '${event_author}' })), {
        name: 'fire-prod',
      });
      await p.python('automations', { mode: 'fire', run_id: 'sdk-run', losses: [0.5, 2, 3, 0.4, 5] });
      await p.server.automations.settled();
      expect(bodies).toEqual(
        expect.arrayContaining([
          { on: 'RUN_METRIC', run: 'sdk-run', loss: '2' },
          { on: 'RUN_METRIC', run: 'sdk-run', loss: '5' },
          { on: 'RUN_STATE', run: 'sdk-run', state: 'FAILED' },
          { on: 'ADD_ARTIFACT_ALIAS', version: 'demo/mnist-classifier/mnist-cnn:v0', by: 'demo' },
        ]),
      );
      expect(bodies).toHaveLength(4); // 3 stays above 1 after 2: one webhook per crossing
      expect(p.server.automations.executions({ entity: 'demo' }).filter((x) => x.automation.startsWith('fire-')).map((x) => [x.automation, x.state])).toEqual(
        expect.arrayContaining([
          ['fire-loss', 'SUCCEEDED'],
          ['fire-loss', 'SUCCEEDED'],
          ['fire-failed', 'SUCCEEDED'],
          ['fire-prod', 'SUCCEEDED'],
        ]),
      );
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('a taken name, a member who is not an admin and an outsider are refused by both', async () => {
    const pyErrors = (await p.python('automations', { mode: 'errors', taken: 'ts-2' })) as Record<string, { error?: string; ok?: unknown }>;
    expect(pyErrors.taken?.error).toBeTruthy(); // Python: ValueError "exists"
    expect(pyErrors.fetch_existing).toEqual({ ok: 'ts-2' });
    expect(pyErrors.none?.error).toBeTruthy();
    const project = await api.project('segmentation', 'vision-team');
    const again = onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(doNothing());
    expect(await attempt(() => api.createAutomation(again, { name: 'py-2' }))).toEqual({ error: 'ConflictError' });
    expect(await attempt(async () => (await api.createAutomation(again, { name: 'py-2', fetchExisting: true })).name)).toEqual({ ok: 'py-2' });
    expect(await attempt(() => api.automation('no-such-automation'))).toEqual({ error: 'NotFoundError' });

    // bob is a member of vision-team, not an admin: both are refused (Python's own error, ours PermissionError).
    const key = (user: string) => p.server.store.users.addApiKey(p.server.store.users.byName(user)!.id);
    const bobKey = key('bob');
    const member = (await p.python('automations', { mode: 'errors', taken: 'ts-2', outsider: true }, { WANDB_API_KEY: bobKey })) as Record<string, { error?: string }>;
    expect(member.outsider_create?.error).toBeTruthy();
    const as = (apiKey: string) => new Api({ baseUrl: p.server.url, apiKey, env: { NETRC: '/nonexistent/netrc' } });
    const asBob = as(bobKey);
    expect(await attempt(() => asBob.createAutomation(again, { name: 'by-outsider' }))).toEqual({ error: 'PermissionError' });
    expect(p.server.store.db.prepare("SELECT count(*) FROM triggers WHERE name = 'by-outsider'").pluck().get()).toBe(0);
    // carol is in no team: she cannot even list them.
    expect(await attempt(() => as(key('carol')).automations('vision-team').toArray())).toEqual({ error: 'PermissionError' });
  });
});
