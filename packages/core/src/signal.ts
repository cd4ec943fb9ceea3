import { AbortError } from './errors.js';

/** A signal that fires when any of the given signals fires (AbortSignal.any is not everywhere yet). */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): {
  /** Fires when any of the given signals fires. */
  signal: AbortSignal;
  /** Removes the listeners from the given signals. */
  dispose(): void;
} {
  const controller = new AbortController();
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => present.forEach((s) => s.removeEventListener('abort', onAbort)),
  };
}

/** Throws AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The AbortError for a fired signal, its reason as the cause (one message for the whole SDK). */
export function abortError(signal: AbortSignal | undefined): AbortError {
  return new AbortError('The operation was aborted.', { cause: signal?.reason });
}

/** Waits `ms` (forever when it exceeds what a timer holds), or rejects with AbortError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = ms < 2 ** 31 ? setTimeout(done, ms) : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
