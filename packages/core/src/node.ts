/**
 * What Node gets from `@wandb-api/core` (the `node` export condition): the browser entry plus W&B's
 * settings and netrc files, and the local-disk rules downloads share (no symbolic links, owned temp files).
 * @module @wandb-api/core/node
 */
// @wandb-api/core for Node: everything of the browser entry, with a createClient that also reads
// W&B's settings files and the API key from the netrc file.
import { WandbClient } from './client.js';
import { type ClientOptions, processEnv, resolveConfig } from './config.js';
import { configFiles } from './configFiles.node.js';
import { ValidationError } from './errors.js';
import { networkCause } from './networkCause.node.js';
import { nodeDefaults } from './proxy.node.js';

export * from './index.js';
export { configFiles, netrcApiKey, netrcPath, parseSettings, readSettings, settingsPaths } from './configFiles.node.js';
export { type DownloadTemp, assertNoSymlinks, downloadTempPath, openDownloadTemp, removeStaleTemps, symlinkError, writeDownload } from './downloadTarget.node.js';
export { httpFetch } from './httpFetch.node.js';
export { proxyFetch } from './proxy.node.js';

/**
 * Creates a client. Options override the environment (WANDB_API_KEY, WANDB_BASE_URL,
 * WANDB_ENTITY, WANDB_PROJECT, WANDB_ORGANIZATION, WANDB_HTTP_TIMEOUT), which overrides W&B's
 * settings file (`base_url`, `entity`, `project`, `organization`); without a key, the netrc entry
 * for the base URL's host is used. Log lines go to stderr; HTTPS_PROXY / HTTP_PROXY / NO_PROXY are
 * honoured.
 * @example const client = createClient({ baseUrl: 'http://localhost:8080' });
 */
export function createClient(options: ClientOptions = {}): WandbClient {
  const env = options.env ?? processEnv();
  const files = configFiles(options.env);
  // An identity token file may not be set with WANDB_API_KEY (as in Python); an apiKey option wins over both.
  if (files.identity && !options.apiKey?.trim() && env.WANDB_API_KEY?.trim()) {
    throw new ValidationError('Both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE are set: unset one of them.');
  }
  return new WandbClient(resolveConfig(nodeDefaults(options, env), { ...files, networkCause }));
}
