// Command-line arguments: node:util parseArgs per command, with every mistake turned into a
// UsageError (exit code 2) before any request is made.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ValidationError } from '@wandb-api/core';

/** Bad command-line input: exit code 2, with the command's usage line. */
export class UsageError extends ValidationError {
  // Errors are brand-checked by `kind` (see @wandb-api/core errors): every subclass names its own.
  static override readonly kind: string = 'UsageError';

  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** One option of a command: parseArgs' type (and short letter), plus what `--help` says of it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's placeholder in help (`JSON`, `N`, `table|csv|jsonl`); string options only. */
  value?: string;
  /** One line for `--help`. */
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Options every command takes (and that may come before the command word). */
export const COMMON_OPTIONS = {
  'base-url': { type: 'string', value: 'URL', description: 'the W&B server (default: $WANDB_BASE_URL, else https://api.wandb.ai)' },
  'api-key': { type: 'string', value: 'KEY', description: 'the API key (default: $WANDB_API_KEY, else ~/.netrc); visible to other users in ps' },
  json: { type: 'boolean', description: 'errors and warnings as JSON objects on stderr' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies OptionSpecs;

export interface CommandSpec {
  usage: string;
  options: OptionSpecs;
  /** Names of the required positionals, in order. */
  positionals: readonly string[];
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  help: boolean;
}

/** The specs as parseArgs takes them (without our help fields). */
function parseArgsOptions(specs: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(specs).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
}

/**
 * Parses `argv` (after the command words) against `spec` and the common options; unknown options,
 * missing or extra positionals become a UsageError.
 * @example parseCommand(['acme/mnist', '--format', 'csv'], { usage, options: { format: { type: 'string', description: 'output format' } }, positionals: ['path'] })
 */
export function parseCommand(argv: readonly string[], spec: CommandSpec): ParsedCommand {
  const options: OptionSpecs = { ...COMMON_OPTIONS, ...spec.options };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  // A string option takes the next word whatever it looks like (`--order -summary.loss`), which
  // parseArgs would refuse as ambiguous: join such pairs as `--order=-summary.loss` first.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const option = word.startsWith('--') ? options[word.slice(2)] : undefined;
    if (option?.type === 'string' && i + 1 < argv.length) args.push(`${word}=${argv[++i]}`);
    else args.push(word);
  }
  try {
    parsed = parseArgs({ args, options: parseArgsOptions(options), allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'), spec.usage);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  if (!help && parsed.positionals.length < spec.positionals.length) {
    throw new UsageError(`missing ${spec.positionals.slice(parsed.positionals.length).map((p) => `<${p}>`).join(' ')}`, spec.usage);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[spec.positionals.length]}'`, spec.usage);
  }
  return { values, positionals: parsed.positionals, json: values.json === true, help };
}

/** `--name a,b,c` as a list of non-empty names; undefined when the option is absent. */
export function listOption(value: string | boolean | undefined, name: string, usage: string): string[] | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${name} must be a comma-separated list of names, got '${value}'`, usage);
  return items;
}

/** `--name VALUE` checked against `choices` (default when absent). */
export function choiceOption<T extends string>(value: string | boolean | undefined, name: string, choices: readonly T[], fallback: T, usage: string): T {
  if (value === undefined || typeof value === 'boolean') return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${value}'`, usage);
  return value as T;
}

/** `--name N` as a non-negative integer (or at least `min`); undefined when absent. */
export function intOption(value: string | boolean | undefined, name: string, usage: string, min = 0): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${value}'`, usage);
  return n;
}

/** `--filter '{"config.lr": {"$gt": 0.01}}'` as an object. */
export function jsonObjectOption(value: string | boolean | undefined, name: string, usage: string): Record<string, unknown> | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--${name} is not valid JSON: ${(error as Error).message}`, usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--${name} must be a JSON object`, usage);
  return parsed as Record<string, unknown>;
}
