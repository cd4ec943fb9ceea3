// Type tests of typed runs, compiled against the BUILT packages by scripts/check-pkg.mjs under
// node16 and bundler resolution with each supported TypeScript. Valid filters and orders compile;
// each invalid one carries a `@ts-expect-error` that fails the build if it ever compiles. Nothing runs.
import { expectTypeOf } from 'expect-type';
import {
  Api,
  type ArtifactCollectionFilter,
  type ArtifactVersionFilter,
  type Paginated,
  type RegistryFilter,
  type RegistryOrder,
  type Run,
  type RunFilter,
  type RunOrder,
  type SweepFilter,
} from 'wandb-api';
import { type LightRun as LightRunData, type Run as RunData, bestRun, getRun, listRuns, runsToRows, sweepRuns } from 'wandb-api/runs';

const api = new Api({ apiKey: 'x'.repeat(40) });
const client = api.client;

// ---- The examples, untyped (the default config and summary types).
export const plain: RunFilter = { 'config.lr': { $gt: 1 }, state: 'finished', 'summary_metrics.val/loss': { $lt: 0.5 } };
// @ts-expect-error a misspelt operator
export const badOperator: RunFilter = { 'config.lr': { $gtt: 1 } };
// @ts-expect-error a misspelt field
export const badField: RunFilter = { stat: 'finished' };
// @ts-expect-error a misspelt state
export const badState: RunFilter = { state: 'finishd' };
// @ts-expect-error an operator at the top level that W&B does not have
export const badLogical: RunFilter = { $not: { state: 'finished' } };
export const nested: RunFilter = {
  $or: [{ tags: 'best' }, { tags: { $in: ['a', 'b'] } }, { $and: [{ group: 'g' }, { createdAt: { $gte: '2026-01-01T00:00:00Z' } }] }],
  $nor: [{ 'config.opt.value.name': { $regex: '^ad', $options: 'i' } }],
  duration: { $gt: 60 },
  display_name: null,
};
// @ts-expect-error a misspelt operator, deep inside $or
export const badDeep: RunFilter = { $or: [{ state: 'running' }, { duration: { $gte: 1, $lts: 2 } }] };
// @ts-expect-error duration is a number
export const badDuration: RunFilter = { duration: { $gt: '60' } };
// @ts-expect-error tags have no order
export const badTags: RunFilter = { tags: { $gt: 'a' } };

export const orders: RunOrder[] = ['+created_at', '-createdAt', 'heartbeat_at', '-summary_metrics.accuracy', '+config.lr.value', 'config.lr'];
// @ts-expect-error SQL's direction
export const sqlOrder: RunOrder = 'accuracy desc';
// @ts-expect-error a missing prefix
export const bareOrder: RunOrder = '-accuracy';
// @ts-expect-error tags have no order
export const tagsOrder: RunOrder = '-tags';

// ---- Typed by the caller's config and summary.
interface TrainConfig {
  lr: number;
  batch_size: 16 | 32 | 64;
  optimizer: { name: 'adam' | 'sgd'; betas?: readonly number[]; schedule: { warmup: number; kind: 'cosine' | 'linear' } };
  model: { encoder: { layers: number; attention: { heads: number; dropout: number; rope: { base: number; scaling: { factor: number } } } } };
  tags?: string[];
  note: string | null;
}
interface TrainSummary {
  accuracy: number;
  loss: number;
  'val/loss'?: number;
  best: { epoch: number };
}
type F = RunFilter<TrainConfig, TrainSummary>;
type O = RunOrder<TrainConfig, TrainSummary>;

export const typed: F = {
  'config.lr': { $gte: 1e-4, $lt: 0.1 },
  'config.batch_size': { $in: [16, 32] },
  'config.optimizer.name': 'adam',
  'config.optimizer.value.schedule.kind': { $ne: 'linear' },
  'config.lr.value': { $exists: true },
  'config.model.encoder.attention.heads': { $gt: 4 },
  'config.note': { $regex: 'ablation' },
  'summary_metrics.val/loss': { $lte: 0.3 },
  'summary_metrics.best.epoch': 3,
  $or: [{ state: 'crashed' }, { 'summary_metrics.accuracy': { $gt: 0.9 } }],
};
// @ts-expect-error a config key C lacks
export const typo: F = { 'config.lrr': 0.1 };
// @ts-expect-error a value outside the literal type
export const badLiteral: F = { 'config.optimizer.name': 'adamw' };
// @ts-expect-error a string operand on a number
export const badOperand: F = { 'config.lr': { $lt: '0.1' } };
// @ts-expect-error $in of the wrong type
export const badIn: F = { 'config.batch_size': { $in: [128] } };
// @ts-expect-error $regex on a number
export const badRegex: F = { 'summary_metrics.accuracy': { $regex: '^0.9' } };
// @ts-expect-error a summary key S lacks
export const badSummary: F = { 'summary_metrics.acc': { $gt: 0.9 } };
export const deep: F = { 'config.model.encoder.attention.rope.base': 10_000 };
// @ts-expect-error paths stop at 5 keys (the compiler stays fast on deep configs)
export const tooDeep: F = { 'config.model.encoder.attention.rope.scaling.factor': 2 };

