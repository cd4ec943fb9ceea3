import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { buildFixture, RUNS_QUERY } from './fixture';
import { gql } from './helpers';

let server: LocalServer;
let aliceKey: string;

beforeAll(async () => {
  server = await startServer();
  ({ aliceKey } = buildFixture(server));
});
afterAll(() => server.stop());

async function names(filters: unknown): Promise<string[]> {
  const r = await gql(server, RUNS_QUERY, { filters: JSON.stringify(filters) }, { apiKey: aliceKey });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const project = r.body.data.project;
  const found = project.runs.edges.map((e: any) => e.node.name).sort();
  // runCount(filters) and totalCount agree with the page.
  expect(project.runCount).toBe(found.length);
  expect(project.runs.totalCount).toBe(found.length);
  return found;
}

const CASES: [string, unknown, string[]][] = [
  // run columns and operators
  ['implicit equality', { state: 'finished' }, ['r1', 'r5']],
  ['$eq', { state: { $eq: 'running' } }, ['r2']],
  ['$ne', { state: { $ne: 'finished' } }, ['r2', 'r3', 'r4']],
  ['$in', { state: { $in: ['running', 'crashed'] } }, ['r2', 'r3']],
  ['$nin', { state: { $nin: ['finished'] } }, ['r2', 'r3', 'r4']],
  ['$regex', { displayName: { $regex: '^[ab]-' } }, ['r1', 'r2']],
  ['$regex with $options', { display_name: { $regex: 'ONE', $options: 'i' } }, ['r1']],
  ['RE2 inline flag', { displayName: { $regex: '(?i)^E-' } }, ['r5']],
  ['display_name', { display_name: 'c-three' }, ['r3']],
  ['name', { name: 'r4' }, ['r4']],
  ['group', { group: 'g1' }, ['r1', 'r2']],
  ['group null', { group: null }, ['r3', 'r5']],
  ['jobType', { jobType: 'eval' }, ['r2']],
  ['job_type $exists false', { job_type: { $exists: false } }, ['r5']],
  ['username', { username: 'bob' }, ['r3', 'r4']],
  ['host $in', { host: { $in: ['h1', 'h3'] } }, ['r1', 'r3', 'r4']],
  ['sweep', { sweep: 's1' }, ['r2', 'r4']],
  ['createdAt $gt', { createdAt: { $gt: '2024-01-03T00:00:00' } }, ['r4', 'r5']],
  ['created_at $lte with zone', { created_at: { $lte: '2024-01-02T00:00:00Z' } }, ['r1', 'r2']],
  ['createdAt range', { createdAt: { $gte: '2024-01-02', $lt: '2024-01-04' } }, ['r2', 'r3']],
  ['heartbeatAt $gt', { heartbeatAt: { $gt: '2024-01-01T00:01:00' } }, ['r1', 'r2', 'r3', 'r4', 'r5']],
  ['heartbeatAt $lt', { heartbeatAt: { $lt: '2024-01-02' } }, ['r1']],
  ['duration', { duration: { $gt: 50 } }, ['r1']],
  ['number operand on a text field', { state: { $gt: 5 } }, []],
  // config
  ['config.<k> $gt', { 'config.lr': { $gt: 0.01 } }, ['r1', 'r4']],
  ['config.<k>.value $gte', { 'config.lr.value': { $gte: 0.01 } }, ['r1', 'r2', 'r4']],
  ['config $lt', { 'config.lr': { $lt: 0.01 } }, ['r3']],
  ['config two ops', { 'config.lr': { $lte: 0.01, $gt: 0.001 } }, ['r2']],
  ['config nested', { 'config.optimizer.name': 'adam' }, ['r1', 'r3']],
  ['config nested via value', { 'config.optimizer.value.name': 'adam' }, ['r1', 'r3']],
  ['config null matches null and missing', { 'config.optimizer.momentum': null }, ['r3', 'r4', 'r5']],
  ['config $ne null', { 'config.optimizer.momentum': { $ne: null } }, ['r1', 'r2']],
  ['config $exists', { 'config.arch': { $exists: true } }, ['r1', 'r2', 'r4']],
  ['config $exists false', { 'config.arch': { $exists: false } }, ['r3', 'r5']],
  ['config boolean', { 'config.flag': true }, ['r4']],
  ['config $regex', { 'config.arch': { $regex: '^c' } }, ['r1', 'r4']],
  ['config $in numbers', { 'config.batch_size': { $in: [32, 128] } }, ['r1', 'r3', 'r4']],
  ['config $nin numbers', { 'config.batch_size': { $nin: [32] } }, ['r2', 'r4', 'r5']],
  // $in keeps $eq's type bracketing: "32" is not 32, 1 is not true; null matches missing keys.
  ['config $in mixed types', { 'config.batch_size': { $in: ['32', 64, true] } }, ['r2']],
  ['config $in strings and null', { 'config.arch': { $in: ['mlp', null] } }, ['r2', 'r3', 'r5']],
  ['config $in booleans', { 'config.flag': { $in: [true, 1] } }, ['r4']],
  ['config $in objects', { 'config.optimizer': { $in: [{ name: 'sgd', momentum: 0.8 }, 'adam'] } }, ['r2']],
  ['createdAt $in dates', { createdAt: { $in: ['2024-01-02T00:00:00Z', '2024-01-05T00:00:00'] } }, ['r2', 'r5']],
  ['string operand never matches numbers', { 'config.lr': { $gt: 'a' } }, []],
  ['config object equality', { 'config.optimizer': { name: 'sgd', momentum: 0.8 } }, ['r2']],
  // summary
  ['summary $lt (NaN is null)', { 'summary_metrics.loss': { $lt: 1 } }, ['r1', 'r2']],
  ['summary null', { 'summary_metrics.loss': null }, ['r3', 'r5']],
  ['summary numbers only', { 'summary_metrics.acc': { $gte: 0.9 } }, ['r2', 'r3']],
  ['summary string', { 'summary_metrics.acc': 'n/a' }, ['r4']],
  ['summary nested path', { 'summary_metrics.nested.val': 2 }, ['r2']],
  // tags
  ['tags contains', { tags: 'baseline' }, ['r1', 'r2']],
  ['tags $in (any of)', { tags: { $in: ['prod', 'debug'] } }, ['r2', 'r4', 'r5']],
  ['tags $nin (none of)', { tags: { $nin: ['baseline'] } }, ['r3', 'r4', 'r5']],
  ['tags $in with null (no tags) and an exact list', { tags: { $in: [null, ['prod']] } }, ['r3', 'r4']],
  ['tags null (no tags)', { tags: null }, ['r3']],
  ['tags $ne', { tags: { $ne: 'prod' } }, ['r1', 'r3', 'r5']],
  ['tags $regex', { tags: { $regex: '^deb' } }, ['r5']],
  // logic
  ['$or', { $or: [{ state: 'crashed' }, { 'config.batch_size': 128 }] }, ['r3', 'r4']],
  ['$and', { $and: [{ 'config.batch_size': 32 }, { tags: 'baseline' }] }, ['r1']],
  ['$nor', { $nor: [{ state: 'finished' }, { tags: 'prod' }] }, ['r3']],
  ['implicit and', { state: 'finished', 'config.arch': 'cnn' }, ['r1']],
  // Equalities in $or/$nor and $ne in $and are merged per field into one $in; same answers.
  ['$or of equalities on two fields', { $or: [{ state: 'running' }, { state: { $eq: 'crashed' } }, { 'config.arch': 'cnn' }] }, ['r1', 'r2', 'r3', 'r4']],
  ['$nor of equalities', { $nor: [{ state: 'finished' }, { state: 'failed' }] }, ['r2', 'r3']],
  ['$and of $ne', { $and: [{ state: { $ne: 'finished' } }, { state: { $ne: 'failed' } }, { 'config.lr': { $gt: 0.005 } }] }, ['r2']],
  ['nested logic', { $or: [{ $and: [{ state: 'finished' }, { tags: 'debug' }] }, { name: { $in: ['r2'] } }] }, ['r2', 'r5']],
  ['empty object', {}, ['r1', 'r2', 'r3', 'r4', 'r5']],
];

