// Parity on the 2023 profile: the unmodified Python wandb.Api and our Api against one server
// speaking W&B's schema of April 2023. Where Python works there, ours gives the same answer; where
// Python fails, ours works through an older variant or refuses with UnsupportedError (the legacy
// tier's table, docs/server-compatibility.md, says which).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, UnsupportedError } from 'wandb-api';
import { attempt, md5Listing, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  p = await startParity('demo', { schema: 'w&b-2023' });
  api = p.api();
});
afterAll(() => p?.stop());

const collect = async <T>(list: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
};

describe('the core read paths on the 2023 schema, Python and ours', () => {
  it('agree wherever Python works; where it does not, ours works or refuses with UnsupportedError', async () => {
    const runId = (await api.runs(P, { filters: { state: 'finished' }, perPage: 1 }).toArray({ limit: 1 }))[0]!.id;
    const runPath = `${P}/${runId}`;
    const python = (await p.python('legacy_paths', { run: runId })) as Record<string, { ok?: unknown; error?: string; message?: string }>;
    const ours: Record<string, { ok: unknown } | { error: string }> = {
      viewer: await attempt(async () => (await api.viewer()).username),
      projects: await attempt(async () => (await collect(api.projects('demo'))).map((x) => x.name).sort()),
      project: await attempt(async () => (await api.project('mnist-classifier', 'demo')).name),
      runs: await attempt(async () => (await collect(api.runs(P, { filters: { state: 'finished' }, order: '-summary_metrics.accuracy', perPage: 7 }))).map((r) => r.id)),
      run: await attempt(async () => {
        const run = await api.run(runPath);
        return { summary: run.summary, config: run.config, state: run.state };
      }),
      history: await attempt(async () => (await api.run(runPath)).history({ samples: 20, keys: ['loss'] })),
      scan: await attempt(async () => collect((await api.run(runPath)).scanHistory({ keys: ['loss'], minStep: 3, maxStep: 40, pageSize: 10 }))),
      files: await attempt(async () => (await collect((await api.run(runPath)).files())).map((f) => f.name).sort()),
      artifact: await attempt(async () => {
        const art = await api.artifact(`${P}/mnist-cnn:best`);
        return { name: art.name, version: art.version, aliases: art.aliases, digest: art.digest };
      }),
      artifact_files: await attempt(async () => (await collect((await api.artifact(`${P}/mnist-dataset:v2`)).files())).map((f) => f.name).sort()),
      download: await attempt(async () => md5Listing(await (await api.artifact(`${P}/mnist-cnn:v2`)).download(mkdtempSync(join(tmpdir(), 'legacy-parity-'))))),
      registries: await attempt(async () => (await collect(api.registries())).map((r) => r.name)),
    };
    const supportedByPython = Object.keys(python).filter((path) => 'ok' in python[path]!);
    // The paths Python itself supports there (its runs listing selects Project.internalId, its scan
    // asks for parquet history, its files and artifacts newer fields: those fail on this schema).
    expect(supportedByPython).toEqual(expect.arrayContaining(['viewer', 'projects', 'project', 'run', 'history']));
    for (const path of supportedByPython) expect(ours[path], path).toEqual({ ok: normalize(python[path]!.ok) });
    // Where Python fails, ours works or says why (UnsupportedError), never a raw server error.
    for (const path of Object.keys(python).filter((x) => !supportedByPython.includes(x))) {
      const result = ours[path]!;
      expect('ok' in result || result.error === UnsupportedError.name, `${path}: ${JSON.stringify(result)} (Python: ${python[path]!.error})`).toBe(true);
    }
    // Reported for the record: which paths Python fails on the 2023 schema that ours serves.
    console.log(
      'Python fails on the 2023 schema:',
      Object.keys(python)
        .filter((x) => !supportedByPython.includes(x))
        .map((x) => `${x} (${python[x]!.error}; ours: ${'ok' in ours[x]! ? 'works' : (ours[x] as { error: string }).error})`)
        .join(', '),
    );
  });
});
