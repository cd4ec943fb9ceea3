/**
 * The sweep workflow over real HTTP, with the documents the Python SDK sends: upsertSweep (with
 * controller/scheduler/priorRunsFilters), createAgent, agentHeartbeat and its commands from the
 * server's grid/random controller, the agent's wandb.init taking over the run, enqueueSweepRun.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunQueue, startServer, type LocalServer } from '../src/internal';
import { LAUNCH_PROJECT, launchStore } from '../src/store/launch';
import { gql } from './helpers';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ seed: 'empty' });
});
afterAll(() => server.stop());

// The SDK's documents (wandb/apis/public/sweeps.py), trimmed to what these tests read.
const UPSERT = `mutation UpsertSweep($id: ID, $config: String, $entityName: String, $projectName: String, $controller: JSONString,
  $launchScheduler: JSONString, $templateVariableValues: JSONString, $scheduler: JSONString, $state: String, $priorRunsFilters: JSONString) {
  upsertSweep(input: { id: $id, config: $config, entityName: $entityName, projectName: $projectName, controller: $controller,
    launchScheduler: $launchScheduler, templateVariableValues: $templateVariableValues, scheduler: $scheduler, state: $state,
    priorRunsFilters: $priorRunsFilters }) {
    inserted insertedPriorRuns configValidationWarnings
    sweep { id name state runCountExpected controller scheduler earlyStopJobRunning priorRuns { edges { node { name } } } project { name } }
  }
}`;
const CREATE_AGENT = `mutation CreateAgent($host: String!, $projectName: String, $entityName: String, $sweep: String!) {
  createAgent(input: { host: $host, projectName: $projectName, entityName: $entityName, sweep: $sweep }) { agent { id name state } }
}`;
const HEARTBEAT = `mutation Heartbeat($id: ID!, $metrics: JSONString, $runState: JSONString) {
  agentHeartbeat(input: { id: $id, metrics: $metrics, runState: $runState }) { agent { id metrics heartbeatAt } commands }
}`;
const SWEEP = `query ($entity: String, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) { sweep(sweepName: $name) {
    state runCount runCountExpected
    runs { edges { node { name state config sweepName running stopped exitcode } } }
    agents { edges { node { name totalRuns state metrics } } }
  } }
}`;
// wandb-core's upsert when wandb.init starts a run the agent was told to run.
const INIT_UPSERT = `mutation ($name: String, $project: String, $entity: String, $sweep: String, $config: JSONString) {
  upsertBucket(input: { name: $name, modelName: $project, entityName: $entity, sweep: $sweep, config: $config }) { bucket { name state sweepName } }
}`;
const ENQUEUE = `mutation EnqueueSweepRun($id: ID!, $config: JSONString!, $displayName: String) {
  enqueueSweepRun(input: { id: $id, config: $config, displayName: $displayName }) { id runQueueItemId }
}`;

type Command = { type: string; run_id?: string; args?: Record<string, { value: unknown }>; program?: string };

let projectSeq = 0;

async function createSweep(config: string, extra: Record<string, unknown> = {}) {
  const project = `sweeps-${projectSeq++}`;
  server.store.createProject({ entity: server.entity, name: project });
  const res = await gql(server, UPSERT, { config, projectName: project, templateVariableValues: 'null', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return {
    project,
    ...(res.body.data.upsertSweep as { sweep: { id: string; name: string; state: string; runCountExpected: number | null; scheduler: string | null } }),
  };
}

async function createAgent(project: string, sweep: string): Promise<string> {
  const res = await gql(server, CREATE_AGENT, { host: 'box', entityName: server.entity, projectName: project, sweep });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.createAgent.agent.id;
}

async function heartbeat(agent: string, active: string[] = []): Promise<Command[]> {
  const res = await gql(server, HEARTBEAT, { id: agent, metrics: '{}', runState: JSON.stringify(Object.fromEntries(active.map((r) => [r, true]))) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return JSON.parse(res.body.data.agentHeartbeat.commands) as Command[];
}

async function readSweep(project: string, name: string) {
  const res = await gql(server, SWEEP, { entity: server.entity, project, name });
  return res.body.data.project.sweep;
}

/** Plays the agent: runs each `run` command to the end (wandb.init's upsert, then the finish) until `exit`. */
async function drain(project: string, sweep: string, agent: string, limit = 50): Promise<Command[]> {
  const runs: Command[] = [];
  for (let i = 0; i < limit; i++) {
    const [command] = await heartbeat(agent);
    if (!command || command.type === 'exit') return runs;
    runs.push(command);
    const config = JSON.stringify(command.args);
    await gql(server, INIT_UPSERT, { name: command.run_id, project, entity: server.entity, sweep, config });
    const run = server.store.runs.byName(server.store.projects.byName(server.store.entities.byName(server.entity)!.id, project)!.id, command.run_id!)!;
    server.store.runLifecycle.setState(run.id, 'finished');
  }
  throw new Error('the controller never said exit');
}