describe('run filters', () => {
  for (const [label, filter, expected] of CASES) {
    it(`${label}: ${JSON.stringify(filter)}`, async () => {
      expect(await names(filter)).toEqual(expected);
    });
  }

  it('no filters argument means every run', async () => {
    const r = await gql(server, RUNS_QUERY, {}, { apiKey: aliceKey });
    expect(r.body.data.project.runCount).toBe(5);
  });
});

describe('bad filters are 400 BAD_USER_INPUT, never 500', () => {
  const BAD: [string, string, RegExp][] = [
    ['not JSON', '{state:', /not valid JSON/],
    ['not an object', '[1, 2]', /must be a JSON object/],
    ['unknown operator', '{"state": {"$foo": 1}}', /unknown operator \$foo/],
    ['unknown top-level operator', '{"$where": "1"}', /unknown operator \$where/],
    ['$in without array', '{"state": {"$in": "finished"}}', /\$in on state needs an array/],
    ['unknown field', '{"bogus": 1}', /unknown filter field "bogus"/],
    ['bad regex', '{"name": {"$regex": "("}}', /invalid \$regex/],
    ['$or not an array', '{"$or": {"state": "x"}}', /\$or in filters must be a non-empty array/],
    ['$exists not boolean', '{"state": {"$exists": "yes"}}', /\$exists on state needs true or false/],
    ['operators mixed with fields', '{"config.lr": {"$gt": 1, "x": 2}}', /mixes operators/],
    ['range on tags', '{"tags": {"$gt": "a"}}', /not supported on tags/],
    ['empty path segment', '{"config..lr": 1}', /empty segment/],
  ];
  for (const [label, filters, message] of BAD) {
    it(label, async () => {
      for (const field of ['runs(filters: $f) { edges { cursor } }', 'runCount(filters: $f)']) {
        const r = await gql(server, `query($f: JSONString) { project(name: "fixture", entityName: "lab") { ${field} } }`, { f: filters }, { apiKey: aliceKey });
        expect(r.status).toBe(400);
        expect(r.body.data).toBeNull();
        expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(r.body.errors?.[0]?.message).toMatch(message);
      }
    });
  }
});
