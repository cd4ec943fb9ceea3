// The same entries from a CommonJS file (node16): these resolve to the .d.cts declarations.
import { Api, WandbClient } from 'wandb-api';
import { listRuns } from 'wandb-api/runs';
import type * as core from 'wandb-api/core';
import type * as artifacts from 'wandb-api/artifacts';
import type * as launch from 'wandb-api/launch';
import type * as admin from 'wandb-api/admin';
import { createClient } from '@wandb-api/core';
import type { RunFilter } from '@wandb-api/runs';

const client: WandbClient = createClient({ baseUrl: 'http://localhost:8080' });
const filters: RunFilter = { tags: { $in: ['baseline'] } };
const runs = listRuns(client, 'acme/mnist', { filters });
const api: Api = new Api(client);
const errors: Array<typeof core.WandbError> = [];
type Empty = [typeof artifacts, typeof launch, typeof admin];
export { api, errors, runs, type Empty };
