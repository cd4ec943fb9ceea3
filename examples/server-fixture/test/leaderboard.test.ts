// Each test seeds the data it needs into the one server of the run (see globalSetup.ts); the
// seeder puts every run without a project in a project of its own, so tests never see each other's.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSeeder } from '@wandb-api/server';
import { expect, inject, test } from 'vitest';
import { Api } from 'wandb-api';
import { leaderboard, runFileText } from '../src/leaderboard.js';

const wandb = inject('wandb');
const seed = connectSeeder(wandb);
const api = new Api({ baseUrl: wandb.url, apiKey: wandb.apiKey });

test('leaderboard ranks the finished runs of a project by a summary metric', async () => {
  const { path, name: project } = await seed.project();
  await seed.run({ project, displayName: 'small', history: [{ acc: 0.5 }, { acc: 0.71 }] });
  await seed.run({ project, displayName: 'large', history: [{ acc: 0.6 }, { acc: 0.93 }] });
  await seed.run({ project, displayName: 'medium', summary: { acc: 0.82 } });
  await seed.run({ project, displayName: 'still running', summary: { acc: 0.99 }, state: 'running' });

  const rows = await leaderboard(api, path, 'acc', 2);
  expect(rows.map((r) => [r.name, r.value])).toEqual([
    ['large', 0.93],
    ['medium', 0.82],
  ]);
});

test('runFileText reads a run file', async () => {
  const run = await seed.run({ config: { lr: 0.01 }, files: { 'train/config.yaml': 'lr: 0.01\n' } });
  expect(await runFileText(api, run.path, 'train/config.yaml')).toBe('lr: 0.01\n');
  expect((await api.run(run.path)).config).toEqual({ lr: 0.01 });
});

test('an artifact seeded with files downloads, checked', async () => {
  const bytes = new Uint8Array([137, 80, 78, 71]);
  const seeded = await seed.artifact({ type: 'dataset', name: 'images', files: { 'labels.csv': 'id,label\n1,cat\n', 'img/1.png': bytes }, aliases: ['prod'] });
  const artifact = await api.artifact(seeded.path.replace(/:v0$/, ':prod'));
  expect(artifact.version).toBe('v0');
  const root = await artifact.download({ root: await mkdtemp(join(tmpdir(), 'server-fixture-')) });
  expect(await readFile(join(root, 'labels.csv'), 'utf8')).toBe('id,label\n1,cat\n');
  expect(new Uint8Array(await readFile(join(root, 'img/1.png')))).toEqual(bytes);
});
