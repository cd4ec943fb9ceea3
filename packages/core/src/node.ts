/**
 * What Node gets from `@wandb-api/core` (the `node` export condition): the browser entry plus netrc lookup.
 * @module @wandb-api/core/node
 */
// @wandb-api/core for Node: everything of the browser entry, with a createClient that also
// reads the API key from the netrc file.
import { WandbClient } from './client.js';
import { type ClientOptions, processEnv, resolveConfig } from './config.js';
import { netrcApiKey } from './credentials.node.js';
import { nodeDefaults } from './proxy.node.js';

export * from './index.js';
export { netrcApiKey, netrcPath } from './credentials.node.js';
export { proxyFetch } from './proxy.node.js';

/**
 * Creates a client. Options override the environment (WANDB_API_KEY, WANDB_BASE_URL,
 * WANDB_ENTITY, WANDB_PROJECT, WANDB_HTTP_TIMEOUT), which overrides the netrc file. Log lines go
 * to stderr; HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured.
 * @example const client = createClient({ baseUrl: 'http://localhost:8080' });
 */
export function createClient(options: ClientOptions = {}): WandbClient {
  return new WandbClient(resolveConfig(nodeDefaults(options, options.env ?? processEnv()), (baseUrl) => netrcApiKey(baseUrl, options.env)));
}
