/** A small, hand-written project for filter and order tests: team `lab` (alice, bob), project `fixture`. */
import type { LocalServer } from '../src/index';

export function buildFixture(server: LocalServer): { aliceKey: string } {
  const { store } = server;
  const alice = store.createUser({ username: 'alice' });
  store.createUser({ username: 'bob' });
  store.createTeam({ name: 'lab', members: ['alice', 'bob'] });
  store.createProject({ entity: 'lab', name: 'fixture' });
  const base = { entity: 'lab', project: 'fixture' };
  store.createRun({
    ...base, name: 'r1', displayName: 'a-one', username: 'alice',
    config: { lr: 0.1, batch_size: 32, optimizer: { name: 'adam', momentum: 0.9 }, arch: 'cnn' },
    summary: { loss: 0.5, acc: 0.8, nested: { val: 1 } },
    tags: ['baseline'], group: 'g1', jobType: 'train', state: 'finished',
    createdAt: '2024-01-01T00:00:00', heartbeatAt: '2024-01-01T00:01:40', host: 'h1',
  });
  store.createRun({
    ...base, name: 'r2', displayName: 'b-two', username: 'alice',
    config: { lr: 0.01, batch_size: 64, optimizer: { name: 'sgd', momentum: 0.8 }, arch: 'mlp' },
    summary: { loss: 0.3, acc: 0.9, nested: { val: 2 } },
    tags: ['baseline', 'prod'], group: 'g1', jobType: 'eval', state: 'running',
    createdAt: '2024-01-02T00:00:00', host: 'h2', sweep: 's1',
  });
  store.createRun({
    ...base, name: 'r3', displayName: 'c-three', username: 'bob',
    config: { lr: 0.001, batch_size: 32, optimizer: { name: 'adam', momentum: null } },
    summary: '{"loss": NaN, "acc": 0.95}',
    tags: [], jobType: 'train', state: 'crashed',
    createdAt: '2024-01-03T00:00:00', host: 'h1',
  });
  store.createRun({
    ...base, name: 'r4', displayName: 'd-four', username: 'bob',
    config: { lr: 0.05, batch_size: 128, arch: 'cnn', flag: true },
    summary: { loss: 1.5, acc: 'n/a' },
    tags: ['prod'], group: 'g2', jobType: 'train', state: 'failed',
    createdAt: '2024-01-04T00:00:00', host: 'h3', sweep: 's1',
  });
  store.createRun({
    ...base, name: 'r5', displayName: 'e-five', username: 'alice',
    config: {}, summary: {}, tags: ['debug'], state: 'finished', createdAt: '2024-01-05T00:00:00',
  });
  return { aliceKey: alice.apiKey };
}

export const RUNS_QUERY = `query($filters: JSONString, $order: String, $first: Int, $after: String) {
  project(name: "fixture", entityName: "lab") {
    runCount(filters: $filters)
    runs(filters: $filters, order: $order, first: $first, after: $after) {
      totalCount
      edges { cursor node { name } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;
