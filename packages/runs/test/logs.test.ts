// Console logs (consoleLogs) against the local server: tail, forward paging, line decoding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import { consoleLogs, parseLogTimestamp } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let path: string;

const LINES = [
  { line: 'starting', timestamp: '2026-01-01T10:00:00.123456' },
  { line: 'warning: slow', stream: 'stderr' as const, timestamp: '2026-01-01T10:00:01' },
  { line: 'epoch 1', timestamp: '2026-01-01T12:00:02+02:00', label: 'rank0' },
  { line: 'epoch 2', timestamp: 'not a time' },
  { line: 'Traceback', stream: 'stderr' as const, timestamp: null },
];

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  const run = server.store.createRun({ entity: server.entity, project: 'logs', name: 'talky' });
  server.store.addLogLines(run.internalId, LINES);
  server.store.createRun({ entity: server.entity, project: 'logs', name: 'quiet' });
  path = `${server.entity}/logs/talky`;
});
afterAll(() => server.stop());

describe('consoleLogs', () => {
  it('pages forward perPage lines at a time and decodes every line', async () => {
    server.clearRequests();
    const lines = await collect(consoleLogs(client, path, { perPage: 2 }));
    expect(requestsFor(server, 'RunLogLines')).toHaveLength(3); // 2 + 2 + 1, the last page says no more
    expect(lines).toEqual([
      { number: 0, timestamp: '2026-01-01T10:00:00.123Z', level: '', label: null, content: 'starting' },
      { number: 1, timestamp: '2026-01-01T10:00:01.000Z', level: 'error', label: null, content: 'warning: slow' },
      { number: 2, timestamp: '2026-01-01T10:00:02.000Z', level: '', label: 'rank0', content: 'epoch 1' },
      { number: 3, timestamp: null, level: '', label: null, content: 'epoch 2' },
      { number: 4, timestamp: null, level: 'error', label: null, content: 'Traceback' },
    ]);
  });

  it('reads the whole log in one request with the default perPage', async () => {
    server.clearRequests();
    expect((await collect(consoleLogs(client, path))).map((l) => l.content)).toHaveLength(5);
    expect(requestsFor(server, 'RunLogLines')).toHaveLength(1);
  });

  it('is a Paginated list: toArray({ limit }) asks no page beyond it; each iteration starts anew', async () => {
    server.clearRequests();
    const list = consoleLogs(client, path, { perPage: 2 });
    expect((await list.toArray({ limit: 2 })).map((l) => l.content)).toEqual(['starting', 'warning: slow']);
    expect(requestsFor(server, 'RunLogLines')).toHaveLength(1);
    expect(await list.toArray()).toHaveLength(5);
    expect(await list.toArray()).toHaveLength(5);
  });

  it('`last` reads the tail in one request', async () => {
    server.clearRequests();
    const tail = await collect(consoleLogs(client, path, { last: 2 }));
    expect(tail.map((l) => [l.number, l.content])).toEqual([
      [3, 'epoch 2'],
      [4, 'Traceback'],
    ]);
    expect(requestsFor(server, 'RunLogLinesTail')).toHaveLength(1);
    expect(requestsFor(server, 'RunLogLines')).toHaveLength(0);
  });

  it('a run without output yields nothing; a missing run is a NotFoundError', async () => {
    expect(await collect(consoleLogs(client, `${server.entity}/logs/quiet`))).toEqual([]);
    await expect(collect(consoleLogs(client, `${server.entity}/logs/nope`))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses bad options before any request', () => {
    server.clearRequests();
    expect(() => consoleLogs(client, path, { perPage: 0 })).toThrow(ValidationError);
    expect(() => consoleLogs(client, path, { last: 1.5 })).toThrow(ValidationError);
    expect(() => consoleLogs(client, 'a/b/c/d')).toThrow(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it('parses W&B timestamps as UTC', () => {
    expect(parseLogTimestamp('2026-03-04T05:06:07.5')).toBe('2026-03-04T05:06:07.500Z');
    expect(parseLogTimestamp('2026-03-04 05:06:07Z')).toBe('2026-03-04T05:06:07.000Z');
    expect(parseLogTimestamp('2026-03-04T05:06:07-01:00')).toBe('2026-03-04T06:06:07.000Z');
    expect(parseLogTimestamp('')).toBeNull();
    expect(parseLogTimestamp('yesterday')).toBeNull();
  });
});

describe('demo seed', () => {
  it('gives demo runs console lines, stderr included', async () => {
    const demo = await startTestServer({ seed: 'demo' });
    try {
      const lines = await collect(consoleLogs(testClient(demo), 'demo/mnist-classifier/' + (await firstRun(demo))));
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines.some((l) => l.level === 'error')).toBe(true);
      expect(lines.every((l) => l.timestamp?.endsWith('Z'))).toBe(true);
    } finally {
      await demo.stop();
    }
  });
});

async function firstRun(demo: LocalServer): Promise<string> {
  const row = demo.store.db.prepare("SELECT r.name FROM runs r JOIN projects p ON p.id = r.project_id WHERE p.name = 'mnist-classifier' ORDER BY r.id LIMIT 1").get() as { name: string };
  return row.name;
}
