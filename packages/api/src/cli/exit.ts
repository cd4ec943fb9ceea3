// Exit codes and error output. Codes tell scripts what went wrong without parsing messages.
import { AuthenticationError, BadRequestError, NotFoundError, PermissionError, ValidationError, WandbError } from '@wandb-api/core';
import { UsageError } from './args.js';

/** Exit codes; 130 is 128 + SIGINT, as shells report an interrupted command. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, auth: 3, notFound: 4, interrupted: 130 } as const;

/**
 * The exit code for an error: bad input 2 (arguments, malformed filters), auth 3 (missing or
 * rejected API key, no permission), not found 4, anything else 1.
 * @example exitCodeOf(new NotFoundError('Could not find run x', { status: 404 })) // 4
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AuthenticationError || error instanceof PermissionError || error instanceof CredentialsError) return EXIT.auth;
  if (error instanceof NotFoundError) return EXIT.notFound;
  if (error instanceof ValidationError || error instanceof BadRequestError) return EXIT.badInput;
  return EXIT.failure;
}

/** No usable API key in the options, the environment or the netrc file (exit code 3). */
export class CredentialsError extends WandbError {
  // Errors are brand-checked by `kind` (see @wandb-api/core errors): every subclass names its own.
  static override readonly kind: string = 'CredentialsError';
}

/**
 * The error as stderr text: one `wandb-api: …` line (plus the usage for bad arguments), or with
 * `--json` one JSON object `{"error": {"type", "message", "exitCode"}}`.
 * @example errorText(new NotFoundError('Could not find run x', { status: 404 }), true)
 */
export function errorText(error: unknown, json: boolean): string {
  const type = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const exitCode = exitCodeOf(error);
  if (json) return `${JSON.stringify({ error: { type, message, exitCode } })}\n`;
  const usage = error instanceof UsageError && error.usage ? `usage: ${error.usage}\n` : '';
  return `wandb-api: ${message}\n${usage}`;
}
