// The one bounded-concurrency pool of the SDK (downloads, history windows, many runs' histories):
// up to N workers run over items pulled from a (possibly async) iterator, so an input that is
// itself fetched page by page is read only as fast as the work drains it.
import { ValidationError } from './errors.js';
import { abortError } from './signal.js';

/** Options of `pool`. */
export interface PoolOptions {
  /** Workers running at once (an integer ≥ 1), or a function asked before each start (a limit that adapts). */
  concurrency: number | (() => number);
  /** Stops pulling items and aborts the running workers' signals. */
  signal?: AbortSignal | undefined;
  /** Yield results in the order of the items (default), else as they finish. */
  ordered?: boolean;
  /**
   * Ordered only: how many results finished after the one awaited may wait for it, so the other
   * workers go on while one item is slow (a retry, a stalled body). Default 0: a slow item holds
   * up every start behind it. The results kept in memory are at most `concurrency + runAhead`.
   */
  runAhead?: number;
}

/**
 * Runs `worker` over `items`, at most `concurrency` at a time, and yields the results. A new item
 * is started only when the caller asks for the next result, so nothing is requested after the
 * caller stops (break, return); then the running workers' signals fire and the pool waits for them
 * to settle. The first failure (or the caller's abort: AbortError) stops it the same way and is
 * thrown. `items` may be a function of the pool's signal, so an input that makes requests stops
 * with the pool.
 * @example for await (const rows of pool(windows, (w, signal) => fetchWindow(w, signal), { concurrency: 4 })) console.log(rows.length);
 */
export async function* pool<I, O>(
  items: Iterable<I> | AsyncIterable<I> | ((signal: AbortSignal) => AsyncIterable<I>),
  worker: (item: I, signal: AbortSignal) => Promise<O>,
  { concurrency, signal, ordered = true, runAhead = 0 }: PoolOptions,
): AsyncGenerator<O, void, undefined> {
  const limit = typeof concurrency === 'function' ? concurrency : () => concurrency;
  if (typeof concurrency !== 'function' && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new ValidationError(`concurrency must be an integer ≥ 1, got ${String(concurrency)}.`);
  }
  if (!Number.isInteger(runAhead) || runAhead < 0) throw new ValidationError(`runAhead must be an integer ≥ 0, got ${String(runAhead)}.`);
  // One controller per worker (and one for the input) rather than one shared signal: dozens of
  // requests listening on a single AbortSignal trip Node's listener-leak warning.
  const controllers = new Set<AbortController>();
  const controller = () => {
    const c = new AbortController();
    controllers.add(c);
    return c;
  };
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error: signal?.aborted ? abortError(signal) : error };
    for (const c of controllers) c.abort(failure.error);
  };
  const onAbort = () => fail(0);
  signal?.addEventListener('abort', onAbort);
  const source = typeof items === 'function' ? items(controller().signal) : items;
  const iterator: Iterator<I> | AsyncIterator<I> =
    Symbol.asyncIterator in source ? (source as AsyncIterable<I>)[Symbol.asyncIterator]() : (source as Iterable<I>)[Symbol.iterator]();
  type Slot = { value?: O; settled?: boolean; done: Promise<Slot> };
  const running: Slot[] = [];
  let exhausted = false;
  // Workers still at work (settled results may wait in `running` for the first, when ordered).
  const working = () => running.filter((s) => !s.settled).length;
  try {
    if (signal?.aborted) onAbort();
    for (;;) {
      while (!exhausted && !failure && (running.length === 0 || (running.length < limit() + runAhead && working() < limit()))) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else {
          const lane = controller();
          const slot = {} as Slot;
          slot.done = worker(next.value, lane.signal).then((value) => ((slot.value = value), (slot.settled = true), slot));
          slot.done.then(() => controllers.delete(lane), fail);
          running.push(slot);
        }
      }
      if (failure) throw 0;
      if (!running.length) return;
      // Ordered with run-ahead: any worker that ends may let another start; yield only the first.
      const awaited = !ordered ? running : runAhead ? running.filter((s, i) => i === 0 || !s.settled) : [running[0]!];
      const slot = await Promise.race(awaited.map((s) => s.done));
      if (ordered && slot !== running[0]) continue;
      running.splice(running.indexOf(slot), 1);
      yield slot.value!;
    }
  } catch (error) {
    fail(error);
    throw failure!.error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const c of controllers) c.abort();
    await Promise.allSettled(running.map((s) => s.done));
    // Let a generator input run its finally blocks; its own error must not hide the first one.
    if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