const GRID = `method: grid
metric: {name: loss, goal: minimize}
program: train.py
parameters:
  optimizer:
    parameters:
      momentum: {value: 0.9}
      lr: {values: [0.1, 0.01]}
  batch: {distribution: int_uniform, min: 1, max: 2}
  epochs: {value: 3}
`;

describe('a grid sweep driven by an agent', () => {
  it('starts PENDING, RUNNING once an agent registers, then hands out the grid in order and finishes', async () => {
    const { project, sweep } = await createSweep(GRID);
    expect(sweep).toMatchObject({ state: 'PENDING', runCountExpected: 4 });
    const agent = await createAgent(project, sweep.name);
    expect((await readSweep(project, sweep.name)).state).toBe('RUNNING');

    const first = await heartbeat(agent);
    expect(first).toEqual([
      {
        type: 'run',
        run_id: expect.stringMatching(/^[a-z0-9]{8}$/),
        program: 'train.py',
        args: { batch: { value: 1 }, epochs: { value: 3 }, optimizer: { value: { lr: 0.1, momentum: 0.9 } } },
      },
    ]);
    const runId = first[0]!.run_id!;
    // The run exists already, pending, in the sweep, with the parameters as its config.
    let read = await readSweep(project, sweep.name);
    expect(read.runs.edges.map((e: any) => e.node)).toEqual([
      {
        name: runId,
        state: 'pending',
        config: JSON.stringify({ batch: { value: 1, desc: null }, epochs: { value: 3, desc: null }, optimizer: { value: { lr: 0.1, momentum: 0.9 }, desc: null } }),
        sweepName: sweep.name,
        running: false,
        stopped: false,
        exitcode: null,
      },
    ]);
    // A busy agent gets nothing; wandb.init (an upsert by name) takes the run over: running.
    expect(await heartbeat(agent, [runId])).toEqual([]);
    const init = await gql(server, INIT_UPSERT, { name: runId, project, entity: server.entity, sweep: sweep.name });
    expect(init.body.data.upsertBucket.bucket).toEqual({ name: runId, state: 'running', sweepName: sweep.name });
    server.store.runLifecycle.setState(server.store.runs.byName(server.store.projects.byName(server.store.entities.byName(server.entity)!.id, project)!.id, runId)!.id, 'finished');

    const rest = await drain(project, sweep.name, agent);
    expect(rest.map((c) => [c.args!.batch!.value, (c.args!.optimizer!.value as { lr: number }).lr])).toEqual([
      [1, 0.01],
      [2, 0.1],
      [2, 0.01],
    ]);
    read = await readSweep(project, sweep.name);
    expect(read).toMatchObject({ state: 'FINISHED', runCount: 4, runCountExpected: 4 });
    expect(read.agents.edges[0].node).toMatchObject({ totalRuns: 4, state: 'FINISHED', metrics: '{}' });
    expect(read.runs.edges.every((e: any) => e.node.stopped && e.node.exitcode === 0)).toBe(true);
    // A FINISHED sweep tells any further agent to exit.
    expect(await heartbeat(await createAgent(project, sweep.name))).toEqual([{ type: 'exit' }]);
  });

  it('never hands two agents the same grid point; an agent finds its sweep without a project name', async () => {
    const { project, sweep } = await createSweep('method: grid\nparameters:\n  a: {values: [1, 2, 3]}\n');
    const one = await createAgent(project, sweep.name);
    const byName = await gql(server, CREATE_AGENT, { host: 'other', entityName: server.entity, sweep: sweep.name });
    const two = byName.body.data.createAgent.agent.id as string;
    const [a] = await heartbeat(one);
    const [b] = await heartbeat(two);
    const [c] = await heartbeat(one, []);
    expect([a, b, c].map((x) => x!.args!.a!.value)).toEqual([1, 2, 3]);
    // Both busy, nothing left: the one whose run is still active waits, an idle one exits.
    expect(await heartbeat(two, [b!.run_id!])).toEqual([]);
    expect(await heartbeat(one)).toEqual([{ type: 'exit' }]);
    expect((await readSweep(project, sweep.name)).state).toBe('FINISHED');
    expect(await heartbeat(two, [b!.run_id!])).toEqual([]);
    expect(await heartbeat(two)).toEqual([{ type: 'exit' }]);
  });

  it('skips the grid points of runs already in the sweep and of prior runs (priorRunsFilters)', async () => {
    const project = `sweeps-${projectSeq++}`;
    server.store.createRun({ entity: server.entity, project, name: 'old-a', config: { a: 1 } });
    server.store.createRun({ entity: server.entity, project, name: 'old-b', config: { a: 5 } });
    const res = await gql(server, UPSERT, {
      config: 'method: grid\nparameters:\n  a: {values: [1, 2, 3]}\n',
      projectName: project,
      priorRunsFilters: JSON.stringify({ $or: [{ name: 'old-a' }, { name: 'old-b' }] }),
    });
    const upserted = res.body.data.upsertSweep;
    expect(upserted).toMatchObject({ inserted: true, insertedPriorRuns: 2, sweep: { priorRuns: { edges: [{ node: { name: 'old-a' } }, { node: { name: 'old-b' } }] } } });
    server.store.createRun({ entity: server.entity, project, name: 'in-sweep', config: { a: 3 }, sweep: upserted.sweep.name });
    const agent = await createAgent(project, upserted.sweep.name);
    expect((await drain(project, upserted.sweep.name, agent)).map((c) => c.args!.a!.value)).toEqual([2]);
  });
});

