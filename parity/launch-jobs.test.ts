// Creating a Launch job with the unmodified Python SDK (create_job, what `wandb job create` runs) and
// reading it back with Python's wandb.Api and ours: one version of the job and of its code (the SDK
// sends createArtifact twice per version, with the same client id), the `_partial` metadata kept,
// wandb-job.json and requirements.frozen.txt byte for byte, and a run of the partial job recording
// its config types on it. Also pins down, on the Python side, how a downloaded wandb-job.json came to
// hold the bytes of requirements.frozen.txt (see `quirk` in parity/py/launch_create_job.py).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { md5Listing, type Parity, startParity } from './harness';

type Attempt<T> = { ok: T } | { error: string; message: string };

function ok<T>(a: Attempt<T>): T {
  if ('error' in a) throw new Error(`Python failed: ${a.error}: ${a.message}`);
  return a.ok;
}

interface Created {
  created: string | null;
  job: Attempt<{ info: Record<string, unknown>; partial: boolean; entrypoint: string[] }>;
  artifact: Attempt<{
    id: string;
    version: string;
    state: string;
    aliases: string[];
    description: string;
    metadata: Record<string, unknown>;
    files: Record<string, string>;
    wandb_job_json: string;
    requirements: string;
    code: { id: string; name: string; state: string; metadata: Record<string, unknown>; files: Record<string, string> };
    versions: string[];
  }>;
  use_partial_job: Attempt<{ metadata: Record<string, unknown>; versions: string[] }>;
  quirk: Attempt<{ before: Record<string, string>; after: Record<string, string> }>;
  source: { requirements: string; files: Record<string, string> };
}

let p: Parity;
let api: Api;
let dir: string;
let py: Created;
const project = 'jobs';

beforeAll(async () => {
  p = await startParity('empty');
  api = p.api();
  dir = mkdtempSync(join(tmpdir(), 'parity-jobs-'));
  py = (await p.python('launch_create_job', { entity: p.server.entity, project, root: join(dir, 'py') })) as Created;
}, 180_000);
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a Launch job created by Python', () => {
  it('is one committed version with its _partial metadata, pointing at the one committed code version', () => {
    expect(py.created).toBe('py-job:v0');
    const a = ok(py.artifact);
    expect(a).toMatchObject({ version: 'v0', state: 'COMMITTED', aliases: ['first', 'latest'], description: 'made by create_job', metadata: { _partial: true } });
    expect(a.versions).toEqual(['v0']);
    expect(a.code).toMatchObject({ name: 'code-py-job:v0', state: 'COMMITTED', files: py.source.files });
  });

  it('reads the same from ours: job info, entrypoint and both files byte for byte', async () => {
    const a = ok(py.artifact);
    const pyJob = ok(py.job);
    const job = await api.job(`${p.server.entity}/${project}/py-job:latest`, join(dir, 'ours'));
    expect(job.info).toEqual(pyJob.info);
    expect(job.partial).toBe(pyJob.partial);
    expect(job.entrypoint).toEqual(pyJob.entrypoint);
    expect(job.sourceType).toBe('artifact');
    expect(job.artifact.id).toBe(a.id);
    expect(readFileSync(join(dir, 'ours', 'wandb-job.json'), 'utf8')).toBe(a.wandb_job_json);
    // create_job writes the requirements as lines joined by "\n".
    expect(a.requirements).toBe(py.source.requirements.trimEnd());
    expect(readFileSync(join(dir, 'ours', 'requirements.frozen.txt'), 'utf8')).toBe(a.requirements);
    expect(md5Listing(join(dir, 'ours'))).toEqual(a.files);
    const code = await api.artifact(`${p.server.entity}/${project}/code-py-job:v0`);
    expect(code.id).toBe(a.code.id);
    expect(JSON.parse(a.wandb_job_json).source.artifact).toBe(`wandb-artifact://_id/${code.id}`);
  });

  it('a run of the partial job records its config types on the job (no new job version)', async () => {
    const used = ok(py.use_partial_job);
    expect(used.versions).toEqual(['v0']);
    expect(used.metadata).toHaveProperty(['input_types', '@wandb.config', 'params', 'type_map', 'lr']);
    const ours = await api.artifact(`${p.server.entity}/${project}/py-job:v0`);
    expect(ours.metadata).toEqual(used.metadata);
  });

  it("Python quirk: after a download(skip_cache=True), the SDK writes later downloads through that file (the files of one artifact share it)", () => {
    const q = ok(py.quirk);
    const a = ok(py.artifact);
    const changed = Object.keys(q.before).filter((path) => q.after[path] !== q.before[path]);
    expect(changed).toHaveLength(1);
    // The earlier download's file now holds one of the job's files: each of the job's two
    // downloads (parallel threads) went through it, the last one stayed.
    expect([a.files['wandb-job.json'], a.files['requirements.frozen.txt']]).toContain(q.after[changed[0] as string]);
    expect(a.files['requirements.frozen.txt']).toBe(md5(a.requirements));
  });
});
