// One call of every public function that talks to a server, for the compatibility table: the same
// call on a server of each schema profile (both seeded with the demo workspace, so ids agree). Each
// scenario gets the client of the server under test and `ref`, fixtures loaded from the current
// server (plain objects, valid on both: a scenario about saveRegistry needs a Registry even where
// registries do not exist). A scenario that changes state works on objects of its own.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type WandbClient,
  getDefaultEntity,
  getServerFeatures,
  getViewer,
  hasServerFeature,
  openStream,
  resolveEntity,
  resolveProjectPath,
  resolveRunPath,
  checkSupport,
  supports,
} from '@wandb-api/core';
import * as runs from '@wandb-api/runs';
import * as artifacts from '@wandb-api/artifacts';
import * as launch from '@wandb-api/launch';
import * as admin from '@wandb-api/admin';
import type { LocalServer } from '@wandb-api/server';

const P = 'demo/mnist-classifier';
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `wandb-legacy-${name}-`));
/** A list's first items (every list is a Paginated). */
const first = <T>(list: { toArray(o?: { limit?: number }): Promise<T[]> }) => list.toArray({ limit: 3 });

/** What a scenario runs with. */
export interface ScenarioContext {
  /** A client of the server under test. */
  readonly client: WandbClient;
  /** The server under test. */
  readonly server: LocalServer;
  /** `current` or `w&b-2023`. */
  readonly profile: string;
  /** A per-profile suffix for names a scenario creates. */
  readonly unique: string;
  /** Fixtures loaded from the current server. */
  readonly ref: Fixtures;
}

/** Fixtures from the current server, loaded once. */
export class Fixtures {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(
    readonly client: WandbClient,
    readonly server: LocalServer,
  ) {}
  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, load());
    return this.cache.get(key) as Promise<T>;
  }
  run() {
    return this.once('run', async () => (await runs.listRuns(this.client, P, { filters: { state: 'finished' }, perPage: 5 }).toArray({ limit: 1 }))[0]!);
  }
  file() {
    return this.once('file', async () => runs.getFile(this.client, await this.run(), 'wandb-metadata.json'));
  }
  sweep() {
    return this.once('sweep', () => runs.getSweep(this.client, `${P}/k3x9q2ab`));
  }
  agent() {
    return this.once('agent', async () => runs.getAgent(this.client, await this.sweep(), 'agent-a1'));
  }
  dataset() {
    return this.once('dataset', () => artifacts.getArtifact(this.client, `${P}/mnist-dataset:v2`));
  }
  model() {
    return this.once('model', () => artifacts.getArtifact(this.client, `${P}/mnist-cnn:v2`));
  }
  collection() {
    return this.once('collection', () => artifacts.getArtifactCollection(this.client, 'model', `${P}/mnist-cnn`));
  }
  registry() {
    return this.once('registry', () => artifacts.getRegistry(this.client, 'model', { organization: 'demo-org' }));
  }
  /** The run that logged mnist-cnn:v2, as `entity/project/id`. */
  loggedBy() {
    return this.once('loggedBy', async () => {
      const run = (await artifacts.artifactLoggedBy(this.client, await this.model()))!;
      return `${run.entity}/${run.project}/${run.id}`;
    });
  }
  /** A run that used mnist-cnn:v2, as `entity/project/id`. */
  usedBy() {
    return this.once('usedBy', async () => {
      const run = (await artifacts.artifactUsedBy(this.client, await this.model()))[0]!;
      return `${run.entity}/${run.project}/${run.id}`;
    });
  }
  /** Every fixture, loaded before the scenarios run (so they send nothing then). */
  async all(): Promise<void> {
    await Promise.all([
      ...[this.run(), this.file(), this.sweep(), this.agent(), this.dataset(), this.model(), this.collection(), this.registry()],
      ...[this.linked(), this.project(), this.queue(), this.claimed(), this.job(), this.loggedBy(), this.usedBy()],
    ]);
  }
  linked() {
    return this.once('linked', () => artifacts.getArtifact(this.client, 'demo-org/wandb-registry-model/mnist-models:production'));
  }
  project() {
    return this.once('project', () => runs.getProject(this.client, 'vision-team/segmentation'));
  }
  queue() {
    return this.once('queue', () => launch.getRunQueue(this.client, 'demo', 'default'));
  }
  /** The demo queue's item CLAIMED by a finished run. */
  claimed() {
    return this.once('claimed', async () => {
      const item = (await launch.runQueueItems(this.client, await this.queue()).toArray()).find((i) => i.state.toUpperCase() === 'CLAIMED')!;
      return { entity: 'demo', queueName: 'default', id: item.id };
    });
  }
  job() {
    return this.once('job', () => launch.getJob(this.client, `${P}/job-train:v1`));
  }
}