describe('random and bayes sweeps', () => {
  it('samples every parameter within its distribution until run_cap, then finishes', async () => {
    const config = `method: bayes
metric: {name: loss}
run_cap: 12
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  dropout: {distribution: uniform, min: 0.1, max: 0.5}
  layers: {distribution: int_uniform, min: 1, max: 4}
  act: {values: [relu, tanh]}
  noise: {distribution: q_normal, mu: 0, sigma: 2, q: 0.5}
  nested: {parameters: {k: {distribution: categorical, values: [a, b]}}}
`;
    const { project, sweep } = await createSweep(config);
    expect(sweep.runCountExpected).toBeNull();
    const commands = await drain(project, sweep.name, await createAgent(project, sweep.name));
    expect(commands).toHaveLength(12);
    for (const { args } of commands) {
      const v = Object.fromEntries(Object.entries(args!).map(([k, { value }]) => [k, value])) as Record<string, any>;
      expect(v.lr).toBeGreaterThanOrEqual(0.0001);
      expect(v.lr).toBeLessThanOrEqual(0.1);
      expect(v.dropout).toBeGreaterThanOrEqual(0.1);
      expect(v.dropout).toBeLessThan(0.5);
      expect([1, 2, 3, 4]).toContain(v.layers);
      expect(['relu', 'tanh']).toContain(v.act);
      expect(Number.isInteger(v.noise * 2)).toBe(true);
      expect(['a', 'b']).toContain(v.nested.k);
    }
    expect((await readSweep(project, sweep.name)).state).toBe('FINISHED');
  });
});

describe('sweep states and stop requests', () => {
  it('PAUSED gives nothing, CANCELED exits, a stopRun on an agent run is a stop command', async () => {
    const { project, sweep } = await createSweep('method: random\nparameters:\n  a: {values: [1]}\n');
    const agent = await createAgent(project, sweep.name);
    const [run] = await heartbeat(agent);
    const p = server.store.projects.byName(server.store.entities.byName(server.entity)!.id, project)!;
    server.store.runLifecycle.requestStop(server.store.runs.byName(p.id, run!.run_id!)!.id);
    expect(await heartbeat(agent, [run!.run_id!])).toEqual([{ type: 'stop', run_id: run!.run_id }]);

    await gql(server, UPSERT, { id: sweep.id, state: 'PAUSED' });
    expect(await heartbeat(agent)).toEqual([]);
    await gql(server, UPSERT, { id: sweep.id, state: 'CANCELED' });
    expect(await heartbeat(agent, [run!.run_id!])).toEqual([{ type: 'exit' }]);
  });

  it('a heartbeat of an unknown agent is a 404 (what the SDK reads as a deleted sweep); createAgent for a missing sweep too', async () => {
    const missing = await gql(server, HEARTBEAT, { id: Buffer.from('Agent:99999').toString('base64'), runState: '{}' });
    expect(missing.status).toBe(404);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const noSweep = await gql(server, CREATE_AGENT, { host: 'box', entityName: server.entity, projectName: 'nowhere', sweep: 'nope1234' });
    expect(noSweep.status).toBe(404);
    const badState = await gql(server, HEARTBEAT, { id: Buffer.from('Agent:1').toString('base64'), runState: '[1]' });
    expect(badState.status).toBe(400);
  });
});

