/**
 * The demo workspace (deterministic): users demo (admin), bob and carol, team vision-team (demo, bob), and projects
 * demo/mnist-classifier (120 runs, public), demo/llm-finetune (60), vision-team/segmentation (40),
 * demo/empty-project (0) and bob/bob-secret (5, private to bob). Runs carry nested config, summaries
 * with the odd NaN/Infinity, tags, groups, job types, mixed states and 50–200 history rows each;
 * and demo/long-history (3 runs × 10k steps, sparse val_loss, NaN/±Infinity, system metrics);
 * sweeps, agents and reports in demo/mnist-classifier (see ./sweeps.ts); console lines on every run (./logs.ts).
 */
import { Random } from '../random';
import type { Store } from '../store/store';
import { seedDemoArtifacts } from './artifacts';
import { seedDemoFiles } from './files';
import { seedDemoLaunch } from './launch';
import { seedDemoLogLines } from './logs';
import { seedLongHistories } from './history';
import { seedDemoSweeps } from './sweeps';

const BASE_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

const ADJECTIVES = ['brave', 'calm', 'eager', 'fancy', 'gentle', 'happy', 'jolly', 'lively', 'proud', 'silly', 'swift', 'witty'];
const NOUNS = ['sun', 'moon', 'river', 'forest', 'cloud', 'meadow', 'star', 'wave', 'breeze', 'field', 'stone', 'dawn'];
const TAGS = ['baseline', 'augmented', 'ablation', 'prod', 'debug', 'long-run'];
const GROUPS = ['exp-1', 'exp-2', 'exp-3', null];
const HOSTS = ['gpu-node-01', 'gpu-node-02', 'gpu-node-03', 'gpu-node-04', 'laptop'];
const STATES: [string, number][] = [['finished', 0.75], ['running', 0.08], ['crashed', 0.07], ['failed', 0.06], ['killed', 0.04]];

type Kind = 'mnist' | 'llm' | 'segmentation' | 'secret';

interface ProjectPlan {
  entity: string;
  name: string;
  access: string;
  runs: number;
  kind: Kind;
  authors: string[];
  startHours: number;
}

const PLAN: ProjectPlan[] = [
  { entity: 'demo', name: 'mnist-classifier', access: 'PUBLIC', runs: 120, kind: 'mnist', authors: ['demo'], startHours: 0 },
  { entity: 'demo', name: 'llm-finetune', access: 'PRIVATE', runs: 60, kind: 'llm', authors: ['demo'], startHours: 12 },
  { entity: 'vision-team', name: 'segmentation', access: 'PRIVATE', runs: 40, kind: 'segmentation', authors: ['demo', 'bob'], startHours: 24 },
  { entity: 'demo', name: 'empty-project', access: 'PRIVATE', runs: 0, kind: 'mnist', authors: ['demo'], startHours: 0 },
  { entity: 'bob', name: 'bob-secret', access: 'PRIVATE', runs: 5, kind: 'secret', authors: ['bob'], startHours: 36 },
];

/** Expects the primary user `demo` to exist (see applySeed). */
export function seedDemo(store: Store, random = new Random(42)): void {
  store.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob Builder', createdAt: '2025-01-02T00:00:00' });
  store.createTeam({ name: 'vision-team', members: ['demo', 'bob'] });
  for (const plan of PLAN) {
    store.createProject({
      entity: plan.entity,
      name: plan.name,
      access: plan.access,
      description: `Demo project ${plan.name}`,
      createdBy: plan.authors[0] as string,
      createdAt: BASE_TIME + plan.startHours * HOUR - HOUR,
    });
    let t = BASE_TIME + plan.startHours * HOUR;
    for (let i = 0; i < plan.runs; i++) {
      t += random.int(1, 8) * HOUR + random.int(0, 3599) * 1000;
      demoRun(store, random, plan, i, t);
    }
  }
  seedDemoSweeps(store); // 2 sweeps with agents and 2 reports in demo/mnist-classifier (no PRNG)
  seedLongHistories(store); // its own PRNG: the runs above stay as they were
  seedDemoFiles(store); // every run: wandb-metadata.json, output.log, model.pt (own PRNG too)
  seedDemoLogLines(store); // every run: a few console lines, stderr included (no PRNG)
  seedDemoArtifacts(store); // artifacts, demo-org and its registries (see ./artifacts.ts; no PRNG)
  // carol: a third user in no team (admin tests invite her); created late so earlier ids stay as they were.
  store.createUser({ username: 'carol', email: 'carol@example.com', name: 'Carol Chen', createdAt: '2025-01-03T00:00:00' });
  seedDemoLaunch(store); // run queues in demo/model-registry and 2 jobs in demo/mnist-classifier (./launch.ts; no PRNG)
}

