// Use-case "read one run's history": the sampled rows and the exact scan, no facade.
import { createClient } from '@wandb-api/core';
import { getHistory, scanHistory } from '@wandb-api/runs';

const client = createClient({ apiKey: 'x'.repeat(40) });
const rows = await getHistory(client, 'acme/mnist/abc123', { keys: ['loss'], samples: 200 });
console.log(rows.length);
for await (const row of scanHistory(client, 'acme/mnist/abc123', { keys: ['loss'] })) console.log(row._step, row.loss);
