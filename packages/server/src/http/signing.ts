/**
 * Signed, time-limited URLs for the storage origin, as S3/GCS presigned URLs: the query carries
 * `expires` (unix seconds) and `sig`, an HMAC-SHA256 of method, path and expiry under a per-server
 * secret. Whoever holds the URL may use it until it expires; no credentials are involved.
 *
 * The secret is derived from the server key (`loadServerKey`): kept in the data directory, so a
 * restarted server still honours the URLs (and access tokens) it handed out before.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SignatureCheck = 'ok' | 'expired' | 'invalid';

/** The key file inside a data directory. */
export const SERVER_KEY_FILE = 'server.key';
const KEY_BYTES = 32;

/**
 * The server's master key: `<dataDir>/server.key` (32 random bytes, created with mode 0600 on first
 * start), or a fresh random key per process for in-memory servers.
 */
export function loadServerKey(dataDir: string | undefined): Buffer {
  if (dataDir === undefined) return randomBytes(KEY_BYTES);
  const file = join(dataDir, SERVER_KEY_FILE);
  try {
    writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES) throw new Error(`${file} must hold ${KEY_BYTES} bytes (found ${key.length}); delete it to make a new key`);
  return key;
}

/** A key for one purpose, so URL signatures and access tokens never share a MAC key. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return createHmac('sha256', master).update(`wandb-api-server:${purpose}`).digest();
}

export class UrlSigner {
  private readonly secret: Buffer;

  constructor(masterKey: Buffer = randomBytes(KEY_BYTES)) {
    this.secret = deriveKey(masterKey, 'signed-urls');
  }

  /** The `?expires=…&sig=…` query for `method path`, valid for `ttlMs`. */
  query(method: string, path: string, ttlMs: number, now = Date.now()): string {
    const expires = Math.floor((now + ttlMs) / 1000);
    return `expires=${expires}&sig=${this.mac(method, path, expires)}`;
  }

  check(method: string, path: string, search: URLSearchParams, now = Date.now()): SignatureCheck {
    const expires = Number(search.get('expires'));
    const sig = search.get('sig') ?? '';
    if (!Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(sig)) return 'invalid';
    const expected = Buffer.from(this.mac(method, path, expires), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'invalid';
    return expires * 1000 < now ? 'expired' : 'ok';
  }

  private mac(method: string, path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${method}\n${path}\n${expires}`).digest('hex');
  }
}