export const typedOrders: O[] = ['-summary_metrics.accuracy', '+config.model.encoder.layers', '-config.optimizer.value.schedule.warmup', 'created_at'];
// @ts-expect-error a summary key S lacks
export const badTypedOrder: O = '-summary_metrics.acc';

async function results(signal: AbortSignal): Promise<void> {
  // api.runs<C, S>: runs typed end to end (the issue's `run.summary.accuracy * 2`).
  const runs = api.runs<TrainConfig, TrainSummary>('acme/mnist', { filters: typed, order: '-summary_metrics.accuracy', signal });
  expectTypeOf(runs).toEqualTypeOf<Paginated<Run<TrainConfig, TrainSummary>>>();
  for await (const run of runs) {
    expectTypeOf(run.summary.accuracy * 2).toEqualTypeOf<number>();
    expectTypeOf(run.config.optimizer.name).toEqualTypeOf<'adam' | 'sgd'>();
    expectTypeOf(run.config.lr).toEqualTypeOf<number>();
  }
  // @ts-expect-error the filter is checked against the config type given
  api.runs<TrainConfig, TrainSummary>('acme/mnist', { filters: { 'config.lrr': 1 } });
  // @ts-expect-error and so is the order
  api.runs<TrainConfig, TrainSummary>('acme/mnist', { order: '-summary_metrics.acc' });
  expectTypeOf(api.runs<TrainConfig>('acme/mnist', { lazy: true })).toEqualTypeOf<Paginated<import('wandb-api').LightRun>>();

  // Untyped runs stay `Record<string, unknown>`: a use needs a type.
  const untyped = await api.run('acme/mnist/abc');
  expectTypeOf(untyped.summary).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  // @ts-expect-error unknown is no number
  console.log(untyped.summary.accuracy * 2);

  // A validator (any `(value: unknown) => T`, e.g. a zod schema's parse) infers the type.
  const parseConfig = (value: unknown): TrainConfig => value as TrainConfig;
  const validated = await api.run('acme/mnist/abc', { validate: { config: parseConfig } });
  expectTypeOf(validated.config).toEqualTypeOf<Readonly<TrainConfig>>();
  expectTypeOf(validated.summary).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  const inferred = api.runs('acme/mnist', { filters: { 'config.optimizer.name': 'sgd' }, validate: { config: parseConfig } });
  expectTypeOf(inferred).toEqualTypeOf<Paginated<Run<TrainConfig, Record<string, unknown>>>>();
  // @ts-expect-error the filter follows the validator's type
  api.runs('acme/mnist', { filters: { 'config.optimizer.name': 'rmsprop' }, validate: { config: parseConfig } });
  expectTypeOf((await validated.load<TrainConfig, TrainSummary>()).summary.loss).toEqualTypeOf<number>();

  // The functions of wandb-api/runs.
  expectTypeOf(listRuns<TrainConfig, TrainSummary>(client, 'acme/mnist', { full: true, filters: typed })).toEqualTypeOf<Paginated<RunData<TrainConfig, TrainSummary>>>();
  expectTypeOf(listRuns<TrainConfig, TrainSummary>(client, 'acme/mnist', { filters: typed })).toEqualTypeOf<Paginated<LightRunData>>();
  expectTypeOf(await getRun<TrainConfig, TrainSummary>(client, 'acme/mnist/abc')).toEqualTypeOf<RunData<TrainConfig, TrainSummary>>();
  expectTypeOf(sweepRuns<TrainConfig, TrainSummary>(client, 'acme/mnist/k3x9q2ab', { full: true })).toEqualTypeOf<Paginated<RunData<TrainConfig, TrainSummary>>>();
  expectTypeOf(await bestRun<TrainConfig, TrainSummary>(client, 'acme/mnist/k3x9q2ab', { order: 'loss' })).toEqualTypeOf<RunData<TrainConfig, TrainSummary> | null>();
  // @ts-expect-error bestRun takes bare summary keys (as Python's format_order_key), from S
  await bestRun<TrainConfig, TrainSummary>(client, 'acme/mnist/k3x9q2ab', { order: 'acc' });
  const sweep = await api.sweep('acme/mnist/k3x9q2ab');
  expectTypeOf(sweep.runs<TrainConfig, TrainSummary>()).toEqualTypeOf<Paginated<Run<TrainConfig, TrainSummary>>>();
  expectTypeOf(await sweep.bestRun<TrainConfig, TrainSummary>()).toEqualTypeOf<Run<TrainConfig, TrainSummary> | null>();

  // runsToRows: columns checked against C and S; each value typed (possibly missing when the
  // columns' literals are not inferred, as with explicit <C, S>); exact rows when they are.
  const rows = await api.runsToRows<TrainConfig, TrainSummary>('acme/mnist', { columns: ['id', 'config.lr', 'summary.best.epoch', 'state'] });
  expectTypeOf(rows[0]!['config.lr']).toEqualTypeOf<number | null | undefined>();
  expectTypeOf(rows[0]!['summary.best.epoch']).toEqualTypeOf<number | null | undefined>();
  expectTypeOf(rows[0]!.id).toEqualTypeOf<string | undefined>();
  // @ts-expect-error a column C lacks
  await api.runsToRows<TrainConfig, TrainSummary>('acme/mnist', { columns: ['config.lrr'] });
  const untypedRows = await runsToRows(client, 'acme/mnist');
  expectTypeOf(untypedRows[0]!.state).toEqualTypeOf<import('wandb-api').RunState | undefined>();
  expectTypeOf(untypedRows[0]!['config.anything']).toEqualTypeOf<unknown>();
  const fromRuns = await runsToRows(listRuns<TrainConfig, TrainSummary>(client, 'acme/mnist', { full: true }), { columns: ['id', 'summary.loss'] });
  expectTypeOf(fromRuns[0]!).toEqualTypeOf<{ readonly id: string; readonly 'summary.loss': number | null }>();
  const validatedRows = await api.runsToRows('acme/mnist', { validate: { config: parseConfig }, columns: ['config.optimizer.name'] });
  expectTypeOf(validatedRows[0]!['config.optimizer.name']).toEqualTypeOf<'adam' | 'sgd' | null>();
}
console.log(results);

