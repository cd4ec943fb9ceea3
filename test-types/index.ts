// Type test of every public entry, compiled against the BUILT packages (dist/*.d.ts, *.d.cts)
// by scripts/check-pkg.mjs, once per supported resolution: node16 and bundler. Nothing runs.
import { Api, type ApiOptions, LightRun, Run, type RunFilter, WandbClient, createClient } from 'wandb-api';
import * as core from 'wandb-api/core';
import { type ListRunsOptions, listRuns as listRunsFromFacade, getRun } from 'wandb-api/runs';
import * as artifacts from 'wandb-api/artifacts';
import * as launch from 'wandb-api/launch';
import * as admin from 'wandb-api/admin';
import { NotFoundError, Paginated, type PageResult, WandbError, parsePath, createClient as createCoreClient } from '@wandb-api/core';
import { type LightRun as LightRunData, type RunState, listRuns } from '@wandb-api/runs';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

// The facade re-exports core: one WandbClient class whichever entry it comes from.
const options: ApiOptions = { apiKey: 'x'.repeat(40), baseUrl: 'http://localhost:8080', timeout: 10 };
const api = new Api(options);
const client: WandbClient = api.client;
const same: core.WandbClient = createCoreClient({ baseUrl: 'http://localhost:8080' });
new Api(same);
new Api(createClient());
assertType<Equal<typeof core.createClient, typeof createCoreClient>>(true);

// Functions over a client, from the package and from the facade subpath.
const filters: RunFilter = { 'config.lr': { $lt: 0.01 }, state: 'finished' };
const runsOptions: ListRunsOptions = { filters, order: '-summary_metrics.accuracy', perPage: 10 };
const runs: Paginated<LightRunData> = listRuns(client, 'acme/mnist', runsOptions);
const fullRuns = listRunsFromFacade(client, 'acme/mnist', { full: true });
assertType<Equal<typeof listRuns, typeof listRunsFromFacade>>(true);

async function use(signal: AbortSignal): Promise<void> {
  const page: PageResult<LightRunData> = await runs;
  const state: RunState | undefined = page.items[0]?.state;
  for await (const run of fullRuns) console.log(run.id, run.name, run.state, state);
  const total: number = await runs.count();
  const one = await getRun(client, 'acme/mnist/abc123', { signal });
  console.log(total, one.id);

  // The facade's classes.
  for await (const run of api.runs('acme/mnist', { filters, lazy: true })) {
    if (run instanceof Run) console.log(run.config);
    const light: LightRun = run;
    console.log(light.id, light.tags.join(','));
  }
  try {
    await api.viewer({ signal });
  } catch (error) {
    if (error instanceof NotFoundError) console.log(error.message);
    if (error instanceof WandbError) throw error;
  }
}

const parsed = parsePath('acme/mnist/abc123');
console.log(parsed.kind, use);

// The empty packages still have stable import paths.
const empty: object[] = [artifacts, launch, admin];
console.log(empty.length);
