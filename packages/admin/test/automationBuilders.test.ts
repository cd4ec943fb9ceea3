// The automation builders produce the eventFilter and action JSON Python's wandb.automations (0.31.0)
// sends for the same automation (the expected texts are Python's output, as parity/automations.test.ts
// checks live), and refuse bad input with a ValidationError before any request. What the types refuse
// at compile time is checked by test-types/automations.ts.
import { ValidationError } from '@wandb-api/core';
import { describe, expect, it } from 'vitest';
import {
  ArtifactEvent,
  RunEvent,
  doNothing,
  onAddArtifactAlias,
  onAddArtifactTag,
  onCreateArtifact,
  onLinkArtifact,
  onRemoveCollectionTag,
  onRunMetric,
  onRunState,
  onUnlinkArtifact,
  runMetric,
  sendNotification,
  sendWebhook,
  toScope,
} from '@wandb-api/admin';

const project = { id: 'UHJvamVjdDox', name: 'p', entity: 'acme' };
const collection = { id: 'QXJ0aWZhY3RDb2xsZWN0aW9uOjE=', name: 'c', kind: 'sequence' as const };
const registry = { id: 'UHJvamVjdDoy', fullName: 'wandb-registry-model' };

/** eventFilter as sent (JSON text), parsed for comparison (Python writes 3.0 where JS writes 3). */
const sent = (event: { filter: unknown }) => JSON.parse(JSON.stringify(event.filter)) as unknown;

