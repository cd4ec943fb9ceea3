// The floor: a bare urql client with fetchExchange and nothing of ours. Every wandb-api bundle
// contains at least this, so the table shows each size next to it.
import { Client, fetchExchange } from '@urql/core';

const client = new Client({ url: 'https://api.wandb.ai/graphql', exchanges: [fetchExchange] });
client
  .query('query Viewer { viewer { id } }', {})
  .toPromise()
  .then((result) => console.log(result.data));