/** One call of a public function. */
export interface Scenario {
  /** The package entry that exports the function. */
  readonly entry: string;
  /** The function's name. */
  readonly name: string;
  /** Makes what the call needs on the server under test (not part of what the table reports). */
  prepare?(ctx: ScenarioContext): Promise<unknown>;
  /** Calls it. */
  run(ctx: ScenarioContext, prepared: never): Promise<unknown>;
}

type Run<T> = (ctx: ScenarioContext, prepared: T) => Promise<unknown>;
const scenario =
  (entry: string) =>
  <T>(name: string, run: Run<T>, prepare?: (ctx: ScenarioContext) => Promise<T>): Scenario => ({ entry, name, run: run as Scenario['run'], ...(prepare ? { prepare } : {}) });
const core = scenario('@wandb-api/core');
const r = scenario('@wandb-api/runs');
const a = scenario('@wandb-api/artifacts');
const l = scenario('@wandb-api/launch');
const ad = scenario('@wandb-api/admin');

/** A run of this profile's server to change. */
async function scratchRun({ client, unique }: ScenarioContext, suffix: string) {
  return runs.createRun(client, { entity: 'demo', project: 'legacy-scratch', runId: `${suffix}-${unique}` });
}

/** A fresh artifact version of this profile's server to change. */
async function scratchArtifact({ server, client, unique }: ScenarioContext, name: string) {
  const { createArtifact } = await import('@wandb-api/server');
  createArtifact(server.store, { entity: 'demo', project: 'legacy-scratch', type: 'dataset', name: `${name}-${unique}`, files: { 'a.txt': 'a' } });
  return artifacts.getArtifact(client, `demo/legacy-scratch/${name}-${unique}:v0`);
}

/** A collection made on the current server, per profile. */
async function scratchCollection({ ref, unique }: ScenarioContext, name: string) {
  const made = await scratchArtifact({ client: ref.client, server: ref.server, unique } as ScenarioContext, name);
  return artifacts.getArtifactCollection(ref.client, 'dataset', `demo/legacy-scratch/${made.collectionName}`);
}

/** An item pushed and popped (leased) on a queue of this profile's server. */
async function poppedItem(ctx: ScenarioContext, suffix: string): Promise<string> {
  const queue = await scratchQueue(ctx, suffix);
  await launch.pushToRunQueue(ctx.client, queue, { job: `${P}/job-train:v1` });
  return (await launch.popRunQueueItem(ctx.client, queue))!.id;
}

/** A queue of this profile's server to change. */
async function scratchQueue({ client, unique }: ScenarioContext, suffix: string) {
  return launch.createRunQueue(client, `${suffix}-${unique}`, 'local-container', { entity: 'demo' });
}

/** Webhook integration of this profile's server (created on first use). */
async function hook({ client, unique }: ScenarioContext, name: string) {
  return admin.createWebhookIntegration(client, { entity: 'vision-team', name: `${name}-${unique}`, urlEndpoint: 'http://127.0.0.1:9/hook' });
}

