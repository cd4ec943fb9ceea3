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
