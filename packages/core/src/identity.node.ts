// Federated identity, as Python's wandb reads it (Node only): the JWT in WANDB_IDENTITY_TOKEN_FILE is
// exchanged at `<base URL>/oidc/token` for an access token, sent as `Authorization: Bearer`. The
// token is cached in memory and in W&B's credentials file (`WANDB_CREDENTIALS_FILE`, default
// ~/.config/wandb/credentials.json, mode 0600, shared with Python: `{"credentials": {<base URL>:
// {"access_token", "expires_at": "YYYY-MM-DD HH:MM:SS"}}}` in UTC) and exchanged again when five
// minutes or less remain. Concurrent requests share one exchange, which runs without any caller's
// signal (each caller waits with its own); a failed exchange is not kept.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Credentials } from './config.js';
import { AuthenticationError, HTTPError } from './errors.js';
import { abortable } from './signal.js';
import type { Transport } from './transport.js';

/** An access token and when it expires (ms since the epoch). */
interface AccessToken {
  token: string;
  expiresAt: number;
}

/** Exchanged again when this little time is left. */
const REFRESH_MS = 5 * 60_000;
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** `2026-12-07 10:00:00` (UTC) ↔ ms, the credentials file's format. */
const toFileTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const fromFileTime = (text: unknown) => (typeof text === 'string' ? Date.parse(`${text.replace(' ', 'T')}Z`) : Number.NaN);

function readCache(file: string | undefined): Record<string, { access_token?: unknown; expires_at?: unknown }> {
  if (!file) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { credentials?: unknown };
    return parsed.credentials && typeof parsed.credentials === 'object' ? (parsed.credentials as Record<string, never>) : {};
  } catch {
    return {}; // no file yet, or one we cannot read: exchange and write a new one
  }
}

function writeCache(file: string, baseUrl: string, token: AccessToken): void {
  const credentials = { ...readCache(file), [baseUrl]: { access_token: token.token, expires_at: toFileTime(token.expiresAt) } };
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and renamed, so a concurrent reader (Python, another client) never sees half a file.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ credentials }, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/**
 * The credentials of federated identity for one base URL.
 * @param tokenFile The file holding the identity provider's JWT (read again for every exchange).
 * @param credentialsFile W&B's credentials file, or undefined to keep the access token in memory only.
 * @example const credentials = identityCredentials('https://api.wandb.ai', '/var/run/secrets/wandb/token', undefined);
 */
export function identityCredentials(baseUrl: string, tokenFile: string, credentialsFile: string | undefined): Credentials {
  let current: AccessToken | undefined;
  let exchanging: Promise<AccessToken> | undefined;
  const fresh = (token: AccessToken | undefined, now: number) => token && token.expiresAt - now > REFRESH_MS;

  async function exchange(transport: Transport): Promise<AccessToken> {
    const cached = readCache(credentialsFile)[baseUrl];
    const fromFile = { token: String(cached?.access_token ?? ''), expiresAt: fromFileTime(cached?.expires_at) };
    if (fromFile.token && fresh(fromFile, transport.clock.now())) return fromFile;
    let assertion: string;
    try {
      assertion = readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      throw new AuthenticationError(`Cannot read the identity token file ${tokenFile} (WANDB_IDENTITY_TOKEN_FILE): ${(error as Error).message}`, { status: 401, cause: error });
    }
    const body = new URLSearchParams({ grant_type: GRANT_TYPE, assertion });
    let answer: { access_token?: unknown; expires_in?: unknown };
    try {
      // No W&B credentials on the exchange; retried like any idempotent request (a 4xx is final).
      const response = await transport.send(`${baseUrl}/oidc/token`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { anonymous: true, write: 'idempotent' });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      if (!(error instanceof HTTPError) || error.status >= 500) throw error;
      const [first] = error.errors;
      throw new AuthenticationError(`The identity token was refused by ${baseUrl}/oidc/token: ${first?.message ?? `HTTP ${error.status}`}`, { status: 401, cause: error });
    }
    if (typeof answer.access_token !== 'string' || typeof answer.expires_in !== 'number') {
      throw new AuthenticationError(`${baseUrl}/oidc/token answered without an access token.`, { status: 401 });
    }
    const token = { token: answer.access_token, expiresAt: transport.clock.now() + answer.expires_in * 1000 };
    if (credentialsFile) writeCache(credentialsFile, baseUrl, token);
    return token;
  }

  return {
    async authorization(transport, signal) {
      if (!fresh(current, transport.clock.now())) {
        exchanging ??= exchange(transport).then(
          (token) => ((exchanging = undefined), (current = token)),
          (error: unknown) => {
            exchanging = undefined;
            throw error;
          },
        );
        current = await abortable(exchanging, signal, () => {});
      }
      return `Bearer ${current!.token}`;
    },
  };
}
