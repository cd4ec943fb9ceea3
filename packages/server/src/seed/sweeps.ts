/**
 * Demo sweeps and reports in demo/mnist-classifier (deterministic, no PRNG):
 * - sweep k3x9q2ab (bayes, minimize loss): the 30 runs the demo seed already tags with it (runs 31–60),
 *   split between agents `agent-a1` and `agent-b2`;
 * - sweep p7m2v4cd (grid, maximize accuracy, 3×2 = 6 expected runs, finished): runs 61–66 are moved into it,
 *   all started by agent `agent-c3`;
 * - two reports (views of type "runs", ids View:123456 and View:123457) whose spec has panelGroups with
 *   runSets, and one bare NaN, as W&B writes it.
 */
import { stringifyLenient } from '../store/json';
import type { Store } from '../store/store';

const BASE_TIME = Date.UTC(2025, 0, 8, 9, 0, 0);
const HOUR = 3_600_000;

const BAYES_CONFIG = `name: mnist-lr-search
method: bayes
metric:
  name: loss
  goal: minimize
parameters:
  lr:
    distribution: log_uniform_values
    min: 1.0e-05
    max: 0.01
  batch_size:
    values: [16, 32, 64, 128]
  optimizer:
    values: [adam, sgd, adamw]
early_terminate:
  type: hyperband
  min_iter: 3
program: train.py
`;

const GRID_CONFIG = `method: grid
metric:
  name: accuracy
  goal: maximize
parameters:
  optimizer:
    values: [adam, sgd, adamw]
  dropout:
    values: [0.1, 0.3]
  epochs:
    value: 10
program: train.py
`;

/** A report spec in W&B's panelGroups form: one section with a run set filtered to a sweep. */
function reportSpec(title: string, sweep: string, metric: string): string {
  return stringifyLenient({
    version: 5,
    width: 'readable',
    authors: [],
    panelGroups: [
      {
        name: title,
        enabled: true,
        openRunSet: 0,
        runSets: [
          {
            id: `rs-${sweep}`,
            name: 'Run set',
            enabled: true,
            filters: {
              op: 'OR',
              filters: [{ op: 'AND', filters: [{ key: { section: 'run', name: 'sweep' }, op: '=', value: sweep, disabled: false }] }],
            },
            sort: { keys: [{ key: { section: 'summary', name: metric }, ascending: metric === 'loss' }] },
            selections: { root: 1, bounds: [], tree: [] },
          },
        ],
        panels: [
          { viewType: 'Run History Line Plot', config: { metrics: [metric], xAxis: '_step', smoothingWeight: 0.6, yAxisMin: NaN } },
          { viewType: 'Parallel Coordinates Plot', config: { columns: ['config.lr', 'config.batch_size', `summary_metrics.${metric}`] } },
        ],
      },
    ],
  });
}

export function seedDemoSweeps(store: Store): void {
  const entity = store.entities.byName('demo');
  const project = entity && store.projects.byName(entity.id, 'mnist-classifier');
  const demo = store.users.byName('demo');
  if (!entity || !project || !demo) throw new Error('seedDemoSweeps needs the demo seed');
  const runs = store.runs.list(project.id, { order: '+created_at', first: 10_000 }).items.map((e) => e.node);

  const bayes = store.sweeps.insert({
    projectId: project.id,
    name: 'k3x9q2ab',
    displayName: 'mnist-lr-search',
    method: 'bayes',
    state: 'RUNNING',
    description: 'Bayesian search over lr, batch size and optimizer',
    bestLoss: 0.05117,
    config: BAYES_CONFIG,
    userId: demo.id,
    createdAt: BASE_TIME,
  });
  const grid = store.sweeps.insert({
    projectId: project.id,
    name: 'p7m2v4cd',
    method: 'grid',
    state: 'FINISHED',
    config: GRID_CONFIG,
    runCountExpected: 6,
    userId: demo.id,
    createdAt: BASE_TIME + 24 * HOUR,
  });

  const a1 = store.sweeps.insertAgent({ sweepId: bayes.id, name: 'agent-a1', host: 'gpu-node-01', state: 'RUNNING', userId: demo.id, createdAt: BASE_TIME + HOUR });
  const b2 = store.sweeps.insertAgent({ sweepId: bayes.id, name: 'agent-b2', host: 'gpu-node-02', state: 'FINISHED', userId: demo.id, createdAt: BASE_TIME + 2 * HOUR });
  const c3 = store.sweeps.insertAgent({ sweepId: grid.id, name: 'agent-c3', host: 'gpu-node-03', state: 'FINISHED', userId: demo.id, createdAt: BASE_TIME + 25 * HOUR });
  for (const run of runs.filter((r) => r.sweep_name === bayes.name)) store.sweeps.addAgentRun(run.id % 3 === 0 ? b2.id : a1.id, run.id);
  for (const run of runs.slice(60, 66)) {
    store.runs.update(run.id, { sweep: grid.name });
    store.sweeps.addAgentRun(c3.id, run.id);
  }

  store.views.insert({
    id: 123456,
    projectId: project.id,
    name: 'lr-search-results',
    displayName: 'LR search: results & notes',
    description: 'What the Bayesian search found',
    spec: reportSpec('Sweep results', bayes.name, 'loss'),
    userId: demo.id,
    createdAt: BASE_TIME + 48 * HOUR,
  });
  store.views.insert({
    id: 123457,
    projectId: project.id,
    name: 'grid-summary',
    displayName: 'Grid summary',
    description: null,
    spec: reportSpec('Grid', grid.name, 'accuracy'),
    userId: demo.id,
    createdAt: BASE_TIME + 72 * HOUR,
  });
}
