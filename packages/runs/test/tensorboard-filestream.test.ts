// The file-stream endpoint (POST /files/<entity>/<project>/<run>/file_stream) through the client
// functions postFileStream / streamRun: history lines by offset (a retried request changes
// nothing), the whole summary, system metrics, console output, completion with an exit code, gzip
// bodies, and auth/permission/not-found answers.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, BadRequestError, NotFoundError, ValidationError, type WandbClient, createClient } from '@wandb-api/core';
import { consoleLogs, createRun, fileStreamUrl, getHistory, getRun, postFileStream, scanHistory, streamRun } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const at = (runId: string) => ({ entity: server.entity, project: 'fs', runId });

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
});

afterAll(async () => {
  await server?.stop();
});

async function rowsOf(runId: string) {
  const rows = [];
  for await (const row of scanHistory(client, `${server.entity}/fs/${runId}`)) rows.push(row);
  return rows;
}

describe('file_stream', () => {
  it('appends history lines, keeps the last summary, and finishes the run on complete', async () => {
    await createRun(client, { runId: 'a', project: 'fs' });
    const history = { offset: 0, content: ['{"_step":0,"loss":1}', '{"_step":1,"loss":NaN}'] };
    const answer = await postFileStream(client, at('a'), { files: { 'wandb-history.jsonl': history } });
    expect(answer).toEqual({ exitcode: null, limits: {} });
    // A retried request (same offset, same lines) changes nothing.
    await postFileStream(client, at('a'), { files: { 'wandb-history.jsonl': history } });
    expect((await getRun(client, `${server.entity}/fs/a`)).state).toBe('running');
    await postFileStream(client, at('a'), {
      files: {
        'wandb-history.jsonl': { offset: 2, content: ['{"_step":2,"loss":0.25}'] },
        'wandb-summary.json': { offset: 0, content: ['{"loss":0.25,"_step":2,"best":{"x":1}}'] },
      },
      complete: true,
      exitcode: 0,
    });
    const rows = await rowsOf('a');
    expect(rows.map((r) => [r._step, r.loss])).toEqual([
      [0, 1],
      [1, Number.NaN],
      [2, 0.25],
    ]);
    const run = await getRun(client, `${server.entity}/fs/a`);
    expect(run.state).toBe('finished');
    expect(run.summary).toEqual({ loss: 0.25, _step: 2, best: { x: 1 } });
    expect(run.historyLineCount).toBe(3);
  });

  it('a non-zero exit code fails the run; system metrics and console output are stored', async () => {
    await createRun(client, { runId: 'b', project: 'fs' });
    await postFileStream(client, at('b'), {
      files: {
        'wandb-events.jsonl': { offset: 0, content: ['{"system.cpu":12.5,"_runtime":1,"_timestamp":1700000000}'] },
        'output.log': { offset: 0, content: ['2026-01-01T00:00:00.000000 epoch 1', 'ERROR 2026-01-01T00:00:01.000000 [rank-1] boom', 'plain'] },
      },
    });
    // Console lines are rewritten in place (a progress bar), as the SDK does.
    await postFileStream(client, at('b'), { files: { 'output.log': { offset: 2, content: ['plain, rewritten'] } }, complete: true, exitcode: 3 });
    const run = await getRun(client, `${server.entity}/fs/b`);
    expect(run.state).toBe('failed');
    const system = await getHistory(client, `${server.entity}/fs/b`, { stream: 'system' });
    expect(system).toEqual([{ 'system.cpu': 12.5, _runtime: 1, _timestamp: 1700000000 }]);
    const lines = [];
    for await (const line of consoleLogs(client, `${server.entity}/fs/b`)) lines.push([line.level, line.label, line.content]);
    expect(lines).toEqual([
      ['', null, 'epoch 1'],
      ['error', 'rank-1', 'boom'],
      ['', null, 'plain, rewritten'],
    ]);
  });

  it('streamRun splits history into requests under the size cap, then sends summary and completion', async () => {
    await createRun(client, { runId: 'c', project: 'fs' });
    server.clearRequests();
    const history = Array.from({ length: 10 }, (_, i) => ({ _step: i, x: i, pad: 'p'.repeat(30) }));
    const requests = await streamRun(client, at('c'), { history, summary: { x: 9 }, exitCode: 0, maxRequestBytes: 150 });
    expect(requests).toBe(6); // 5 of two ~50-byte lines each, then the summary + completion
    expect(server.requests.filter((r) => r.path.endsWith('/file_stream'))).toHaveLength(6);
    expect((await rowsOf('c')).map((r) => r.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await getRun(client, `${server.entity}/fs/c`)).summary).toEqual({ x: 9 });
  });

  it('accepts a gzipped body, as wandb-core sends it', async () => {
    await createRun(client, { runId: 'd', project: 'fs' });
    const body = gzipSync(JSON.stringify({ files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step":0,"y":7}'] } } }));
    const response = await client.fetch(fileStreamUrl(client, at('d')), { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect((await rowsOf('d')).map((r) => r.y)).toEqual([7]);
  });

  it('answers 401 without a key, 404 for an unknown run, 400 for bad lines', async () => {
    const anonymous = createClient({ baseUrl: server.url, apiKey: 'x'.repeat(40), env: { NETRC: '/nonexistent/netrc' }, maxRetries: 0 });
    await createRun(client, { runId: 'e', project: 'fs' });
    await expect(postFileStream(anonymous, at('e'), {})).rejects.toThrow(AuthenticationError);
    await expect(postFileStream(client, at('missing'), {})).rejects.toThrow(NotFoundError);
    await expect(postFileStream(client, at('e'), { files: { 'wandb-history.jsonl': { offset: 0, content: ['not json'] } } })).rejects.toThrow(BadRequestError);
    await expect(postFileStream(client, at('e'), { files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step":0}', '[1]'] } } })).rejects.toThrow(
      /must be JSON objects/,
    );
    // Nothing of a refused request was stored.
    expect(await rowsOf('e')).toEqual([]);
    expect(() => fileStreamUrl(client, { entity: '', project: 'p', runId: 'r' })).toThrow(ValidationError);
  });

  it('refuses writes to an entity the viewer is not a member of', async () => {
    const other = server.store.createUser({ username: 'mallory', email: 'm@example.com' });
    const mallory = testClient({ url: server.url, apiKey: other.apiKey }, { maxRetries: 0 });
    server.store.createProject({ entity: server.entity, name: 'open', access: 'PUBLIC' });
    server.store.createRun({ entity: server.entity, project: 'open', name: 'r', state: 'running' });
    await expect(postFileStream(mallory, { entity: server.entity, project: 'open', runId: 'r' }, { complete: true, exitcode: 0 })).rejects.toThrow(/permission denied/);
  });
});
