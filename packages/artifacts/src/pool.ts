// A bounded-concurrency pool: N lanes pull items from one (possibly async) iterator, so an input
// that is itself fetched page by page is read only as fast as the work drains it.
import { AbortError } from '@wandb-api/core';

/** Options of `runPool`. */
export interface PoolOptions {
  /** Lanes working at once (≥ 1). */
  concurrency: number;
  /** Stops pulling items and aborts the workers' signal. */
  signal?: AbortSignal;
}

/**
 * Runs `worker` over `items`, at most `concurrency` at a time. The first failure (or the caller's
 * abort) stops pulling items and aborts the signal the running workers got; the pool then waits
 * for every running worker to settle (so they can clean up) and rejects with that first error
 * (an AbortError when the caller aborted). `items` may be a function of the pool's signal, so an
 * input that makes requests (pages of URLs) stops with the pool.
 * @example await runPool(urls, async (url, signal) => void (await fetch(url, { signal })), { concurrency: 8 });
 */
export async function runPool<T>(
  items: Iterable<T> | AsyncIterable<T> | ((signal: AbortSignal) => AsyncIterable<T>),
  worker: (item: T, signal: AbortSignal) => Promise<void>,
  options: PoolOptions,
): Promise<void> {
  const { concurrency, signal } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const abortedByCaller = () => new AbortError('The operation was aborted.', { cause: signal?.reason });
  if (signal?.aborted) throw abortedByCaller();
  // One controller per lane (and one for the input) rather than one shared signal: dozens of
  // workers listening on a single AbortSignal trip Node's listener-leak warning.
  const controllers: AbortController[] = [];
  const newController = () => {
    const controller = new AbortController();
    controllers.push(controller);
    return controller;
  };
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (failure) return;
    failure = { error };
    for (const controller of controllers) controller.abort(error);
  };
  const onAbort = () => fail(abortedByCaller());
  signal?.addEventListener('abort', onAbort, { once: true });
  const source = typeof items === 'function' ? items(newController().signal) : items;
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
  let exhausted = false;
  const lane = async () => {
    const { signal: laneSignal } = newController();
    while (!exhausted && !failure) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        fail(error);
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      if (failure) return;
      try {
        await worker(next.value, laneSignal);
      } catch (error) {
        fail(error);
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) {
    // Let a generator run its finally blocks; its own error must not hide the first one.
    if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => {});
    throw signal?.aborted ? abortedByCaller() : failure.error;
  }
}
