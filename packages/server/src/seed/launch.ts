/**
 * Demo Launch data (the seed contract): in demo's `model-registry` project (where W&B keeps queues)
 * queue `default` (local-container) with items in every state — 2 PENDING, 1 LEASED, 1 CLAIMED by a
 * finished run of demo/mnist-classifier, 1 FAILED — and queue `gpu-queue` (kubernetes, V0 priorities,
 * a template variable `gpus`, an external link) with one pending item; and 2 jobs (artifacts of type
 * `job`) in demo/mnist-classifier: `job-train` (a git repo job, v0 and v1) and `job-eval` (an image job),
 * each with a `wandb-job.json` as the Python SDK writes it. Created last: earlier ids stay as they were.
 */
import { createArtifact } from '../store/artifactFixtures';
import { createRunQueue, pushRunQueueItem, setRunQueueItemState } from '../store/launchFixtures';
import type { Store } from '../store/store';

const ENTITY = 'demo';
const PROJECT = 'mnist-classifier';
const BASE_TIME = Date.UTC(2025, 1, 20, 9, 0, 0);

/** A typedDict type map as W&B's TypeRegistry writes job input/output types. */
const typedDict = (types: Record<string, string>) => ({
  wb_type: 'typedDict',
  params: { type_map: Object.fromEntries(Object.entries(types).map(([k, t]) => [k, { wb_type: t }])) },
});

const TRAIN_INPUTS = typedDict({ lr: 'number', epochs: 'number', optimizer: 'string' });

function trainJob(commit: string) {
  return {
    _version: 'v0',
    source_type: 'repo',
    source: {
      git: { remote: 'https://github.com/wandb/examples.git', commit },
      entrypoint: ['python', 'examples/mnist/train.py'],
      notebook: false,
      build_context: null,
      dockerfile: null,
    },
    input_types: TRAIN_INPUTS,
    output_types: typedDict({ accuracy: 'number', loss: 'number' }),
    runtime: '3.11.9',
  };
}

const EVAL_JOB = {
  _version: 'v0',
  source_type: 'image',
  source: { image: 'wandb/mnist-eval:1.2', args: ['--split', 'test'] },
  input_types: typedDict({ model: 'string', batch_size: 'number' }),
  output_types: typedDict({ accuracy: 'number' }),
  runtime: '3.11.9',
};

function runSpec(job: string, config: Record<string, unknown>, resource = 'local-container') {
  return { job, entity: ENTITY, project: PROJECT, resource, docker: {}, git: {}, overrides: { run_config: config } };
}

function firstRun(store: Store, state: string): string {
  const entity = store.entities.byName(ENTITY);
  const project = entity && store.projects.byName(entity.id, PROJECT);
  const row = project && (store.db.prepare('SELECT name FROM runs WHERE project_id = ? AND state = ? ORDER BY id LIMIT 1').get(project.id, state) as { name: string } | undefined);
  if (!row) throw new Error(`seedDemoLaunch needs a ${state} run in ${ENTITY}/${PROJECT}`);
  return row.name;
}

export function seedDemoLaunch(store: Store): void {
  const requirements = 'torch==2.3.1\ntorchvision==0.18.1\nwandb==0.31.0\n';
  createArtifact(store, {
    entity: ENTITY,
    project: PROJECT,
    type: 'job',
    name: 'job-train',
    files: { 'wandb-job.json': JSON.stringify(trainJob('3f0c9a1e5b7d2c4f6a8e0b1d3c5e7f9a1b2c3d4e')), 'requirements.frozen.txt': requirements },
    createdAt: BASE_TIME,
  });
  createArtifact(store, {
    entity: ENTITY,
    project: PROJECT,
    type: 'job',
    name: 'job-train',
    files: { 'wandb-job.json': JSON.stringify(trainJob('9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b')), 'requirements.frozen.txt': requirements },
    createdAt: BASE_TIME + 3_600_000,
  });
  createArtifact(store, {
    entity: ENTITY,
    project: PROJECT,
    type: 'job',
    name: 'job-eval',
    files: { 'wandb-job.json': JSON.stringify(EVAL_JOB) },
    createdAt: BASE_TIME + 7_200_000,
  });

  createRunQueue(store, { entity: ENTITY, name: 'default', type: 'local-container', config: { env: ['WANDB_DISABLE_CODE=true'] } });
  const train = `${ENTITY}/${PROJECT}/job-train:v1`;
  const push = (config: Record<string, unknown>) => pushRunQueueItem(store, { entity: ENTITY, queue: 'default', runSpec: runSpec(train, config) }).id;
  push({ lr: 0.001, epochs: 5, optimizer: 'adam' }); // PENDING
  push({ lr: 0.01, epochs: 5, optimizer: 'sgd' }); // PENDING
  setRunQueueItemState(store, push({ lr: 0.003, epochs: 10, optimizer: 'adam' }), 'LEASED', { agentId: 'agent-1' });
  setRunQueueItemState(store, push({ lr: 0.002, epochs: 3, optimizer: 'adam' }), 'CLAIMED', { agentId: 'agent-1', runName: firstRun(store, 'finished') });
  setRunQueueItemState(store, push({ lr: -1, epochs: 1, optimizer: 'adam' }), 'FAILED', { agentId: 'agent-1' });

  createRunQueue(store, {
    entity: ENTITY,
    name: 'gpu-queue',
    type: 'kubernetes',
    prioritizationMode: 'V0',
    config: { apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: { containers: [{ resources: { limits: { 'nvidia.com/gpu': '{{gpus}}' } } }] } } } },
    templateVariables: { gpus: { description: 'GPUs per run', schema: { type: 'integer', minimum: 1, maximum: 8, default: 1 } } },
    externalLinks: { 'Cluster dashboard': 'https://grafana.example.com/d/gpu' },
  });
  pushRunQueueItem(store, {
    entity: ENTITY,
    queue: 'gpu-queue',
    runSpec: runSpec(`${ENTITY}/${PROJECT}/job-eval:v0`, { model: 'mnist-cnn:v2', batch_size: 256 }, 'kubernetes'),
    priority: 1,
    templateVariableValues: { gpus: 2 },
  });
}
