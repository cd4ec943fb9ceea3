import { AbortError } from './errors.js';

/** A signal that fires when any of the given signals fires (AbortSignal.any is not everywhere yet). */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): {
  /** Fires when any of the given signals fires. */
  signal: AbortSignal;
  /** Removes the listeners from the given signals. */
  dispose(): void;
} {
  const given = signals.filter((s) => s) as AbortSignal[];
  // One signal needs no joining (the usual attempt: no caller signal, only its own timers').
  if (given.length === 1) return { signal: given[0]!, dispose() {} };
  const controller = new AbortController();
  const abort = () => controller.abort(signals.find((s) => s?.aborted)?.reason);
  for (const s of signals) s?.aborted ? abort() : s?.addEventListener('abort', abort);
  return { signal: controller.signal, dispose: () => signals.forEach((s) => s?.removeEventListener('abort', abort)) };
}

/** Throws AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The AbortError for a fired signal, its reason as the cause (one message for the whole SDK). */
export function abortError(signal: AbortSignal | undefined): AbortError {
  return new AbortError('The operation was aborted.', { cause: signal?.reason });
}

/**
 * `promise`, or AbortError as soon as the signal fires (then `onAbort` runs; the promise goes on
 * unobserved).
 * @example const value = await abortable(sharedLoad, options.signal, () => {});
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      reject(abortError(signal));
      onAbort();
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort);
    promise.then(resolve, reject).finally(() => signal?.removeEventListener('abort', abort));
  });
}

/** Waits `ms` (forever when it exceeds what a timer holds), or rejects with AbortError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return abortable(new Promise<void>((resolve) => ms < 2 ** 31 && (timer = setTimeout(resolve, ms))), signal, () => clearTimeout(timer));
}
