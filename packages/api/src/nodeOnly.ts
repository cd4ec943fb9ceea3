// The facade's one rule for functions only the Node entries of the subpackages export (reached
// through the `node` export condition): the function, or a ValidationError that says what to do.
import { ValidationError } from '@wandb-api/core';

/**
 * Returns `fn`, or throws a ValidationError saying `what` needs Node (plus `instead`, a browser-safe
 * alternative) when this runtime's entry does not have it. Callers read `fn` statically
 * (`(mod as T).name`, never `mod[name]`): a computed read makes bundlers keep every export.
 * @example const download = nodeOnly((runs as NodeFns).downloadFile, 'downloadFile reads or writes local files');
 */
export function nodeOnly<F>(fn: F | undefined, what: string, instead?: string): F {
  if (!fn) throw new ValidationError(`${what} and needs Node${instead ? `; in a browser use ${instead}` : ''}.`);
  return fn;
}
