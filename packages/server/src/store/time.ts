/**
 * W&B's DateTime wire format: UTC, second precision, no zone suffix ("2024-05-01T12:00:00").
 * Stored the same way so ISO strings compare lexically in SQL.
 */
import { UserInputError } from '../errors';

const WANDB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export function wandbTime(input: Date | string | number = Date.now()): string {
  if (typeof input === 'string' && WANDB_TIME.test(input)) return input;
  // A zone-less ISO string means UTC here, as on W&B; Date would read it as local time.
  const date =
    typeof input === 'string'
      ? new Date(/T[^Zz+-]*$/.test(input) ? `${input}Z` : input)
      : new Date(input);
  if (Number.isNaN(date.getTime())) throw new UserInputError(`invalid date: ${String(input)}`);
  return date.toISOString().slice(0, 19);
}