export const SCENARIOS: readonly Scenario[] = [
  // ---- core
  core('getViewer', ({ client }) => getViewer(client)),
  core('getDefaultEntity', ({ client }) => getDefaultEntity(client)),
  core('getServerFeatures', ({ client }) => getServerFeatures(client)),
  core('hasServerFeature', ({ client }) => hasServerFeature(client, 'SWEEPS_QUERY_FILTERING')),
  core('resolveEntity', ({ client }) => resolveEntity(client, undefined)),
  core('resolveProjectPath', ({ client }) => resolveProjectPath(client, 'mnist-classifier')),
  core('resolveRunPath', async ({ client, ref }) => resolveRunPath(client, `mnist-classifier/${(await ref.run()).id}`)),
  core('openStream', async ({ client, server, ref }) => {
    const stream = await openStream(client, onServer(await ref.file(), server).url, {}, {});
    for await (const _ of stream) break;
  }),
  core('supports', async ({ client }) => supports(client, runs.CreateProjectDocument)),
  core('checkSupport', async ({ client }) => checkSupport(client, 'a sweep filter', ['Project.sweeps(filters:)'])),

  // ---- runs: projects and runs
  r('listProjects', ({ client }) => first(runs.listProjects(client, 'demo'))),
  r('getProject', ({ client }) => runs.getProject(client, P)),
  r('createProject', ({ client, unique }) => runs.createProject(client, { name: `legacy-${unique}`, entity: 'demo' })),
  r('listRuns', ({ client }) => first(runs.listRuns(client, P, { filters: { state: 'finished' }, order: '-summary_metrics.accuracy' }))),
  r('getRun', async ({ client, ref }) => runs.getRun(client, `${P}/${(await ref.run()).id}`)),
  r('createRun', ({ client, unique }) => runs.createRun(client, { entity: 'demo', project: 'legacy-scratch', runId: `create-${unique}` })),
  r('updateRun', ({ client }, run: runs.Run) => runs.updateRun(client, run, { notes: 'changed' }), (ctx) => scratchRun(ctx, 'update')),
  r('updateRunState', ({ client }, run: runs.Run) => runs.updateRunState(client, run, 'failed'), (ctx) => scratchRun(ctx, 'state')),
  r('stopRun', ({ client }, run: runs.Run) => runs.stopRun(client, run), (ctx) => scratchRun(ctx, 'stop')),
  r('deleteRun', ({ client }, run: runs.Run) => runs.deleteRun(client, run), (ctx) => scratchRun(ctx, 'delete')),
  r('waitUntilFinished', async ({ client, ref }) => runs.waitUntilFinished(client, await ref.run())),
  r('runsToRows', ({ client }) => runs.runsToRows(client, P, { perPage: 5, limit: 5 } as never)),
  r('runHistories', async ({ client, ref }) => runs.runHistories(client, [await ref.run()], { samples: 10 })),
  // ---- runs: history, logs, files
  r('getHistory', async ({ client, ref }) => runs.getHistory(client, await ref.run(), { samples: 10, keys: ['loss'] })),
  r('getHistoryKeys', async ({ client, ref }) => runs.getHistoryKeys(client, await ref.run())),
  r('scanHistory', async ({ client, ref }) => first(runs.scanHistory(client, await ref.run(), { keys: ['loss'] }))),
  r('consoleLogs', async ({ client, ref }) => first(runs.consoleLogs(client, await ref.run()))),
  r('getRunMetadata', async ({ client, ref }) => runs.getRunMetadata(client, await ref.run())),
  r('listFiles', async ({ client, ref }) => first(runs.listFiles(client, await ref.run()))),
  r('getFile', async ({ client, ref }) => runs.getFile(client, await ref.run(), 'wandb-metadata.json')),
  r('fetchFileBytes', async ({ client, server, ref }) => runs.fetchFileBytes(client, onServer(await ref.file(), server))),
  r('fetchFileStream', async ({ client, server, ref }) => {
    for await (const _ of await runs.fetchFileStream(client, onServer(await ref.file(), server))) break;
  }),
  r('downloadFile', async ({ client, server, ref }) => runs.downloadFile(client, onServer(await ref.file(), server), { root: tmp('file') })),
  r('uploadFile', ({ client }, run: runs.Run) => runs.uploadFile(client, run, { name: 'notes.txt', data: new TextEncoder().encode('hi') }), (ctx) => scratchRun(ctx, 'upload')),
  r(
    'uploadFilePath',
    ({ client }, run: runs.Run) => {
      const dir = tmp('upload');
      writeFileSync(join(dir, 'notes.txt'), 'hi');
      return runs.uploadFilePath(client, run, join(dir, 'notes.txt'), {});
    },
    (ctx) => scratchRun(ctx, 'upload-path'),
  ),
  // A file put in place by the server's store (uploading is newer than 2023).
  r('deleteFile', ({ client }, file: runs.RunFile) => runs.deleteFile(client, file), async (ctx) => {
    const run = await scratchRun(ctx, 'delete-file');
    const internal = (ctx.server.store.db.prepare('SELECT id FROM runs WHERE name = ?').get(run.id) as { id: number }).id;
    ctx.server.store.runFiles.put(internal, 'gone.txt', ctx.server.store.blobs.put(new TextEncoder().encode('x')));
    return runs.getFile(ctx.client, run, 'gone.txt');
  }),
  // ---- runs: file_stream and TensorBoard
  r('fileStreamUrl', async (ctx) => runs.fileStreamUrl(ctx.client, { entity: 'demo', project: 'legacy-scratch', runId: 'any' })),
  r(
    'postFileStream',
    ({ client }, run: runs.Run) =>
      runs.postFileStream(client, { entity: 'demo', project: 'legacy-scratch', runId: run.id }, { files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step":0,"loss":1}'] } } }),
    (ctx) => scratchRun(ctx, 'fs'),
  ),
  r(
    'streamRun',
    ({ client }, run: runs.Run) => runs.streamRun(client, { entity: 'demo', project: 'legacy-scratch', runId: run.id }, { history: [{ _step: 0, loss: 1 }], summary: { loss: 1 }, exitCode: 0 }),
    (ctx) => scratchRun(ctx, 'stream'),
  ),
  r('syncTensorboard', async ({ client, unique }) => {
    const dir = tmp('tb');
    mkdirSync(join(dir, 'train'));
    writeFileSync(join(dir, 'train', 'events.out.tfevents.1.host'), new Uint8Array());
    return runs.syncTensorboard(client, dir, { entity: 'demo', project: 'legacy-scratch', runId: `tb-${unique}` });
  }),
  // ---- runs: sweeps and reports
  r('listSweeps', ({ client }) => first(runs.listSweeps(client, P))),
  r('getSweep', ({ client }) => runs.getSweep(client, `${P}/k3x9q2ab`)),
  r('sweepRuns', async ({ client, ref }) => first(runs.sweepRuns(client, await ref.sweep()))),
  r('sweepPriorRuns', async ({ client, ref }) => runs.sweepPriorRuns(client, await ref.sweep())),
  r('bestRun', async ({ client, ref }) => runs.bestRun(client, await ref.sweep())),
  r('listAgents', async ({ client, ref }) => runs.listAgents(client, await ref.sweep())),
  r('getAgent', async ({ client, ref }) => runs.getAgent(client, await ref.sweep(), 'agent-a1')),
  r('agentRuns', async ({ client, ref }) => first(runs.agentRuns(client, await ref.agent()))),
  r('listReports', ({ client }) => first(runs.listReports(client, P))),
  r('getReport', async ({ client }) => runs.getReport(client, (await runs.listReports(client, P).toArray({ limit: 1 }))[0]!.url!)),

  // ---- artifacts: versions
  a('getArtifact', ({ client }) => artifacts.getArtifact(client, `${P}/mnist-dataset:latest`)),
  a('artifactExists', ({ client }) => artifacts.artifactExists(client, `${P}/mnist-dataset:v1`)),
  a('resolveArtifactPath', ({ client }) => artifacts.resolveArtifactPath(client, artifacts.parseArtifactPath(`${P}/mnist-dataset:v1`), undefined, undefined)),
  a('listArtifacts', ({ client }) => first(artifacts.listArtifacts(client, 'model', `${P}/mnist-cnn`))),
  a('artifactVersions', ({ client }) => first(artifacts.artifactVersions(client, 'model', `${P}/mnist-cnn`))),
  a('runLoggedArtifacts', async ({ client, ref }) => first(artifacts.runLoggedArtifacts(client, await ref.loggedBy()))),
  a('runUsedArtifacts', async ({ client, ref }) => first(artifacts.runUsedArtifacts(client, await ref.usedBy()))),
  a('artifactLoggedBy', async ({ client, ref }) => artifacts.artifactLoggedBy(client, await ref.model())),
  a('artifactUsedBy', async ({ client, ref }) => artifacts.artifactUsedBy(client, await ref.model())),
  a('linkedArtifacts', async ({ client, ref }) => artifacts.linkedArtifacts(client, await ref.model())),
  a('sourceArtifact', async ({ client, ref }) => artifacts.sourceArtifact(client, await ref.linked())),
  a('toArtifact', async ({ client }) => client && 'decodes a node: no request'),
  a('fromMembership', async ({ client }) => client && 'decodes a membership: no request'),
  a('saveArtifact', ({ client }, made: artifacts.Artifact) => artifacts.saveArtifact(client, made, { description: 'saved', aliases: ['best'] }), (ctx) => scratchArtifact(ctx, 'save')),
  a('deleteArtifact', ({ client }, made: artifacts.Artifact) => artifacts.deleteArtifact(client, made, { deleteAliases: true }), (ctx) => scratchArtifact(ctx, 'delete')),
  a('linkArtifact', ({ client }, made: artifacts.Artifact) => artifacts.linkArtifact(client, made, 'demo-org/wandb-registry-dataset/legacy-links'), (ctx) => scratchArtifact(ctx, 'link')),
  a('unlinkArtifact', async ({ client, ref }) => artifacts.unlinkArtifact(client, await ref.linked())),
  // ---- artifacts: files, manifests, downloads
  a('artifactFiles', async ({ client, ref }) => first(artifacts.artifactFiles(client, await ref.dataset()))),
  a('artifactFileUrls', async ({ client, ref }) => {
    for await (const batch of artifacts.artifactFileUrls(client, await ref.dataset())) return batch;
  }),
  a('getManifest', async ({ client, ref }) => artifacts.getManifest(client, await ref.dataset())),
  a('listManifestEntries', async ({ client, ref }) => artifacts.listManifestEntries(client, await ref.dataset())),
  a('getEntry', async ({ client, ref }) => artifacts.getEntry(client, await ref.dataset(), 'train.csv')),
  a('artifactFileStream', async ({ client, ref }) => {
    const artifact = await ref.dataset();
    for await (const _ of await artifacts.artifactFileStream(client, await artifacts.getEntry(client, artifact, 'train.csv'), { artifact })) break;
  }),
  a('downloadArtifact', async ({ client, ref }) => artifacts.downloadArtifact(client, await ref.model(), { root: tmp('dl') })),
  a('downloadArtifactFile', async ({ client, ref }) => artifacts.downloadArtifactFile(client, await ref.dataset(), 'train.csv', { root: tmp('dlf') })),
  a('verifyArtifact', async ({ client, ref }) => {
    const root = await artifacts.downloadArtifact(client, await ref.model(), { root: tmp('verify') });
    return artifacts.verifyArtifact(client, await ref.model(), root, {});
  }),
  // ---- artifacts: types and collections
  a('listArtifactTypes', ({ client }) => first(artifacts.listArtifactTypes(client, P, {}))),
  a('getArtifactType', ({ client }) => artifacts.getArtifactType(client, 'model', P, undefined)),
  a('listArtifactCollections', ({ client }) => first(artifacts.listArtifactCollections(client, P, 'model', {}))),
  a('getArtifactCollection', ({ client }) => artifacts.getArtifactCollection(client, 'model', `${P}/mnist-cnn`)),
  a('artifactCollectionExists', ({ client }) => artifacts.artifactCollectionExists(client, `${P}/mnist-cnn`, 'model')),
  a('collectionAliases', async ({ client, ref }) => artifacts.collectionAliases(client, await ref.collection())),
  // Collections made on the current server for each profile (reading one is newer than 2023).
  a('saveArtifactCollection', ({ client }, coll: artifacts.ArtifactCollection) => artifacts.saveArtifactCollection(client, coll, { description: 'saved' }), (ctx) => scratchCollection(ctx, 'coll')),
  a('changeCollectionType', ({ client }, coll: artifacts.ArtifactCollection) => artifacts.changeCollectionType(client, coll, 'model'), (ctx) => scratchCollection(ctx, 'retype')),
  // A collection of the server under test, by its id (the 2023 server cannot read one back).
  a('deleteArtifactCollection', ({ client }, coll: { id: string; isSequence: boolean }) => artifacts.deleteArtifactCollection(client, coll), async (ctx) => {
    const made = await scratchArtifact(ctx, 'gone');
    const row = ctx.server.store.db.prepare('SELECT id FROM artifact_collections WHERE name = ?').get(made.collectionName) as { id: number };
    return { id: Buffer.from(`ArtifactCollection:${row.id}`).toString('base64'), isSequence: true };
  }),
  // ---- artifacts: organizations and registries
  a('getOrganization', ({ client }) => artifacts.getOrganization(client, 'demo-org')),
  a('resolveOrganization', ({ client }) => artifacts.resolveOrganization(client, 'demo-org')),
  a('resolveOrgEntityName', ({ client }) => artifacts.resolveOrgEntityName(client, 'demo-org')),
  a('resolveOrgInfo', ({ client }) => artifacts.resolveOrgInfo(client, 'demo', 'demo-org')),
  a('listRegistries', ({ client }) => first(artifacts.listRegistries(client, { organization: 'demo-org' }))),
  a('getRegistry', ({ client }) => artifacts.getRegistry(client, 'model', { organization: 'demo-org' })),
  a('createRegistry', ({ client, unique }) => artifacts.createRegistry(client, { name: `legacy-${unique}`, organization: 'demo-org', visibility: 'organization' })),
  a('saveRegistry', async ({ client, ref }) => artifacts.saveRegistry(client, await ref.registry(), { description: 'the models' })),
  // A registry made for it on the current server (the 2023 one has none to make).
  a('deleteRegistry', ({ client }, registry: artifacts.Registry) => artifacts.deleteRegistry(client, registry), ({ ref, unique }) =>
    artifacts.createRegistry(ref.client, { name: `gone-${unique}`, organization: 'demo-org', visibility: 'organization' }),
  ),
  a('registryCollections', async ({ client, ref }) => first(artifacts.registryCollections(client, await ref.registry(), undefined, {}))),
  a('registryVersions', async ({ client, ref }) => first(artifacts.registryVersions(client, await ref.registry(), undefined, {}))),
  a('listRegistryMembers', async ({ client, ref }) => artifacts.listRegistryMembers(client, await ref.registry())),
  a('addRegistryMembers', async ({ client, ref, server }) => artifacts.addRegistryMembers(client, await ref.registry(), [userId(server, 'bob')])),
  a('updateRegistryMember', async ({ client, ref, server }) => artifacts.updateRegistryMember(client, await ref.registry(), userId(server, 'bob'), 'viewer')),
  a('removeRegistryMembers', async ({ client, ref, server }) => artifacts.removeRegistryMembers(client, await ref.registry(), [userId(server, 'bob')])),

  // ---- launch
  l('getRunQueue', ({ client }) => launch.getRunQueue(client, 'demo', 'default')),
  l('createRunQueue', (ctx) => scratchQueue(ctx, 'create')),
  l('upsertRunQueue', ({ client, unique }) => launch.upsertRunQueue(client, `upsert-${unique}`, 'local-container', { entity: 'demo', config: {} })),
  l('deleteRunQueue', ({ client }, queue: launch.RunQueue) => launch.deleteRunQueue(client, queue), (ctx) => scratchQueue(ctx, 'delete')),
  l('runQueueItems', async ({ client, ref }) => first(launch.runQueueItems(client, await ref.queue()))),
  l('pushToRunQueue', ({ client }, queue: launch.RunQueue) => launch.pushToRunQueue(client, queue, { job: `${P}/job-train:v1` }), (ctx) => scratchQueue(ctx, 'push')),
  l('popRunQueueItem', ({ client }, queue: launch.RunQueue) => launch.popRunQueueItem(client, queue), async (ctx) => {
    const queue = await scratchQueue(ctx, 'pop');
    await launch.pushToRunQueue(ctx.client, queue, { job: `${P}/job-train:v1` });
    return queue;
  }),
  l('ackRunQueueItem', ({ client }, itemId: string) => launch.ackRunQueueItem(client, itemId, 'acked-run'), (ctx) => poppedItem(ctx, 'ack')),
  l('failRunQueueItem', ({ client }, itemId: string) => launch.failRunQueueItem(client, itemId, { stage: 'run', message: 'failed' }), (ctx) => poppedItem(ctx, 'fail')),
  l('getQueuedRun', async ({ client, ref }) => launch.getQueuedRun(client, (await launch.runQueueItems(client, await ref.queue()).toArray({ limit: 1 }))[0]!)),
  l('queuedRunState', async ({ client, ref }) => launch.queuedRunState(client, (await launch.runQueueItems(client, await ref.queue()).toArray({ limit: 1 }))[0]!)),
  l('deleteQueuedRun', ({ client }, item: launch.QueuedRun) => launch.deleteQueuedRun(client, item), async (ctx) =>
    launch.pushToRunQueue(ctx.client, await scratchQueue(ctx, 'del-item'), { job: `${P}/job-train:v1` }),
  ),
  l('waitUntilRunning', async ({ client, ref }) => launch.waitUntilRunning(client, await ref.claimed())),
  l('waitUntilFinished', async ({ client, ref }) => launch.waitUntilFinished(client, await ref.claimed())),
  l('listJobs', ({ client }) => first(launch.listJobs(client, 'demo', 'mnist-classifier'))),
  l('getJob', ({ client }) => launch.getJob(client, `${P}/job-train:v1`)),
  l('callJob', async ({ client, ref }, queue: launch.RunQueue) => launch.callJob(client, await ref.job(), { lr: 0.1, epochs: 1, optimizer: 'adam' }, { queue: queue.name, entity: 'demo' }), (ctx) =>
    scratchQueue(ctx, 'call'),
  ),

  // ---- admin
  ad('getUser', ({ client }) => admin.getUser(client, 'bob')),
  ad('listUsers', ({ client }) => admin.listUsers(client, 'bob')),
  ad('createUser', ({ client, unique }) => admin.createUser(client, `legacy-${unique}@example.com`)),
  ad('generateApiKey', ({ client }) => admin.generateApiKey(client, { description: 'legacy' })),
  ad('deleteApiKey', async ({ client }) => {
    await admin.generateApiKey(client, { description: 'to delete' });
    const user = await admin.getUser(client, 'demo');
    return admin.deleteApiKey(client, user!, user!.apiKeys.find((k) => k.description === 'to delete')!.name);
  }),
  ad('getTeam', ({ client }) => admin.getTeam(client, 'vision-team')),
  ad('createTeam', ({ client, unique }) => admin.createTeam(client, `team-${unique}`)),
  ad('inviteMember', ({ client }) => admin.inviteMember(client, 'vision-team', 'carol')),
  ad('deleteMember', async ({ client, unique }) => {
    await admin.createTeam(client, `leave-${unique}`);
    await admin.inviteMember(client, `leave-${unique}`, 'carol');
    const team = await admin.getTeam(client, `leave-${unique}`);
    return admin.deleteMember(client, team.members.find((m) => m.username === 'carol')!);
  }),
  ad('createServiceAccount', ({ client }) => admin.createServiceAccount(client, 'vision-team', 'legacy bot')),
  ad('getOrganization', ({ client }) => admin.getOrganization(client, 'demo-org')),
  // ---- admin: automations, integrations, secrets, custom charts
  ad('listIntegrations', ({ client }) => first(admin.listIntegrations(client, 'vision-team'))),
  ad('listWebhookIntegrations', ({ client }) => first(admin.listWebhookIntegrations(client, 'vision-team'))),
  ad('listSlackIntegrations', ({ client }) => first(admin.listSlackIntegrations(client, 'vision-team'))),
  ad('createWebhookIntegration', (ctx) => hook(ctx, 'created')),
  // A Slack integration of the server under test (the 2023 schema has no webhooks).
  ad('deleteIntegration', ({ client }, id: string) => admin.deleteIntegration(client, id), async ({ server, unique }) =>
    (await server.seed.slackIntegration({ entity: 'vision-team', teamName: 'legacy', channelName: `gone-${unique}` })).id,
  ),
  ad('setSecret', ({ client }) => admin.setSecret(client, 'vision-team', 'LEGACY_TOKEN', 'value')),
  ad('listSecrets', ({ client }) => admin.listSecrets(client, 'vision-team')),
  ad('createAutomation', async (ctx) => admin.createAutomation(ctx.client, admin.onRunState({ scope: await ctx.ref.project(), filter: admin.RunEvent.state.eq('crashed') }).do(admin.doNothing()), { name: `created-${ctx.unique}` })),
  ad('getAutomation', async (ctx) => {
    await admin.createAutomation(ctx.client, admin.onRunState({ scope: await ctx.ref.project(), filter: admin.RunEvent.state.eq('crashed') }).do(admin.doNothing()), { name: `read-${ctx.unique}` });
    return admin.getAutomation(ctx.client, `read-${ctx.unique}`, { entity: 'vision-team' });
  }),
  ad('listAutomations', ({ client }) => first(admin.listAutomations(client, 'vision-team'))),
  ad('updateAutomation', async (ctx) => {
    const made = await admin.createAutomation(ctx.client, admin.onRunState({ scope: await ctx.ref.project(), filter: admin.RunEvent.state.eq('crashed') }).do(admin.doNothing()), { name: `update-${ctx.unique}` });
    return admin.updateAutomation(ctx.client, { ...made, enabled: false });
  }),
  ad('deleteAutomation', async (ctx) => {
    const made = await admin.createAutomation(ctx.client, admin.onRunState({ scope: await ctx.ref.project(), filter: admin.RunEvent.state.eq('crashed') }).do(admin.doNothing()), { name: `delete-${ctx.unique}` });
    return admin.deleteAutomation(ctx.client, made);
  }),
  ad('createCustomChart', ({ client, unique }) => admin.createCustomChart(client, { entity: 'vision-team', name: `chart-${unique}`, displayName: 'Chart', access: 'private', spec: { mark: 'bar' } })),
  ad('getCustomChart', async ({ client, unique }) => {
    const id = await admin.createCustomChart(client, { entity: 'vision-team', name: `read-${unique}`, displayName: 'Chart', access: 'private', spec: {} });
    return admin.getCustomChart(client, id);
  }),
  ad('deleteCustomChart', async ({ client, unique }) => {
    const id = await admin.createCustomChart(client, { entity: 'vision-team', name: `gone-${unique}`, displayName: 'Chart', access: 'private', spec: {} });
    return admin.deleteCustomChart(client, id);
  }),
];

/** A run file with its URLs on `server` (the fixture's are the current server's). */
function onServer(file: runs.RunFile, server: LocalServer): runs.RunFile {
  const rebase = (url: string) => url.replace(/^https?:\/\/[^/]+/, server.url);
  return { ...file, url: rebase(file.url) };
}

/** A user's global id (`User:<n>`, base64), as registry member calls take it. */
function userId(server: LocalServer, username: string): { id: string } {
  return { id: Buffer.from(`User:${server.store.users.byName(username)!.id}`).toString('base64') };
}
