// Log levels: the client writes through one filtered logger (config.logger), so a level set by
// `logLevel` or WANDB_API_LOG holds for the transport and for the domain packages' warnings alike.
import { mustBe } from './errors.js';

/** Where the SDK reports what it is doing: any console-like object. */
export interface Logger {
  /** A retry, a paging stall, a skipped reference … */
  warn(message: string): void;
  /** A failure worth a line even when the error is also thrown. */
  error?(message: string): void;
  /** One line per request: operation, status, attempt, ms. */
  info?(message: string): void;
  /** Request variables and other detail (API key redacted). */
  debug?(message: string): void;
}

/** How much the client logs; each level includes those after it (`off` logs nothing). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const LEVELS = ['debug', 'info', 'warn', 'error', 'off'] as const;

/**
 * The level in force: the given one (option or WANDB_API_LOG), else `warn` when there is a logger
 * to write to (Node's entry supplies stderr) and `off` when there is none (browsers).
 */
export function logLevelOf(value: string | undefined, logger: Logger | undefined): LogLevel {
  if (value === undefined) return logger ? 'warn' : 'off';
  const level = value.toLowerCase() as LogLevel;
  if (!LEVELS.includes(level)) throw mustBe('logLevel (WANDB_API_LOG)', `one of ${LEVELS.join(', ')}`, `'${value}'`);
  return level;
}

/** A logger that passes lines at `level` and above to `sink` (the console when none is given). */
export function levelLogger(sink: Logger = console, level: LogLevel): Required<Logger> {
  const at = (i: number) => (message: string) => i < LEVELS.indexOf(level) || sink[LEVELS[i] as 'warn']?.(message);
  return { debug: at(0), info: at(1), warn: at(2), error: at(3) };
}
