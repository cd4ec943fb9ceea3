#!/usr/bin/env node
// wandb-api: the command-line face of the library. Configuration comes from the environment
// (WANDB_API_KEY, WANDB_BASE_URL, …) and ~/.netrc exactly as for createClient().
import { createClient, ValidationError, type WandbClient } from '@wandb-api/core';
import { parseCommand, UsageError } from './args.js';
import {
  ARTIFACT_GET_OPTIONS,
  ARTIFACT_GET_USAGE,
  ARTIFACT_LS_OPTIONS,
  ARTIFACT_LS_USAGE,
  artifactGetCommand,
  artifactGetSettings,
  artifactLsCommand,
  artifactLsSettings,
} from './artifact.js';
import { CredentialsError, EXIT, errorText, exitCodeOf } from './exit.js';
import { HISTORY_OPTIONS, HISTORY_USAGE, historyCommand, historySettings } from './history.js';
import { Output } from './output.js';
import { RUNS_OPTIONS, RUNS_USAGE, runsCommand, runsSettings } from './runs.js';
import { WHOAMI_USAGE, whoamiCommand } from './whoami.js';

const USAGE = `wandb-api <command> [options]

commands:
  ${RUNS_USAGE}
  ${HISTORY_USAGE}
  ${ARTIFACT_GET_USAGE}
  ${ARTIFACT_LS_USAGE}
  ${WHOAMI_USAGE}

Every command takes --json (errors as JSON on stderr) and --help.
Exit codes: 0 ok, 1 failure, 2 bad input, 3 authentication or permission, 4 not found.
Configuration: WANDB_API_KEY, WANDB_BASE_URL, WANDB_ENTITY, WANDB_PROJECT, ~/.netrc.`;

function client(): WandbClient {
  let made: WandbClient;
  try {
    made = createClient();
  } catch (error) {
    // A malformed key from the environment or netrc is a credentials problem, not bad arguments.
    if (error instanceof ValidationError && error.message.startsWith('API key')) throw new CredentialsError(error.message);
    throw error;
  }
  if (!made.config.apiKey) {
    throw new CredentialsError(`no API key: set WANDB_API_KEY or add ${new URL(made.config.baseUrl).host} to ~/.netrc`);
  }
  return made;
}

/**
 * Runs one command line (without `node` and the script) and resolves to the exit code.
 * @example process.exitCode = await main(['runs', 'acme/mnist', '--format', 'csv']);
 */
export async function main(argv: readonly string[]): Promise<number> {
  const out = new Output(process.stdout);
  const json = argv.includes('--json');
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'runs': {
        const cmd = parseCommand(rest, { usage: RUNS_USAGE, options: RUNS_OPTIONS, positionals: ['entity/project'] });
        if (cmd.help) return help(RUNS_USAGE);
        const settings = runsSettings(cmd);
        await runsCommand(client(), settings, out);
        return EXIT.ok;
      }
      case 'history': {
        const cmd = parseCommand(rest, { usage: HISTORY_USAGE, options: HISTORY_OPTIONS, positionals: ['run path'] });
        if (cmd.help) return help(HISTORY_USAGE);
        const settings = historySettings(cmd);
        await historyCommand(client(), settings, out);
        return EXIT.ok;
      }
      case 'artifact': {
        const [sub, ...args] = rest;
        if (sub === 'ls') {
          const cmd = parseCommand(args, { usage: ARTIFACT_LS_USAGE, options: ARTIFACT_LS_OPTIONS, positionals: ['path:alias'] });
          if (cmd.help) return help(ARTIFACT_LS_USAGE);
          const settings = artifactLsSettings(cmd);
          await artifactLsCommand(client(), settings, out);
          return EXIT.ok;
        }
        if (sub === 'get') {
          const cmd = parseCommand(args, { usage: ARTIFACT_GET_USAGE, options: ARTIFACT_GET_OPTIONS, positionals: ['path:alias'] });
          if (cmd.help) return help(ARTIFACT_GET_USAGE);
          const settings = artifactGetSettings(cmd);
          await artifactGetCommand(client(), settings, out);
          return EXIT.ok;
        }
        throw new UsageError(sub === undefined ? 'missing artifact command' : `unknown artifact command '${sub}'`, `${ARTIFACT_GET_USAGE}\n       ${ARTIFACT_LS_USAGE}`);
      }
      case 'whoami': {
        const cmd = parseCommand(rest, { usage: WHOAMI_USAGE, options: {}, positionals: [] });
        if (cmd.help) return help(WHOAMI_USAGE);
        await whoamiCommand(client(), cmd.json, out);
        return EXIT.ok;
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return help(USAGE);
      default:
        throw new UsageError(`unknown command '${command}'`, USAGE);
    }
  } catch (error) {
    process.stderr.write(errorText(error, json));
    return exitCodeOf(error);
  }
}

function help(text: string): number {
  process.stdout.write(`usage: ${text}\n`);
  return EXIT.ok;
}

process.exitCode = await main(process.argv.slice(2));
