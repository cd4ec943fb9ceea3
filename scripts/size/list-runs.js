// Use-case "list runs with a filter": the tree-shaken functions, no facade.
import { createClient } from '@wandb-api/core';
import { listRuns } from '@wandb-api/runs';

const client = createClient({ apiKey: 'x'.repeat(40) });
const runs = listRuns(client, 'acme/mnist', {
  filters: { 'config.optimizer': 'adam', state: 'finished' },
  order: '-summary_metrics.accuracy',
});
console.log(await runs.count());
for await (const run of runs) console.log(run.id, run.name, run.state);
