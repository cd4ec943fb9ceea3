// The time source of the request loop: backoff waits, attempt timeouts and idle timeouts all go
// through one Clock, so tests can drive them without real sleeps (`createClient({ clock })`).
import { sleep } from './signal.js';

/** Longest delay a JavaScript timer holds (2³¹−1 ms, 24.8 days); longer ones would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the request loop needs of time: the current time, a cancellable wait (backoff) and timers (timeouts). */
export interface Clock {
  /** The current time in ms (as Date.now()). */
  now(): number;
  /** Waits `ms` (a backoff), or rejects with AbortError as soon as the signal fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `callback` after `ms` (a timeout); returns a handle for clearTimeout. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer set with setTimeout. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: Date.now and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Calls `callback` after `ms` on `clock`; returns the function that cancels it. A delay that is
 * infinite or beyond what a timer holds never fires (a timer would fire at once instead).
 */
export function timer(clock: Clock, ms: number, callback: () => void): () => void {
  if (!(ms <= MAX_TIMER_MS)) return () => {};
  const handle = clock.setTimeout(callback, ms);
  return () => clock.clearTimeout(handle);
}
