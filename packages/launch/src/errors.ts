import { WandbError } from '@wandb-api/core';

/**
 * A Launch operation the server refused or could not complete: a queue not created, an item that
 * failed while waiting for it, a push that returned no item (Python's `LaunchError`).
 * @example try { await waitUntilRunning(client, item); } catch (e) { if (e instanceof LaunchError) console.error(e.message); }
 */
export class LaunchError extends WandbError {
  static override readonly kind: string = 'LaunchError';
}
