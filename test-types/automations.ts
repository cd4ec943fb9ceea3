// Type tests of the automation builders, compiled against the BUILT packages by scripts/check-pkg.mjs
// under node16 and bundler resolution with each supported TypeScript. What W&B refuses and types can
// say does not compile: each invalid line carries a `@ts-expect-error` that fails the build if it
// ever compiles. Nothing runs.
import { expectTypeOf } from 'expect-type';
import { Api, type Automation, type Paginated, type WebhookIntegration } from 'wandb-api';
import {
  ArtifactEvent,
  type AutomationEvent,
  type NewAutomation,
  RunEvent,
  doNothing,
  onAddArtifactAlias,
  onCreateArtifact,
  onLinkArtifact,
  onRunMetric,
  onRunState,
  runMetric,
  sendNotification,
  sendWebhook,
} from 'wandb-api/admin';

declare const api: Api;
declare const project: Awaited<ReturnType<Api['project']>>;
declare const registry: Awaited<ReturnType<Api['registry']>>;
declare const collection: Awaited<ReturnType<Api['artifactCollection']>>;
declare const hook: WebhookIntegration;

// ---- The example, and Python's examples.
export const metric: NewAutomation = onRunMetric({ scope: project, filter: runMetric('loss').avg(5).gt(0.5) }).do(sendWebhook(hook, { loss: '${metric_value}' }));
expectTypeOf(onRunMetric({ scope: project, filter: RunEvent.metric('loss').zscore(30).abs().gt(3) })).toEqualTypeOf<AutomationEvent<'RUN_METRIC_ZSCORE'>>();
expectTypeOf(onRunMetric({ scope: project, filter: RunEvent.metric('loss').changesBy({ frac: 0.1 }) })).toEqualTypeOf<AutomationEvent<'RUN_METRIC_CHANGE'>>();
export const state = onRunState({ scope: project, filter: RunEvent.state.in(['finished', 'crashed']).and(RunEvent.name.contains('sweep')) }).do(doNothing());
export const alias = onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') }).do(sendWebhook(hook));
export const link = onLinkArtifact({ scope: registry, filter: ArtifactEvent.alias.eq('staging').or(ArtifactEvent.tag.eq('x')) }).do(sendNotification('U2w=', { level: 'WARN' }));
export const created = onCreateArtifact({ scope: collection }).do(doNothing());
expectTypeOf(api.automations('vision-team')).toEqualTypeOf<Paginated<Automation>>();
expectTypeOf(api.createAutomation(alias, { name: 'deploy' })).toEqualTypeOf<Promise<Automation>>();
export const paused = async (a: Automation) => api.updateAutomation({ ...a, enabled: false, event: onCreateArtifact({ scope: collection }) });

// ---- Scopes: run events watch projects, not registries or collections; create watches collections.
// @ts-expect-error a run metric event on a registry scope
onRunMetric({ scope: registry, filter: runMetric('loss').gt(1) });
// @ts-expect-error a run state event on a collection scope
onRunState({ scope: collection, filter: RunEvent.state.eq('failed') });
// @ts-expect-error onCreateArtifact watches a collection, not a project
onCreateArtifact({ scope: project });

// ---- Filters: the subject of a filter must match the event's.
// @ts-expect-error a run filter on an artifact event
onAddArtifactAlias({ scope: collection, filter: RunEvent.name.eq('x') });
// @ts-expect-error an artifact filter narrowing the runs of a metric condition
runMetric('loss').gt(1).and(ArtifactEvent.alias.eq('prod'));
// @ts-expect-error a state condition is not a metric condition
onRunMetric({ scope: project, filter: RunEvent.state.eq('failed') });
// @ts-expect-error exactly one of diff and frac
runMetric('loss').changesBy({ diff: 1, frac: 0.1 });
// @ts-expect-error not a run state
RunEvent.state.eq('paused');

// ---- Actions: payloads are JSON objects, integrations of the right kind.
// @ts-expect-error a payload is an object, not an array
sendWebhook(hook, [1, 2]);
// @ts-expect-error a function is not JSON
sendWebhook(hook, { f: () => 1 });
// @ts-expect-error undefined is not JSON
sendWebhook(hook, { u: undefined });
// @ts-expect-error a Date is not JSON
sendWebhook(hook, { d: new Date(0) });
// @ts-expect-error a Slack integration where a webhook is expected
sendWebhook({ id: 'x', type: 'slack' });
// @ts-expect-error a webhook where a Slack integration is expected
sendNotification(hook);
// @ts-expect-error an unknown severity
sendNotification('U2w=', { level: 'LOUD' });
