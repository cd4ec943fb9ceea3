// Typed runs at runtime: the order check (before any request, naming the usual mistakes) and the
// validators that check and type a run's config and summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, WandbClient } from '@wandb-api/core';
import { type RunOrder, bestRun, checkRunOrder, getRun, listRuns, sweepRuns } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsDuring, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let path: string;

interface Config {
  lr: number;
  opt: { name: string };
}

/** A validator as a schema library's `parse` would be: the typed value, or a throw. */
function parseConfig(value: unknown): Config {
  const v = value as { lr?: unknown; opt?: { name?: unknown } };
  if (typeof v.lr !== 'number' || typeof v.opt?.name !== 'string') throw new TypeError(`lr must be a number, got ${JSON.stringify(v.lr)}`);
  return { lr: v.lr, opt: { name: v.opt.name } }; // only the declared keys
}

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
  path = `${server.entity}/typed`;
  server.store.createProject({ entity: server.entity, name: 'typed' });
  const runs = [
    { name: 't1', config: { lr: 0.1, opt: { name: 'adam' }, extra: 1 }, summary: { acc: 0.8, 'val/loss': 0.3 }, createdAt: '2026-01-01T00:00:00Z' },
    { name: 't2', config: { lr: 0.01, opt: { name: 'sgd' }, extra: 2 }, summary: { acc: 0.9, 'val/loss': 0.1 }, createdAt: '2026-01-02T00:00:00Z' },
    { name: 't3', config: { lr: 0.001, opt: { name: 'adam' }, extra: 3 }, summary: { acc: 0.7, 'val/loss': 0.2 }, createdAt: '2026-01-03T00:00:00Z' },
  ];
  for (const run of runs) server.store.createRun({ entity: server.entity, project: 'typed', ...run });
});
afterAll(() => server.stop());

describe('runs order check', () => {
  it.each(['accuracy desc', 'created_at DESC', '+summary_metrics.acc asc', '-accuracy', 'accuracy', 'val/loss', 'config.', 'summary_metrics..acc', '-', '', 'name; drop table runs', 'tags'])(
    '%j is a ValidationError before any request, and so is its count',
    async (order) => {
      expect(() => listRuns(client, path, { order: order as RunOrder })).toThrow(ValidationError);
      expect(await requestsDuring(server, () => listRuns(client, path, { order: order as RunOrder }).count())).toBe(0);
    },
  );

  it('names the usual mistakes: asc/desc for the sign, and the missing prefix', () => {
    for (const order of ['accuracy desc', '-accuracy']) {
      expect(() => checkRunOrder(order)).toThrow(/'(accuracy desc|-accuracy)': use \+ or - \(not asc\/desc\).*config\.<key> or summary_metrics\.<key>, e\.g\. '-summary_metrics\.accuracy'/);
    }
    expect(() => checkRunOrder(42)).toThrow(ValidationError);
  });

  it('accepts every run field (camelCase and snake_case), config and summary paths, and the server takes each', async () => {
    const orders = [
      'created_at', 'createdAt', 'heartbeat_at', 'heartbeatAt', 'updated_at', 'updatedAt', 'name', 'display_name', 'displayName', 'state', 'group',
      'job_type', 'jobType', 'host', 'username', 'duration', 'config.lr', 'config.lr.value', 'config.opt.value.name', 'summary_metrics.acc',
      'summary_metrics.val/loss', 'summary_metrics.val loss',
    ];
    for (const key of orders) {
      for (const order of [key, `+${key}`, `-${key}`]) {
        expect(checkRunOrder(order)).toBe(order);
        expect((await listRuns(client, path, { order: order as RunOrder }).toArray()).length, order).toBe(3);
      }
    }
    expect((await listRuns(client, path, { order: '-summary_metrics.val/loss' }).toArray()).map((r) => r.id)).toEqual(['t1', 't3', 't2']);
  });
});

describe('run validators', () => {
  it("listRuns: each run's config is what the validator returns; summary unchecked without one", async () => {
    const runs = await listRuns(client, path, { full: true, validate: { config: parseConfig } }).toArray();
    expect(runs.map((r) => r.config)).toEqual([
      { lr: 0.1, opt: { name: 'adam' } },
      { lr: 0.01, opt: { name: 'sgd' } },
      { lr: 0.001, opt: { name: 'adam' } },
    ]);
    expect(runs[0]?.summary).toMatchObject({ acc: 0.8 });
  });

  it('a rejection is a ValidationError naming the run, with the validator error as cause', async () => {
    const rejection = new TypeError('summary: acc missing');
    const summary = (value: unknown): { acc: number } => {
      throw rejection;
    };
    const error = await listRuns(client, path, { full: true, validate: { summary } })
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(`Run ${path}/t1: summary failed validation: TypeError: summary: acc missing`);
    expect((error as Error).cause).toBe(rejection);
  });

  it('getRun, sweepRuns and bestRun take validators too', async () => {
    expect((await getRun(client, `${path}/t2`, { validate: { config: parseConfig } })).config).toEqual({ lr: 0.01, opt: { name: 'sgd' } });
    const swept = await sweepRuns(client, `${server.entity}/mnist-classifier/k3x9q2ab`, { full: true, perPage: 5, validate: { config: parseLr } }).toArray();
    expect(swept.length).toBe(30);
    expect(swept.every((r) => Object.keys(r.config).join() === 'lr')).toBe(true);
    const best = await bestRun(client, `${server.entity}/mnist-classifier/k3x9q2ab`, { validate: { config: parseLr } });
    expect(Object.keys(best?.config ?? {})).toEqual(['lr']);
  });

  it('bad validators, or validators without full: true, are ValidationErrors before any request', async () => {
    const bad = [
      () => listRuns(client, path, { validate: { config: parseConfig } }),
      () => listRuns(client, path, { full: true, validate: { config: 'parse' as unknown as typeof parseConfig } }),
      () => listRuns(client, path, { full: true, validate: null as unknown as {} }),
      () => getRun(client, `${path}/t1`, { validate: { summary: {} as unknown as () => object } }),
    ];
    for (const call of bad) {
      await expect(async () => call()).rejects.toBeInstanceOf(ValidationError);
      expect(await requestsDuring(server, call)).toBe(0);
    }
  });
});

function parseLr(value: unknown): { lr: number } {
  return { lr: (value as { lr: number }).lr };
}
