// The `wandb-api` program as a function: arguments, streams, environment and an AbortSignal in, an
// exit code out. The bin (main.ts) wires it to the process (argv, stdio, Ctrl-C / SIGTERM); tests
// call it in-process. Configuration comes from the environment (WANDB_API_KEY, WANDB_BASE_URL, …)
// and ~/.netrc exactly as for createClient(), overridden by --base-url / --api-key.
import type { Writable } from 'node:stream';
import { AbortError, ValidationError, VERSION, type WandbClient, createClient } from '@wandb-api/core';
import { COMMON_OPTIONS, parseCommand, UsageError } from './args.js';
import { ARTIFACT_GET, ARTIFACT_LS } from './artifact.js';
import type { Command, CommandContext } from './command.js';
import { CredentialsError, EXIT, errorText, exitCodeOf } from './exit.js';
import { commandHelp, programUsage } from './help.js';
import { HISTORY } from './history.js';
import { Output } from './output.js';
import type { ProgressStream } from './progress.js';
import { RUNS } from './runs.js';
import { WHOAMI } from './whoami.js';

/** Every command, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [RUNS, HISTORY, ARTIFACT_GET, ARTIFACT_LS, WHOAMI];

/** What the program runs with; each defaults to the process's own. */
export interface ProgramIO {
  /** Where results go. Default process.stdout. */
  stdout?: Writable;
  /** Where errors, warnings and progress (on a terminal) go. Default process.stderr. */
  stderr?: Writable & ProgressStream;
  /** The environment read for configuration. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Aborting it stops the command (Ctrl-C, SIGTERM); the program then exits 130. */
  signal?: AbortSignal;
}

/** Global options given before the command word: `wandb-api --base-url URL runs …`. */
function leadingOptions(argv: readonly string[]): { options: string[]; rest: string[] } {
  const options: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const word = argv[i]!;
    options.push(word);
    const spec = (COMMON_OPTIONS as Record<string, { type: string }>)[word.slice(2)];
    if (spec?.type === 'string' && !word.includes('=') && i + 1 < argv.length) options.push(argv[++i]!);
  }
  return { options, rest: argv.slice(i) };
}

/** The command named by the first words of `argv`, and the words after them. */
function findCommand(words: readonly string[]): { command: Command; args: string[] } | undefined {
  for (const command of COMMANDS) {
    const parts = command.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) return { command, args: words.slice(parts.length) };
  }
  return undefined;
}

/**
 * Runs one command line (without `node` and the script) and resolves to the exit code: 0 ok,
 * 1 failure, 2 bad input (and a bare `wandb-api`), 3 authentication, 4 not found, 130 interrupted.
 * @example process.exitCode = await main(['runs', 'acme/mnist', '--format', 'csv'], { signal: controller.signal });
 */
export async function main(argv: readonly string[], io: ProgramIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const json = argv.includes('--json');
  const print = (stream: Writable, text: string) => void stream.write(text);
  try {
    const { options: leading, rest } = leadingOptions(argv);
    if (leading.includes('--version') || leading.includes('-V')) {
      print(stdout, `wandb-api ${VERSION}\n`);
      return EXIT.ok;
    }
    const [first] = rest;
    if (first === undefined && !leading.includes('--help') && !leading.includes('-h')) {
      print(stderr, programUsage(COMMANDS));
      return EXIT.badInput;
    }
    if (first === undefined || first === 'help') {
      const about = rest.length > 1 ? findCommand(rest.slice(1))?.command : undefined;
      if (rest.length > 1 && !about) throw new UsageError(`unknown command '${rest.slice(1).join(' ')}'`, 'wandb-api help [<command>]');
      print(stdout, about ? commandHelp(about) : programUsage(COMMANDS));
      return EXIT.ok;
    }
    const found = findCommand(rest);
    if (!found) {
      if (first === 'artifact') {
        const sub = rest[1];
        throw new UsageError(sub === undefined ? 'missing artifact command' : `unknown artifact command '${sub}'`, `${ARTIFACT_GET.usage}\n       ${ARTIFACT_LS.usage}`);
      }
      throw new UsageError(`unknown command '${first}'`, "wandb-api <command> [options]; 'wandb-api --help' lists the commands");
    }
    const { command, args } = found;
    // Leading global options go first, so the command's own words override them.
    const cmd = parseCommand([...leading, ...args], { usage: command.usage, options: command.options, positionals: command.positionals });
    if (cmd.help) {
      print(stdout, commandHelp(command));
      return EXIT.ok;
    }
    let client: WandbClient | undefined;
    const ctx: CommandContext = {
      client: () => (client ??= makeClient(cmd.values, io.env)),
      out: new Output(stdout),
      err: stderr,
      signal: io.signal,
      warn: (message) => print(stderr, json ? `${JSON.stringify({ warning: { message } })}\n` : `wandb-api: warning: ${message}\n`),
    };
    await command.run(cmd, ctx);
    return EXIT.ok;
  } catch (error) {
    if (io.signal?.aborted && (error instanceof AbortError || !(error instanceof ValidationError))) {
      print(stderr, json ? `${JSON.stringify({ error: { type: 'AbortError', message: 'interrupted', exitCode: EXIT.interrupted } })}\n` : 'wandb-api: interrupted\n');
      return EXIT.interrupted;
    }
    print(stderr, errorText(error, json));
    return exitCodeOf(error);
  }
}

/** The client for the command line's `--base-url` / `--api-key` over the environment and ~/.netrc. */
function makeClient(values: Record<string, string | boolean | undefined>, env: Record<string, string | undefined> | undefined): WandbClient {
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  const apiKey = typeof values['api-key'] === 'string' ? values['api-key'] : undefined;
  let made: WandbClient;
  try {
    made = createClient({ ...(env ? { env } : {}), ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}) });
  } catch (error) {
    // A malformed key is a credentials problem, not bad arguments.
    if (error instanceof ValidationError && error.message.startsWith('API key')) throw new CredentialsError(error.message);
    throw error;
  }
  if (!made.config.apiKey) {
    throw new CredentialsError(`no API key: pass --api-key, set WANDB_API_KEY or add ${new URL(made.config.baseUrl).host} to ~/.netrc`);
  }
  return made;
}