describe('event filters equal Python’s', () => {
  it.each([
    [
      'avg(5) > 0.5',
      onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(5).gt(0.5) }),
      'RUN_METRIC',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"threshold_filter":{"name":"loss","agg_op":"AVERAGE","window_size":5,"cmp_op":"$gt","threshold":0.5}},"metric_filter":null}',
    ],
    [
      'loss > 1',
      onRunMetric({ scope: project, filter: runMetric('loss').gt(1) }),
      'RUN_METRIC',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"threshold_filter":{"name":"loss","agg_op":null,"window_size":1,"cmp_op":"$gt","threshold":1}},"metric_filter":null}',
    ],
    [
      'changes_by(diff=0.1)',
      onRunMetric({ scope: project, filter: runMetric('loss').changesBy({ diff: 0.1 }) }),
      'RUN_METRIC_CHANGE',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"change_filter":{"name":"loss","agg_op":null,"current_window_size":1,"change_amount":0.1,"prior_window_size":1,"change_type":"ABSOLUTE","change_dir":"ANY"}},"metric_filter":null}',
    ],
    [
      'avg(3).increases_by(frac=0.2)',
      onRunMetric({ scope: project, filter: runMetric('loss').avg(3).increasesBy({ frac: 0.2 }) }),
      'RUN_METRIC_CHANGE',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"change_filter":{"name":"loss","agg_op":"AVERAGE","current_window_size":3,"change_amount":0.2,"prior_window_size":3,"change_type":"RELATIVE","change_dir":"INCREASE"}},"metric_filter":null}',
    ],
    [
      'decreases_by(diff=2)',
      onRunMetric({ scope: project, filter: runMetric('acc').decreasesBy({ diff: 2 }) }),
      'RUN_METRIC_CHANGE',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"change_filter":{"name":"acc","agg_op":null,"current_window_size":1,"change_amount":2,"prior_window_size":1,"change_type":"ABSOLUTE","change_dir":"DECREASE"}},"metric_filter":null}',
    ],
    [
      'abs(zscore(10)) > 2',
      onRunMetric({ scope: project, filter: runMetric('loss').zscore(10).abs().gt(2) }),
      'RUN_METRIC_ZSCORE',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"zscore_filter":{"name":"loss","window_size":10,"threshold":2,"change_dir":"ANY"}},"metric_filter":null}',
    ],
    [
      'zscore(30) < -3.0',
      onRunMetric({ scope: project, filter: runMetric('acc').zscore(30).lt(-3.0) }),
      'RUN_METRIC_ZSCORE',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"zscore_filter":{"name":"acc","window_size":30,"threshold":3.0,"change_dir":"DECREASE"}},"metric_filter":null}',
    ],
    [
      'min(2) <= 0.25',
      onRunMetric({ scope: project, filter: runMetric('acc').min(2).lte(0.25) }),
      'RUN_METRIC',
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"threshold_filter":{"name":"acc","agg_op":"MIN","window_size":2,"cmp_op":"$lte","threshold":0.25}},"metric_filter":null}',
    ],
    [
      '(loss > 1) & name.contains("foo")',
      onRunMetric({ scope: project, filter: runMetric('loss').gt(1).and(RunEvent.name.contains('foo')) }),
      'RUN_METRIC',
      '{"run_filter":"{\\"$and\\":[{\\"display_name\\":{\\"$contains\\":\\"foo\\"}}]}","run_metric_filter":{"threshold_filter":{"name":"loss","agg_op":null,"window_size":1,"cmp_op":"$gt","threshold":1}},"metric_filter":null}',
    ],
    [
      '(loss > 1) & (name.contains("foo") | name.eq("x"))',
      onRunMetric({ scope: project, filter: runMetric('loss').gt(1).and(RunEvent.name.contains('foo').or(RunEvent.name.eq('x'))) }),
      'RUN_METRIC',
      '{"run_filter":"{\\"$and\\":[{\\"$or\\":[{\\"display_name\\":{\\"$contains\\":\\"foo\\"}},{\\"display_name\\":{\\"$eq\\":\\"x\\"}}]}]}","run_metric_filter":{"threshold_filter":{"name":"loss","agg_op":null,"window_size":1,"cmp_op":"$gt","threshold":1}},"metric_filter":null}',
    ],
    [
      'state in [finished, failed]',
      onRunState({ scope: project, filter: RunEvent.state.in(['finished', 'failed']) }),
      'RUN_STATE',
      '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["FAILED","FINISHED"]}}',
    ],
    ['state == running', onRunState({ scope: project, filter: RunEvent.state.eq('running') }), 'RUN_STATE', '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["RUNNING"]}}'],
    ['alias == prod', onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') }), 'ADD_ARTIFACT_ALIAS', '{"$or":[{"$and":[{"alias":{"$eq":"prod"}}]}]}'],
    ['create (no filter)', onCreateArtifact({ scope: collection }), 'CREATE_ARTIFACT', '{"$or":[{"$and":[]}]}'],
    [
      'link: alias prod | x',
      onLinkArtifact({ scope: project, filter: ArtifactEvent.alias.eq('prod').or(ArtifactEvent.alias.eq('x')) }),
      'LINK_MODEL',
      '{"$or":[{"$and":[{"$or":[{"alias":{"$eq":"prod"}},{"alias":{"$eq":"x"}}]}]}]}',
    ],
    ['tag == t', onAddArtifactTag({ scope: collection, filter: ArtifactEvent.tag.eq('t') }), 'ADD_ARTIFACT_TAG', '{"$or":[{"$and":[{"tag":{"$eq":"t"}}]}]}'],
    ['tag != t', onRemoveCollectionTag({ scope: collection, filter: ArtifactEvent.tag.ne('t') }), 'REMOVE_COLLECTION_TAG', '{"$or":[{"$and":[{"tag":{"$ne":"t"}}]}]}'],
    ['unlink (no filter)', onUnlinkArtifact({ scope: collection }), 'UNLINK_ARTIFACT', '{"$or":[{"$and":[]}]}'],
  ])('%s', (_, event, eventType, python) => {
    expect(event.eventType).toBe(eventType);
    expect(sent(event)).toEqual(JSON.parse(python));
    // Byte for byte too, where Python's number formatting is JavaScript's (3.0 is 3 here).
    if (!python.includes('3.0')) expect(JSON.stringify(event.filter)).toBe(python);
  });

  it('simplifies as Python does: nested same operators flatten, single children unnest, negations fold', () => {
    const a = ArtifactEvent.alias.eq('a');
    const b = ArtifactEvent.alias.eq('b');
    const c = ArtifactEvent.tag.eq('c');
    const json = (f: Parameters<typeof onAddArtifactAlias>[0]['filter']) => sent(onAddArtifactAlias({ scope: collection, filter: f }));
    expect(json(a.and(b).and(c))).toEqual({ $or: [{ $and: [{ alias: { $eq: 'a' } }, { alias: { $eq: 'b' } }, { tag: { $eq: 'c' } }] }] });
    expect(json(a.or(b).or(c))).toEqual({ $or: [{ $and: [{ $or: [{ alias: { $eq: 'a' } }, { alias: { $eq: 'b' } }, { tag: { $eq: 'c' } }] }] }] });
    expect(json(a.or(b).not())).toEqual({ $or: [{ $and: [{ $nor: [{ alias: { $eq: 'a' } }, { alias: { $eq: 'b' } }] }] }] });
    expect(json(a.not())).toEqual({ $or: [{ $and: [{ $not: { alias: { $eq: 'a' } } }] }] });
    expect(json(a.not().not())).toEqual({ $or: [{ $and: [{ alias: { $eq: 'a' } }] }] });
    expect(json(ArtifactEvent.alias.in(['a', 'b']))).toEqual({ $or: [{ $and: [{ alias: { $in: ['a', 'b'] } }] }] });
    expect(json(ArtifactEvent.alias.matchesRegex('^prod-'))).toEqual({ $or: [{ $and: [{ alias: { $regex: '^prod-' } }] }] });
  });
});

