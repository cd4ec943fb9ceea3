// Help texts: the program's usage (every command, exit codes, configuration) and each command's
// `--help` (usage, what it does, every option with its description).
import { COMMON_OPTIONS, type OptionSpecs } from './args.js';
import type { Command } from './command.js';

const EXIT_CODES = 'exit codes: 0 ok, 1 failure, 2 bad input, 3 authentication or permission, 4 not found, 130 interrupted (143 on SIGTERM)';
const CONFIG = 'configuration: WANDB_API_KEY, WANDB_BASE_URL, WANDB_ENTITY, WANDB_PROJECT, ~/.netrc (--api-key and --base-url override them)';

/** `  --name VALUE   description` lines, aligned. */
function optionLines(specs: OptionSpecs): string[] {
  const entries = Object.entries(specs).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  const width = entries.reduce((w, [flag]) => Math.max(w, flag.length), 0);
  return entries.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
}

/**
 * The usage of the whole program.
 * @example programUsage(COMMANDS).startsWith('usage: wandb-api <command>')
 */
export function programUsage(commands: readonly Command[]): string {
  const width = commands.reduce((w, c) => Math.max(w, c.name.length), 0);
  return [
    'usage: wandb-api <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options of every command:',
    ...optionLines(COMMON_OPTIONS),
    '',
    "'wandb-api <command> --help' describes a command's options; 'wandb-api --version' prints the version.",
    EXIT_CODES,
    CONFIG,
    '',
  ].join('\n');
}

/**
 * A command's `--help`: usage, summary, details, its options then the common ones.
 * @example commandHelp(RUNS).includes('--filter JSON')
 */
export function commandHelp(command: Command): string {
  return [
    `usage: ${command.usage}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'options:',
    ...optionLines({ ...command.options, ...COMMON_OPTIONS }),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}
