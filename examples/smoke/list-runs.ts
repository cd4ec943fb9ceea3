// Lists the runs of a project and prints one JSON line: the count and the first 3 run names.
// Runs unchanged under Node, Bun and Deno against the built packages (scripts/smoke-runtimes.mjs).
// The server, key and project come from the environment: WANDB_BASE_URL, WANDB_API_KEY,
// WANDB_ENTITY, WANDB_PROJECT (read by createClient itself).
import * as core from '@wandb-api/core';
import { listRuns } from '@wandb-api/runs';

const client = core.createClient();
const runs = listRuns(client, undefined, { perPage: 50 });
const first = (await runs.toArray({ limit: 3 })).map((run) => run.name);
console.log(
  JSON.stringify({
    count: await runs.count(),
    first,
    // Which entry of @wandb-api/core this runtime resolved (the `node` condition adds netrc).
    entry: 'netrcApiKey' in core ? 'node' : 'browser',
  }),
);