describe('actions equal Python’s TriggeredActionConfig', () => {
  it('webhook, notification and no-op', async () => {
    const { actionConfig } = await import('../src/automations/actions.js');
    expect(actionConfig(sendWebhook('SW50ZWdyYXRpb246MQ==', { a: '${event_type}', n: [1, 2] }))).toEqual({
      genericWebhookActionInput: { integrationID: 'SW50ZWdyYXRpb246MQ==', requestPayload: '{"a":"${event_type}","n":[1,2]}' },
    });
    expect(actionConfig(sendWebhook({ id: 'SW50ZWdyYXRpb246MQ==', type: 'webhook' }))).toEqual({ genericWebhookActionInput: { integrationID: 'SW50ZWdyYXRpb246MQ==' } });
    expect(actionConfig(sendNotification('U2w=', { title: 'hi', text: 'body', level: 'warn' }))).toEqual({
      notificationActionInput: { integrationID: 'U2w=', message: 'body', severity: 'WARN', title: 'hi' },
    });
    expect(actionConfig(doNothing())).toEqual({ noOpActionInput: { noOp: true } });
  });
});

describe('what W&B refuses is refused before any request', () => {
  const expectInvalid = (make: () => unknown, message: RegExp) => {
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  };

  it('scopes: run events need a project (a registry by object or by name is refused), create needs a collection', () => {
    expectInvalid(() => onRunMetric({ scope: { id: 'x', name: 'wandb-registry-model' }, filter: runMetric('loss').gt(1) }), /project scope, not a registry/);
    expectInvalid(() => onRunMetric({ scope: registry as never, filter: runMetric('loss').gt(1) }), /not a registry/);
    expectInvalid(() => onRunState({ scope: collection as never, filter: RunEvent.state.eq('failed') }), /not a registry or a collection/);
    expectInvalid(() => onCreateArtifact({ scope: project as never }), /artifact collection scope/);
    expect(toScope(registry)).toEqual({ scopeType: 'PROJECT', id: registry.id, name: 'wandb-registry-model', registry: true, entity: undefined });
  });

  it('metric conditions: windows, thresholds, change amounts, z-score signs', () => {
    expectInvalid(() => runMetric(''), /needs a name/);
    expectInvalid(() => runMetric('loss').avg(0), /positive integer/);
    expectInvalid(() => runMetric('loss').max(1.5), /positive integer/);
    expectInvalid(() => runMetric('loss').gt(Number.NaN), /finite number/);
    expectInvalid(() => runMetric('loss').changesBy({ diff: 1, frac: 0.1 } as never), /exactly one/);
    expectInvalid(() => runMetric('loss').changesBy({ diff: -1 }), /positive/);
    expectInvalid(() => runMetric('loss').zscore(5).lt(3), /negative threshold/);
    expectInvalid(() => runMetric('loss').zscore(5).abs().lt(-3), /gt only/);
    expectInvalid(() => runMetric('loss').zscore(5).gt(0), /positive/);
    expectInvalid(() => RunEvent.state.eq('paused' as never), /Unknown run state/);
    expectInvalid(() => RunEvent.state.in([]), /at least one state/);
  });

  it('payloads: only JSON objects', () => {
    expectInvalid(() => sendWebhook('id', [1, 2] as never), /JSON object/);
    expectInvalid(() => sendWebhook('id', '[1]'), /JSON object/);
    expectInvalid(() => sendWebhook('id', '{oops'), /not JSON/);
    expectInvalid(() => sendWebhook('id', { f: () => 1 } as never), /payload\.f is a function/);
    expectInvalid(() => sendWebhook('id', { u: undefined } as never), /payload\.u is a undefined/);
    expectInvalid(() => sendWebhook('id', { n: Number.POSITIVE_INFINITY }), /payload\.n is Infinity/);
    expectInvalid(() => sendWebhook('id', { d: new Date(0) } as never), /not a plain object/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expectInvalid(() => sendWebhook('id', cycle as never), /cycle/);
    expectInvalid(() => sendWebhook({ id: 'x', type: 'slack' } as never), /webhook integration/);
    expectInvalid(() => sendWebhook(''), /must not be empty/);
    expectInvalid(() => sendNotification('id', { level: 'LOUD' as never }), /severity/);
  });

  it('an event does not make a thenable: `await` gives the event back', async () => {
    const event = onCreateArtifact({ scope: collection });
    expect(await event).toBe(event);
    expect(event.do(doNothing())).toMatchObject({ event, action: { actionType: 'NO_OP' } });
    expectInvalid(() => event.do({ actionType: 'QUEUE_JOB' } as never), /Not an automation action/);
  });
});