// ---- The other filter dialects: sweeps, registries, collections and versions.
export const sweeps: SweepFilter = { state: { $in: ['RUNNING', 'PAUSED'] }, method: 'bayes', bestLoss: { $lt: 0.2 } };
// @ts-expect-error sweep states are upper case
export const badSweep: SweepFilter = { state: 'running' };
api.sweeps('acme/mnist', { filters: { $or: [{ name: 'k3x9q2ab' }, { displayName: { $regex: '^lr' } }] } });
// @ts-expect-error a misspelt sweep field
api.sweeps('acme/mnist', { filters: { stat: 'RUNNING' } });

export const registries: RegistryFilter = { name: { $in: ['model', 'dataset'] }, $not: { description: { $contains: 'old' } } };
// @ts-expect-error `tag` is a collection field, not a registry field
export const badRegistry: RegistryFilter = { tag: 'x' };
export const collections: ArtifactCollectionFilter = { $or: [{ tag: 'a' }, { name: { $regex: 'mnist' } }] };
export const versions: ArtifactVersionFilter = { alias: 'production', 'metadata.accuracy': { $gt: 0.9 }, version: { $in: ['v1', 2] } };
// @ts-expect-error a misspelt version field
export const badVersion: ArtifactVersionFilter = { aliass: 'production' };
export const registryOrder: RegistryOrder = '-created_at';
// @ts-expect-error registries order by name, created_at or updated_at
export const badRegistryOrder: RegistryOrder = '-size';
const regs = api.registries({ filter: registries, order: '+name' });
regs.collections(collections, { order: '-updated_at' }).versions(versions);
// @ts-expect-error a version field where a collection filter goes
regs.collections({ alias: 'production' });
api.artifactCollections('acme/mnist', 'model', { filters: { name: 'mnist-cnn' } });
