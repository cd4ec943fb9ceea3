/**
 * W&B's DateTime wire format: UTC, second precision, no zone suffix ("2024-05-01T12:00:00").
 * Stored the same way so ISO strings compare lexically in SQL.
 */
import { UserInputError } from '../errors';

const WANDB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

let frozenAt: number | undefined;

/** The store's clock: the real time, or the fixed time of a {@link atFixedTime} call in progress. */
export function storeNow(): number {
  return frozenAt ?? Date.now();
}

/**
 * Runs a synchronous `work` (a seed) with {@link storeNow} stopped at `time`, so everything it creates
 * without a date of its own gets the same date on every run. Synchronous on purpose: nothing else
 * can run while the clock is stopped.
 */
export function atFixedTime<T>(time: number, work: () => T): T {
  const previous = frozenAt;
  frozenAt = time;
  try {
    return work();
  } finally {
    frozenAt = previous;
  }
}

export function wandbTime(input: Date | string | number = storeNow()): string {
  if (typeof input === 'string' && WANDB_TIME.test(input)) return input;
  // A zone-less ISO string means UTC here, as on W&B; Date would read it as local time.
  const date =
    typeof input === 'string'
      ? new Date(/T[^Zz+-]*$/.test(input) ? `${input}Z` : input)
      : new Date(input);
  if (Number.isNaN(date.getTime())) throw new UserInputError(`invalid date: ${String(input)}`);
  return date.toISOString().slice(0, 19);
}
