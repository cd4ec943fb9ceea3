/**
 * Signed, time-limited URLs for the storage origin, as S3/GCS presigned URLs: the query carries
 * `expires` (unix seconds) and `sig`, an HMAC-SHA256 of method, path and expiry under a per-server
 * secret. Whoever holds the URL may use it until it expires; no credentials are involved.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'expired' | 'invalid';

export class UrlSigner {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
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
