// Logging artifacts with the unmodified Python SDK (wandb.init online + run.log_artifact, through
// wandb-core's artifact saver) against our server, then reading the versions back with our Api:
// the same versions, digests and aliases, and the same bytes after download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { md5Listing, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
let dir: string;

beforeAll(async () => {
  p = await startParity('empty');
  api = p.api();
  p.server.store.createProject({ entity: p.server.entity, name: 'logged-by-python' });
  dir = mkdtempSync(join(tmpdir(), 'parity-artlog-'));
});
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});


interface Logged {
  id: string;
  version: string;
  digest: string;
  aliases: string[];
}

describe('artifact logging', () => {
  it('run.log_artifact from Python: v0, an unchanged re-log deduped to v0, a changed v1; ours reads them back byte for byte', async () => {
    const entity = p.server.entity;
    const project = 'logged-by-python';
    const py = (await p.python('artifact_logging', { entity, project, name: 'py-dataset', root: join(dir, 'src') })) as {
      first: Logged;
      same: Logged;
      changed: Logged;
      files_v0: Record<string, string>;
      files_v1: Record<string, string>;
      run: string;
    };
    expect(py.first.version).toBe('v0');
    expect(py.same.id).toBe(py.first.id);
    expect(py.changed.version).toBe('v1');

    const v0 = await api.artifact(`${entity}/${project}/py-dataset:v0`);
    expect(v0.id).toBe(py.first.id);
    expect(v0.digest).toBe(py.first.digest);
    expect([...v0.aliases].sort()).toEqual(['best']);
    expect(v0.metadata).toEqual({ source: 'python' });
    const v1 = await api.artifact(`${entity}/${project}/py-dataset:latest`);
    expect(v1.id).toBe(py.changed.id);
    expect(v1.version).toBe('v1');
    expect([...v1.aliases].sort()).toEqual(['candidate', 'latest']);

    expect(md5Listing(await v0.download(join(dir, 'v0')))).toEqual(py.files_v0);
    expect(md5Listing(await v1.download(join(dir, 'v1')))).toEqual(py.files_v1);
    expect(py.files_v0).not.toEqual(py.files_v1);
  });
});

type Attempt<T> = { ok: T } | { error: string; message: string };

interface Continued {
  incremental: Attempt<{ versions: string[]; files: Record<string, string>; digest: string }>;
  incremental_expected: Record<string, string>;
  distributed: Attempt<{ versions: string[]; files: Record<string, string> }>;
  distributed_expected: Record<string, string>;
  dedup: Attempt<{ ids: string[]; outputs: Record<string, string[]> }>;
  region: Attempt<string>;
}

/** The value of a Python part, or a failure that names its error. */
function ok<T>(a: Attempt<T>): T {
  if ('error' in a) throw new Error(`Python failed: ${a.error}: ${a.message}`);
  return a.ok;
}

describe('logging beyond one whole version', () => {
  let py: Continued;
  const project = 'continued-by-python';
  beforeAll(async () => {
    py = (await p.python('artifact_continuation', { entity: p.server.entity, project, root: join(dir, 'continued') })) as Continued;
  }, 180_000);

  it('an INCREMENTAL version holds the latest version with the changed and new files on top; ours reads the same bytes', async () => {
    const inc = ok(py.incremental);
    expect(inc.versions).toEqual(['v0', 'v1']);
    expect(inc.files).toEqual(py.incremental_expected);
    const v1 = await api.artifact(`${p.server.entity}/${project}/inc-data:v1`);
    expect(v1.digest).toBe(inc.digest);
    expect(v1.fileCount).toBe(3);
    expect(md5Listing(await v1.download(join(dir, 'inc-v1')))).toEqual(py.incremental_expected);
  });

  it('a distributed version collects the parts three runs upserted, and the last run commits it once', async () => {
    const dist = ok(py.distributed);
    expect(dist.versions).toEqual(['v0']);
    expect(dist.files).toEqual(py.distributed_expected);
    const v0 = await api.artifact(`${p.server.entity}/${project}/dist-data:v0`);
    expect(md5Listing(await v0.download(join(dir, 'dist-v0')))).toEqual(py.distributed_expected);
  });

  it("a re-log deduplicated to the existing version still lists it among the second run's logged artifacts", async () => {
    const dedup = ok(py.dedup);
    const [first, second] = dedup.ids;
    expect(second).toBe(first);
    expect(dedup.outputs).toEqual({ 'first-logger': [first], 'second-logger': [first] });
    const run = await api.run(`${p.server.entity}/${project}/second-logger`);
    expect((await run.loggedArtifacts().toArray()).map((a) => a.id)).toEqual([first]);
  });

  it('refuses an unknown storage region', () => {
    expect(py.region).toMatchObject({ error: expect.any(String), message: expect.stringMatching(/unknown storage region \W+nowhere-1/) });
  });
});