function pickState(random: Random): string {
  let r = random.next();
  for (const [state, p] of STATES) {
    if ((r -= p) < 0) return state;
  }
  return 'finished';
}

function configFor(kind: Kind, random: Random): Record<string, unknown> {
  const optimizer = random.pick(['adam', 'sgd', 'adamw']);
  const base = {
    lr: Number((10 ** random.float(-5, -2)).toPrecision(3)),
    batch_size: random.pick([16, 32, 64, 128]),
    epochs: random.int(5, 50),
    optimizer: { name: optimizer, momentum: optimizer === 'sgd' ? random.pick([0.8, 0.9, 0.95]) : null },
    model: { layers: random.int(2, 12), dropout: random.pick([0, 0.1, 0.2, 0.3, 0.5]) },
    _wandb: { cli_version: '0.28.3', python_version: '3.11.9' },
  };
  if (kind === 'llm') {
    return { ...base, base_model: random.pick(['llama-3-8b', 'mistral-7b', 'qwen2-7b']), lora: { rank: random.pick([8, 16, 32]), alpha: 16 } };
  }
  if (kind === 'segmentation') return { ...base, model: { ...base.model, backbone: random.pick(['resnet50', 'vit-b16']) } };
  return base;
}

function demoRun(store: Store, random: Random, plan: ProjectPlan, index: number, createdAt: number): void {
  const state = pickState(random);
  const steps = random.int(50, 200);
  const l0 = random.float(1.5, 3);
  const decay = random.float(2, 5);
  const stepSeconds = random.float(1, 6);
  const history: Record<string, unknown>[] = [];
  for (let step = 0; step < steps; step++) {
    const progress = step / steps;
    history.push({
      _step: step,
      _runtime: Number((step * stepSeconds).toFixed(3)),
      _timestamp: Number(((createdAt + step * stepSeconds * 1000) / 1000).toFixed(3)),
      loss: Number((l0 * Math.exp(-decay * progress) + random.float(0, 0.05)).toFixed(5)),
      accuracy: Number(Math.min(0.999, 0.1 + 0.88 * (1 - Math.exp(-decay * progress)) + random.float(-0.01, 0.01)).toFixed(5)),
    });
  }
  const last = history[history.length - 1] as Record<string, number>;
  const runtime = last._runtime as number;
  const summary: Record<string, unknown> = {
    loss: last.loss,
    accuracy: last.accuracy,
    // W&B writes non-finite values as bare NaN / Infinity: keep a few so clients meet them.
    val_loss: random.chance(0.05) ? NaN : Number(((last.loss as number) * random.float(1.02, 1.3)).toFixed(5)),
    _step: steps - 1,
    _runtime: runtime,
    _timestamp: last._timestamp,
  };
  if (random.chance(0.04)) summary.grad_norm = random.chance(0.5) ? Infinity : -Infinity;
  const tags = [...new Set(Array.from({ length: random.int(0, 3) }, () => random.pick(TAGS)))];
  const group = random.pick(GROUPS);
  store.createRun({
    entity: plan.entity,
    project: plan.name,
    name: random.id(8),
    displayName: `${random.pick(ADJECTIVES)}-${random.pick(NOUNS)}-${index + 1}`,
    config: configFor(plan.kind, random),
    summary,
    systemMetrics: { 'system.gpu.0.gpu': random.int(40, 99), 'system.cpu': random.int(5, 80) },
    tags,
    ...(group ? { group } : {}),
    jobType: random.chance(0.8) ? 'train' : 'eval',
    state,
    createdAt,
    heartbeatAt: createdAt + Math.round(runtime * 1000),
    host: random.pick(HOSTS),
    ...(plan.kind === 'mnist' && index >= 30 && index < 60 ? { sweep: 'k3x9q2ab' } : {}),
    commit: random.hex(40),
    username: plan.authors[index % plan.authors.length] as string,
    history,
  });
}
