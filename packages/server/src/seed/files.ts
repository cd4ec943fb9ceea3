/**
 * Demo run files: every run of the demo workspace gets what a W&B run uploads —
 * `wandb-metadata.json` (realistic content, per run), `output.log` (console output) and a small
 * binary `model.pt`. Deterministic (own PRNG), so the demo's other data stays as it was.
 */
import { Random } from '../random';
import { addRunFile } from '../store/runFiles';
import type { Store } from '../store/store';

interface SeedRun {
  id: number;
  name: string;
  display_name: string | null;
  created_at: string;
  host: string | null;
  commit_sha: string | null;
  project: string;
  entity: string;
  username: string | null;
  email: string | null;
  summary: string;
}

export function seedDemoFiles(store: Store, random = new Random(7)): void {
  const runs = store.db
    .prepare(
      `SELECT r.id, r.name, r.display_name, r.created_at, r.host, r.commit_sha, r.summary, p.name AS project, e.name AS entity,
              u.username, u.email
       FROM runs r JOIN projects p ON p.id = r.project_id JOIN entities e ON e.id = p.entity_id LEFT JOIN users u ON u.id = r.user_id
       ORDER BY r.id`,
    )
    .all() as SeedRun[];
  for (const run of runs) {
    const add = (name: string, data: Uint8Array | string) => addRunFile(store.runFiles, store.blobs, run.id, name, data);
    add('wandb-metadata.json', JSON.stringify(metadataFor(run, random), null, 2));
    add('output.log', outputLogFor(run));
    add('model.pt', modelBytes(random));
  }
}

function metadataFor(run: SeedRun, random: Random): Record<string, unknown> {
  const gpu = run.host === 'laptop' ? null : random.pick(['NVIDIA A100-SXM4-40GB', 'NVIDIA H100 80GB HBM3', 'NVIDIA L4']);
  return {
    os: 'Linux-5.15.0-1057-gcp-x86_64-with-glibc2.35',
    python: 'CPython 3.11.9',
    startedAt: `${run.created_at}.000000Z`,
    args: ['--epochs', String(random.int(5, 50))],
    program: '/home/demo/src/train.py',
    codePath: 'src/train.py',
    git: { remote: `https://github.com/${run.entity}/${run.project}.git`, commit: run.commit_sha },
    email: run.email,
    root: `/home/demo/src`,
    host: run.host,
    username: run.username,
    executable: '/home/demo/.venv/bin/python',
    codePathLocal: 'src/train.py',
    cpu_count: 8,
    cpu_count_logical: 16,
    ...(gpu ? { gpu, gpu_count: random.pick([1, 2, 4, 8]), cuda: '12.4' } : {}),
    disk: { '/': { total: '506299273216', used: String(random.int(50, 400) * 1_000_000_000) } },
    memory: { total: '270157856768' },
    writerId: random.hex(32),
  };
}

function outputLogFor(run: SeedRun): string {
  const summary = run.summary;
  return [
    `wandb: Tracking run with wandb version 0.28.3`,
    `wandb: Run data is saved locally in /home/demo/src/wandb/run-${run.name}`,
    `wandb: Syncing run ${run.display_name ?? run.name}`,
    'Epoch 1: loss decreasing',
    'Training finished.',
    `final summary: ${summary.length > 200 ? `${summary.slice(0, 200)}…` : summary}`,
    '',
  ].join('\n');
}

/** A few hundred bytes that look like a pickled tensor file: zip magic, then noise. */
function modelBytes(random: Random): Uint8Array {
  const bytes = new Uint8Array(random.int(256, 1024));
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  for (let i = 4; i < bytes.length; i++) bytes[i] = random.int(0, 255);
  return bytes;
}
