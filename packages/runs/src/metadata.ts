import { type CallOptions, NotFoundError, type WandbClient, parseJson } from '@wandb-api/core';
import { fetchFileBytes, getFile } from './files.js';
import type { RunLocator } from './locate.js';

/** The file W&B's SDK writes with the run's environment (host, python, git, args, GPU …). */
export const METADATA_FILE = 'wandb-metadata.json';

/**
 * The run's metadata (`wandb-metadata.json`), or null when the run has none. Unlike Python, which
 * returns None on *any* failure, network and permission errors are thrown as typed errors.
 * @example const meta = await getRunMetadata(client, 'acme/mnist/abc123'); console.log(meta?.host);
 */
export async function getRunMetadata(client: WandbClient, run: RunLocator, options?: CallOptions): Promise<Record<string, unknown> | null> {
  let bytes: Uint8Array;
  try {
    bytes = await fetchFileBytes(client, await getFile(client, run, METADATA_FILE, options), options);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  const value = parseJson(new TextDecoder().decode(bytes));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
