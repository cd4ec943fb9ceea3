// Downloads run their work through core's one pool, unordered, and wait for all of it.
import { type PoolOptions, pool } from '@wandb-api/core';

/**
 * Runs `worker` over `items`, at most `concurrency` at a time, in any order, and waits for every
 * one (core's `pool`: the first failure or the caller's abort stops it and is thrown once the
 * running workers settled).
 * @example await runPool(urls, async (url, signal) => void (await fetch(url, { signal })), { concurrency: 8 });
 */
export async function runPool<T>(
  items: Iterable<T> | AsyncIterable<T> | ((signal: AbortSignal) => AsyncIterable<T>),
  worker: (item: T, signal: AbortSignal) => Promise<void>,
  options: PoolOptions,
): Promise<void> {
  for await (const _ of pool(items, worker, { ...options, ordered: false }));
}
