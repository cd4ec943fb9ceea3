/** How the server decides an automation fires: artifact filters on the event's fields, and the three metric conditions. */
import { describe, expect, it } from 'vitest';
import { UserInputError } from '../src/errors';
import { evaluateMetric, matchesFilter, parseEventFilter, savedEventFilter } from '../src/store/triggerFilters';

describe('artifact filters', () => {
  const wrapped = (f: object) => ({ $or: [{ $and: [f] }] });

  it('match the alias or tag of the event as Python writes them', () => {
    expect(matchesFilter({ alias: 'prod' }, wrapped({ alias: { $eq: 'prod' } }))).toBe(true);
    expect(matchesFilter({ alias: 'staging' }, wrapped({ alias: { $eq: 'prod' } }))).toBe(false);
    expect(matchesFilter({ alias: 'rc-3' }, wrapped({ $or: [{ alias: { $eq: 'prod' } }, { alias: { $regex: '^rc-' } }] }))).toBe(true);
    expect(matchesFilter({ tag: 'y' }, wrapped({ $not: { tag: { $eq: 'y' } } }))).toBe(false);
    expect(matchesFilter({ tag: 'x' }, wrapped({ $nor: [{ tag: { $eq: 'y' } }] }))).toBe(true);
    expect(matchesFilter({ tag: 'x' }, wrapped({ tag: { $in: ['x', 'y'] } }))).toBe(true);
    expect(matchesFilter({}, { $or: [{ $and: [] }] })).toBe(true); // no filter: every event
  });

  it('match a list field when any element does (and $ne / $nin when none does)', () => {
    const doc = { alias: ['latest', 'v-best'], tag: [] };
    expect(matchesFilter(doc, { alias: { $eq: 'latest' } })).toBe(true);
    expect(matchesFilter(doc, { alias: { $ne: 'latest' } })).toBe(false);
    expect(matchesFilter(doc, { alias: { $nin: ['x'] } })).toBe(true);
    expect(matchesFilter(doc, { alias: { $regex: '^v-' } })).toBe(true);
    expect(matchesFilter(doc, { tag: { $exists: true } })).toBe(true);
  });

  it('are checked when saved: unknown operators, bad regexes and non-objects are 400s', () => {
    expect(() => parseEventFilter('ADD_ARTIFACT_ALIAS', '{"alias": {"$where": "1"}}')).toThrow(UserInputError);
    expect(() => parseEventFilter('ADD_ARTIFACT_ALIAS', '{"alias": {"$regex": "("}}')).toThrow(UserInputError);
    expect(() => parseEventFilter('ADD_ARTIFACT_ALIAS', '[1]')).toThrow(UserInputError);
    expect(() => parseEventFilter('ADD_ARTIFACT_ALIAS', '{"$or": {}}')).toThrow(UserInputError);
  });

  it('read back wrapped in {"filter": …} for artifact events, as saved for run events', () => {
    expect(JSON.parse(savedEventFilter('LINK_MODEL', '{"$or":[{"$and":[]}]}'))).toEqual({ filter: { $or: [{ $and: [] }] } });
    const run = '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["FAILED"]}}';
    expect(savedEventFilter('RUN_STATE', run)).toBe(run);
  });
});

describe('metric conditions', () => {
  const parse = (type: string, metric: object) => {
    const f = parseEventFilter(type, JSON.stringify({ run_filter: '{"$and":[]}', run_metric_filter: metric }));
    if (f.kind !== 'metric') throw new Error('not a metric filter');
    return f.metric;
  };

  it('threshold: an aggregation of the last values, or the last value', () => {
    const avg = parse('RUN_METRIC', { threshold_filter: { name: 'loss', agg_op: 'AVERAGE', window_size: 3, cmp_op: '$gte', threshold: 2 } });
    expect(evaluateMetric(avg, [1, 2])).toBeNull(); // not enough values yet
    expect(evaluateMetric(avg, [9, 1, 2, 3])).toEqual({ met: true, value: 2 });
    const last = parse('RUN_METRIC', { threshold_filter: { name: 'loss', agg_op: null, window_size: 1, cmp_op: '$lt', threshold: 0.5 } });
    expect(evaluateMetric(last, [0.1, 0.7])).toEqual({ met: false, value: 0.7 });
    // The legacy form: the threshold filter as JSON text under metric_filter.
    const legacy = parseEventFilter('RUN_METRIC', JSON.stringify({ metric_filter: JSON.stringify({ name: 'x', cmp_op: '$gt', threshold: 1 }) }));
    expect(legacy.kind === 'metric' && evaluateMetric(legacy.metric, [2])).toEqual({ met: true, value: 2 });
  });

  it('change: the current window against the prior one, absolute or relative, in a direction', () => {
    const rel = parse('RUN_METRIC_CHANGE', {
      change_filter: { name: 'loss', agg_op: 'AVERAGE', current_window_size: 2, prior_window_size: 2, change_type: 'RELATIVE', change_dir: 'INCREASE', change_amount: 0.5 },
    });
    expect(evaluateMetric(rel, [1, 1, 1.4, 1.6])).toEqual({ met: true, value: 1.5 });
    expect(evaluateMetric(rel, [1, 1, 1.2, 1.2])!.met).toBe(false);
    const down = parse('RUN_METRIC_CHANGE', {
      change_filter: { name: 'acc', agg_op: null, current_window_size: 1, prior_window_size: 1, change_type: 'ABSOLUTE', change_dir: 'DECREASE', change_amount: 2 },
    });
    expect(evaluateMetric(down, [5, 3])!.met).toBe(true);
    expect(evaluateMetric(down, [5, 7])!.met).toBe(false);
  });

  it('z-score: the latest value against the window before it', () => {
    const z = parse('RUN_METRIC_ZSCORE', { zscore_filter: { name: 'loss', window_size: 4, threshold: 3, change_dir: 'ANY' } });
    expect(evaluateMetric(z, [1, 2, 1, 2, 10])!.met).toBe(true);
    expect(evaluateMetric(z, [1, 2, 1, 2, 2])!.met).toBe(false);
    expect(evaluateMetric(z, [1, 1, 1, 1, 50])!.met).toBe(false); // no spread: no z-score
    const down = parse('RUN_METRIC_ZSCORE', { zscore_filter: { name: 'loss', window_size: 4, threshold: 3, change_dir: 'DECREASE' } });
    expect(evaluateMetric(down, [1, 2, 1, 2, 10])!.met).toBe(false);
    expect(evaluateMetric(down, [1, 2, 1, 2, -10])!.met).toBe(true);
  });

  it('are checked when saved', () => {
    expect(() => parse('RUN_METRIC', { change_filter: {} })).toThrow(/threshold_filter/);
    expect(() => parse('RUN_METRIC', { threshold_filter: { name: 'x', cmp_op: '$ne', threshold: 1 } })).toThrow(/cmp_op/);
    expect(() => parse('RUN_METRIC_CHANGE', { change_filter: { name: 'x', change_type: 'ABSOLUTE', change_dir: 'ANY', change_amount: -1 } })).toThrow(/positive/);
    expect(() => parseEventFilter('RUN_STATE', JSON.stringify({ run_state_filter: { states: ['PAUSED'] } }))).toThrow(/RUNNING, FINISHED or FAILED/);
  });
});
