// What a command is (its words, options with help, what it runs) and what it runs with: the
// client, stdout with backpressure, stderr for progress and warnings, and the AbortSignal that
// Ctrl-C / SIGTERM fire.
import type { WandbClient } from '@wandb-api/core';
import type { OptionSpecs, ParsedCommand } from './args.js';
import type { Output } from './output.js';
import type { ProgressStream } from './progress.js';

/** Everything a command runs with. */
export interface CommandContext {
  /** The client, made on first use (so `--help` and bad arguments need no API key). */
  client(): WandbClient;
  /** stdout, honouring backpressure. */
  readonly out: Output;
  /** stderr: progress (on a terminal) and warnings. */
  readonly err: ProgressStream;
  /** Fired by Ctrl-C or SIGTERM: every request and download stops, cleaning up after itself. */
  readonly signal: AbortSignal | undefined;
  /** Prints a warning on stderr (a JSON object with `--json`). */
  warn(message: string): void;
}

/** One command of the program. */
export interface Command {
  /** The command words: `runs`, `artifact get`. */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** The usage line (without the leading `usage: `). */
  readonly usage: string;
  /** Its own options (the common ones are added). */
  readonly options: OptionSpecs;
  /** Names of its positionals, in order. */
  readonly positionals: readonly string[];
  /** A paragraph for `--help`: what it prints, how it behaves. */
  readonly details?: string;
  /** Checks the arguments (UsageError before any request), then runs. */
  run(cmd: ParsedCommand, ctx: CommandContext): Promise<void>;
}
