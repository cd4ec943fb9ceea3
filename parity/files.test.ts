// Parity of run files: listing (all, by names, by SQL LIKE pattern), len() = the run's total file
// count, file fields, and downloaded bytes (compared by SHA-256) from both clients.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
let dir: string;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  dir = mkdtempSync(join(tmpdir(), 'parity-files-'));
});
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type FileLike = { id: string; name: string; size: number; md5: string | null; mimetype: string | null; updatedAt: string | null };
const fields = (f: FileLike) => normalize({ id: f.id, name: f.name, size: f.size, md5: f.md5, mimetype: f.mimetype, updated_at: f.updatedAt });

describe('files', () => {
  it('files, file and downloaded bytes match', async () => {
    const [first] = (await api.runs('demo/llm-finetune', { lazy: true, perPage: 1 })).items;
    const path = `demo/llm-finetune/${first!.id}`;
    const py = (await p.python('files', { path, root: join(dir, 'py') })) as Record<string, unknown>;
    const run = await api.run(path);
    const files = run.files();
    const all = await files.toArray();
    const sha256: Record<string, unknown> = {};
    for (const file of all) {
      sha256[file.name] = await attempt(async () => {
        const local = await file.download({ root: join(dir, 'ts'), replace: true });
        return createHash('sha256').update(readFileSync(local)).digest('hex');
      });
    }
    const ours = {
      count: await files.count(),
      all: all.map(fields),
      names: await attempt(async () => (await run.files({ names: ['output.log', 'model.pt'] }).toArray()).map(fields)),
      names_len: await attempt(() => run.files({ names: ['output.log'] }).count()),
      pattern: await attempt(async () => (await run.files({ pattern: '%.json' }).toArray()).map((f) => f.name)),
      file: await attempt(async () => fields(await run.file('wandb-metadata.json'))),
      sha256,
    };
    expect(all.length).toBeGreaterThan(0);
    expect(py).toEqual(normalize(ours));
  });
});