describe("the CLI's sweep query", () => {
  // wandb/apis/public/sweeps.py _sweep_with_runs: `wandb agent` and `wandb sweep --stop/--pause` read the sweep with it.
  const SWEEP_WITH_RUNS = `query SweepWithRuns($entity: String, $project: String, $sweep: String!, $specs: [JSONString!]!) {
    project(name: $project, entityName: $entity) { sweep(sweepName: $sweep) {
      id name method state description config createdAt heartbeatAt updatedAt earlyStopJobRunning bestLoss controller scheduler
      runs { edges { node { name state config exitcode heartbeatAt shouldStop failed stopped running summaryMetrics sampledHistory(specs: $specs) } } }
    } }
  }`;

  it('answers with run flags and an empty sample for the spec "{}"', async () => {
    const { project, sweep } = await createSweep('method: random\nparameters:\n  a: {values: [1]}\n');
    server.store.createRun({ entity: server.entity, project, name: 'done-1', sweep: sweep.name, history: [{ loss: 1 }] });
    server.store.createRun({ entity: server.entity, project, name: 'live-1', sweep: sweep.name, state: 'running' });
    const res = await gql(server, SWEEP_WITH_RUNS, { entity: server.entity, project, sweep: sweep.name, specs: '{}' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const runs = res.body.data.project.sweep.runs.edges.map((e: any) => e.node);
    const byName = Object.fromEntries(runs.map((r: any) => [r.name, r]));
    expect(byName['done-1']).toMatchObject({ state: 'finished', exitcode: 0, stopped: true, running: false, failed: false, shouldStop: false, sampledHistory: [[]] });
    expect(byName['live-1']).toMatchObject({ state: 'running', exitcode: null, stopped: false, running: true, sampledHistory: [[]] });
  });
});

describe('Sweep.bestLoss', () => {
  it("is the best value of the config's metric over the sweep's runs, by its goal", async () => {
    const { project, sweep } = await createSweep('method: random\nmetric: {name: val.acc, goal: maximize}\nparameters:\n  a: {values: [1]}\n');
    const BEST = '{ project(name: $p, entityName: "demo") { sweep(sweepName: $s) { bestLoss } } }';
    const best = async () => (await gql(server, `query ($p: String!, $s: String!) ${BEST}`, { p: project, s: sweep.name })).body.data.project.sweep.bestLoss;
    expect(await best()).toBeNull();
    server.store.createRun({ entity: server.entity, project, sweep: sweep.name, summary: { val: { acc: 0.5 } } });
    server.store.createRun({ entity: server.entity, project, sweep: sweep.name, summary: { val: { acc: 0.75 } } });
    server.store.createRun({ entity: server.entity, project, sweep: sweep.name, summary: { val: { acc: 'n/a' } } });
    server.store.createRun({ entity: server.entity, project, summary: { val: { acc: 0.99 } } });
    expect(await best()).toBe(0.75);
  });
});

describe('upsertSweep', () => {
  it('keeps controller and scheduler, counts nested grids, refuses a grid over a continuous parameter', async () => {
    const { sweep } = await createSweep('method: grid\nparameters:\n  a: {values: [1, 2]}\n  b: {parameters: {c: {values: [x, y, z]}, d: {min: 1, max: 4}}}\n', {
      controller: '{"type": "local"}',
    });
    expect(sweep).toMatchObject({ runCountExpected: 24, controller: '{"type": "local"}', scheduler: null, earlyStopJobRunning: false });
    const continuous = await gql(server, UPSERT, { projectName: 'sweeps-x', config: 'method: grid\nparameters:\n  a: {min: 0.1, max: 0.5}\n' });
    expect(continuous.status).toBe(400);
    expect(continuous.body.errors?.[0]?.message).toMatch(/grid search/);
    const badJson = await gql(server, UPSERT, { projectName: 'sweeps-x', config: 'method: random\n', controller: '{nope' });
    expect(badJson.status).toBe(400);
  });
});

describe('enqueueSweepRun', () => {
  it('refuses a sweep without a scheduler; with one, the enqueued run goes to the next idle agent first', async () => {
    const plain = await createSweep('method: grid\nparameters:\n  a: {values: [1, 2]}\n');
    const refused = await gql(server, ENQUEUE, { id: plain.sweep.id, config: '{"a": 9}' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.message).toMatch(/not using local scheduler/);

    const { project, sweep } = await createSweep('method: grid\nparameters:\n  a: {values: [1, 2]}\n', { scheduler: '{"num_workers": 1}' });
    const enqueued = await gql(server, ENQUEUE, { id: sweep.id, config: '{"a": 9}', displayName: 'by-hand' });
    expect(enqueued.body.data.enqueueSweepRun).toEqual({ id: expect.stringMatching(/^[a-z0-9]{8}$/), runQueueItemId: null });
    const runId = enqueued.body.data.enqueueSweepRun.id;
    let read = await readSweep(project, sweep.name);
    expect(read.runs.edges.map((e: any) => [e.node.name, e.node.state])).toEqual([[runId, 'pending']]);

    const commands = await drain(project, sweep.name, await createAgent(project, sweep.name));
    expect(commands.map((c) => [c.run_id === runId, c.args!.a!.value])).toEqual([
      [true, 9],
      [false, 1],
      [false, 2],
    ]);
    read = await readSweep(project, sweep.name);
    expect(read.state).toBe('FINISHED');
    const finished = await gql(server, ENQUEUE, { id: sweep.id, config: '{}' });
    expect(finished.status).toBe(400);
  });

  it('a launch sweep (launchScheduler) pushes its scheduler onto the queue, and enqueued runs go there, not to agents', async () => {
    createRunQueue(server.store, { entity: server.entity, name: 'sweep-queue', type: 'local-process' });
    const runSpec = JSON.stringify({ name: 'Scheduler.WANDB_SWEEP_ID', run_id: 'WANDB_SWEEP_ID', resource: 'local-process' });
    const launchScheduler = JSON.stringify({ queue: 'sweep-queue', run_queue_project: LAUNCH_PROJECT, run_spec: runSpec });
    const { project, sweep } = await createSweep('method: random\nimage_uri: img\nparameters:\n  a: {values: [1]}\n', { launchScheduler, state: 'PENDING' });
    expect(JSON.parse(sweep.scheduler!)).toMatchObject({ queue: 'sweep-queue' });

    const launch = launchStore(server.store);
    const queueProject = server.store.projects.byName(server.store.entities.byName(server.entity)!.id, LAUNCH_PROJECT)!;
    const queue = launch.queueByName(queueProject.id, 'sweep-queue')!;
    const specs = () => launch.items(queue.id, {}).items.map((i) => JSON.parse(i.node.run_spec));
    expect(specs()).toEqual([{ name: `Scheduler.${sweep.name}`, run_id: sweep.name, resource: 'local-process' }]);

    const enqueued = await gql(server, ENQUEUE, { id: sweep.id, config: '{"a": 1}' });
    const { id, runQueueItemId } = enqueued.body.data.enqueueSweepRun;
    expect(runQueueItemId).toEqual(expect.any(String));
    expect(specs()[1]).toEqual({ run_id: id, entity: server.entity, project, sweep_id: sweep.name, overrides: { run_config: { a: 1 } } });
    // An agent of a launch sweep gets a fresh sample, never the run waiting in the launch queue.
    const [command] = await heartbeat(await createAgent(project, sweep.name));
    expect(command!.run_id).not.toBe(id);
  });

  it('is refused while SWEEPS_LOCAL_SCHEDULER is off', async () => {
    const old = await startServer({ features: { SWEEPS_LOCAL_SCHEDULER: false } });
    try {
      old.store.createProject({ entity: old.entity, name: 'p' });
      const created = await gql(old, UPSERT, { projectName: 'p', config: 'method: random\n', scheduler: '{}' });
      const res = await gql(old, ENQUEUE, { id: created.body.data.upsertSweep.sweep.id, config: '{}' });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.message).toMatch(/SWEEPS_LOCAL_SCHEDULER/);
    } finally {
      await old.stop();
    }
  });
});
