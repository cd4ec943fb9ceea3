/**
 * Federated identity as W&B serves it (RFC 7523 JWT bearer grant): `POST /oidc/token` with the form
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>` answers
 * `{access_token, token_type: "Bearer", expires_in}`; the client then sends
 * `Authorization: Bearer <access_token>` on every API-origin request. A refused exchange is a 400
 * with an OAuth error code (`invalid_request`, `unsupported_grant_type`, `invalid_grant`), which
 * W&B's SDK treats as permanent.
 *
 * Which JWTs are trusted is configuration (StartServerOptions.identity): each trusted issuer names
 * its `iss` and a key — a shared secret for HS256/384/512, or a public key for RS*, PS*, ES* and
 * EdDSA — and optionally the `aud` it must carry. W&B looks keys up through the issuer's OIDC
 * discovery document; this server takes them directly, as it reaches no network. The token's
 * `email` claim names the user (by email); without one, `sub` names them by username, or by email
 * when it holds an `@`.
 *
 * Access tokens are stateless: `<payload>.<mac>`, the payload naming the user and the expiry, the
 * MAC under a key derived from the server key, so they survive a restart on the same data dir.
 */
import { createHmac, createPublicKey, constants, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Store, UserRow } from '../store/store';
import { BodyTooLargeError, readBody } from './body';
import { json, type Reply } from './reply';
import { deriveKey } from './signing';

/** The token endpoint's path on the API origin. */
export const OIDC_TOKEN_PATH = '/oidc/token';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const FORM_LIMIT = 64 * 1024;
/** Tolerated clock difference between the issuer and this server when checking `exp`/`nbf`. */
const LEEWAY_SECONDS = 30;

/** One JWT issuer the server trusts. */
export interface TrustedIssuer {
  /** The `iss` claim of the JWTs this entry accepts, e.g. `https://token.actions.githubusercontent.com`. */
  issuer: string;
  /** The shared secret of HS256/HS384/HS512 tokens. */
  secret?: string | Uint8Array;
  /** The public key (PEM text, or a KeyObject) of RS*, PS*, ES* and EdDSA tokens. */
  publicKey?: string | KeyObject;
  /** When set, the token's `aud` (a string or a list) must contain it. */
  audience?: string;
}

/** StartServerOptions.identity: the trusted issuers and how long access tokens last. */
export interface IdentityOptions {
  /** JWT issuers whose tokens `/oidc/token` exchanges; none: every exchange is refused. */
  issuers: readonly TrustedIssuer[];
  /** Access token lifetime in seconds; default 3600 (W&B's SDK refreshes 5 minutes before expiry). */
  accessTokenTtlSeconds?: number;
}

type Claims = Record<string, unknown>;

/** alg → how to check its signature. */
const ALGORITHMS: Readonly<Record<string, { hash: string | null; kind: 'hmac' | 'rsa' | 'pss' | 'ecdsa' | 'eddsa' }>> = {
  HS256: { hash: 'sha256', kind: 'hmac' },
  HS384: { hash: 'sha384', kind: 'hmac' },
  HS512: { hash: 'sha512', kind: 'hmac' },
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
  ES256: { hash: 'sha256', kind: 'ecdsa' },
  ES384: { hash: 'sha384', kind: 'ecdsa' },
  ES512: { hash: 'sha512', kind: 'ecdsa' },
  EdDSA: { hash: null, kind: 'eddsa' },
};

class Refusal extends Error {
  constructor(
    readonly code: 'invalid_request' | 'unsupported_grant_type' | 'invalid_grant',
    message: string,
  ) {
    super(message);
  }
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

function decodeJson(part: string, what: string): Claims {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new Refusal('invalid_grant', `the assertion's ${what} is not base64url JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Refusal('invalid_grant', `the assertion's ${what} is not a JSON object`);
  return value as Claims;
}

/** Checks a JWT against the trusted issuers; its claims, or a Refusal saying why not. */
export function verifyAssertion(jwt: string, issuers: readonly TrustedIssuer[], nowSeconds: number): Claims {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new Refusal('invalid_grant', 'the assertion is not a JWT (three base64url parts)');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart, 'header');
  const claims = decodeJson(payloadPart, 'payload');
  const trusted = issuers.find((i) => i.issuer === claims.iss);
  if (!trusted) throw new Refusal('invalid_grant', `the assertion's issuer ${JSON.stringify(claims.iss ?? null)} is not trusted`);
  const alg = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!alg) throw new Refusal('invalid_grant', `unsupported JWT alg ${JSON.stringify(header.alg ?? null)}`);
  const data = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!signatureHolds(alg, trusted, data, signature)) throw new Refusal('invalid_grant', 'the assertion signature does not verify');

  if (typeof claims.exp !== 'number') throw new Refusal('invalid_grant', 'the assertion has no exp claim');
  if (claims.exp + LEEWAY_SECONDS <= nowSeconds) throw new Refusal('invalid_grant', 'the assertion has expired');
  if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_SECONDS > nowSeconds) throw new Refusal('invalid_grant', 'the assertion is not valid yet');
  if (trusted.audience !== undefined) {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(trusted.audience)) throw new Refusal('invalid_grant', `the assertion's audience does not include ${JSON.stringify(trusted.audience)}`);
  }
  return claims;
}

function signatureHolds(alg: (typeof ALGORITHMS)[string] & {}, issuer: TrustedIssuer, data: Buffer, signature: Buffer): boolean {
  // A key is used only for its own kind of algorithm: a public key is never an HMAC secret.
  if (alg.kind === 'hmac') {
    if (issuer.secret === undefined) return false;
    const expected = createHmac(alg.hash as string, issuer.secret).update(data).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  }
  if (issuer.publicKey === undefined) return false;
  let key: KeyObject;
  try {
    key = typeof issuer.publicKey === 'string' ? createPublicKey(issuer.publicKey) : issuer.publicKey;
  } catch {
    return false;
  }
  const keyType = key.asymmetricKeyType;
  const fits =
    alg.kind === 'eddsa' ? keyType === 'ed25519' || keyType === 'ed448' : alg.kind === 'ecdsa' ? keyType === 'ec' : keyType === 'rsa' || keyType === 'rsa-pss';
  if (!fits) return false;
  try {
    if (alg.kind === 'pss') {
      return verify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    }
    if (alg.kind === 'ecdsa') return verify(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    return verify(alg.hash, data, key, signature);
  } catch {
    return false;
  }
}

/** The user a verified token names: `email` by email; else `sub` by username, or by email when it holds '@'. */
function userOf(store: Store, claims: Claims): UserRow {
  if (typeof claims.email === 'string' && claims.email !== '') {
    const user = store.users.byEmail(claims.email);
    if (!user) throw new Refusal('invalid_grant', `no user has the email ${JSON.stringify(claims.email)}`);
    return user;
  }
  if (typeof claims.sub === 'string' && claims.sub !== '') {
    const user = store.users.byName(claims.sub) ?? (claims.sub.includes('@') ? store.users.byEmail(claims.sub) : undefined);
    if (!user) throw new Refusal('invalid_grant', `no user matches the subject ${JSON.stringify(claims.sub)}`);
    return user;
  }
  throw new Refusal('invalid_grant', 'the assertion names no user: it needs an email or a sub claim');
}

/** Grants and checks access tokens; `now` (ms) is injectable for tests. */
export class Identity {
  private readonly tokenKey: Buffer;
  private readonly ttlSeconds: number;

  constructor(
    private readonly store: Store,
    private readonly options: IdentityOptions,
    masterKey: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenKey = deriveKey(masterKey, 'access-tokens');
    this.ttlSeconds = options.accessTokenTtlSeconds ?? 3600;
  }

  /** An access token for `user`, valid for the configured lifetime. */
  grant(user: UserRow): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    const exp = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const payload = b64url(Buffer.from(JSON.stringify({ u: user.id, exp }), 'utf8'));
    return { access_token: `${payload}.${this.mac(payload)}`, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }

  /** The user an access token names, when its MAC holds and it has not expired. */
  viewerOf(token: string): UserRow | undefined {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: { u?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    if (typeof claims.u !== 'number' || typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) return undefined;
    return this.store.users.byId(claims.u);
  }

  /** The answer to `POST /oidc/token`. */
  async exchange(req: IncomingMessage): Promise<Reply> {
    try {
      if (req.method !== 'POST') return json(405, { error: 'invalid_request', error_description: `use POST on ${OIDC_TOKEN_PATH}` }, { Allow: 'POST' });
      let body: Buffer;
      try {
        body = await readBody(req, FORM_LIMIT);
      } catch (err) {
        if (err instanceof BodyTooLargeError) throw new Refusal('invalid_request', `the form is over ${FORM_LIMIT} bytes`);
        throw err;
      }
      const form = new URLSearchParams(body.toString('utf8'));
      const grantType = form.get('grant_type');
      if (grantType === null) throw new Refusal('invalid_request', 'grant_type is required');
      if (grantType !== JWT_BEARER_GRANT) throw new Refusal('unsupported_grant_type', `only ${JWT_BEARER_GRANT} is supported`);
      const assertion = form.get('assertion')?.trim();
      if (!assertion) throw new Refusal('invalid_request', 'assertion is required');
      const claims = verifyAssertion(assertion, this.options.issuers, Math.floor(this.now() / 1000));
      return json(200, this.grant(userOf(this.store, claims)), { 'Cache-Control': 'no-store' });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      return json(400, { error: err.code, error_description: err.message }, { 'Cache-Control': 'no-store' });
    }
  }

  private mac(payload: string): string {
    return b64url(createHmac('sha256', this.tokenKey).update(payload).digest());
  }
}

/** What `mintIdentityToken` signs. */
export interface MintIdentityTokenInput {
  /** The `iss` claim: one of StartServerOptions.identity.issuers. */
  issuer: string;
  /** That issuer's HS256 shared secret. */
  secret: string | Uint8Array;
  /** Claims naming the user (`email`, or `sub`: a username or an email), `aud`, and any others. */
  claims: Readonly<Record<string, unknown>>;
  /** Seconds until `exp`; default 600. Negative: already expired. */
  expiresInSeconds?: number;
  /** The clock (ms); default Date.now(). */
  now?: number;
}

/**
 * An HS256 JWT, as an identity provider would issue it, for tests of federated identity: write it to
 * the file `WANDB_IDENTITY_TOKEN_FILE` names.
 * @example
 * const jwt = mintIdentityToken({ issuer: 'https://idp.test', secret: 's3cret', claims: { sub: 'demo' } });
 */
export function mintIdentityToken(input: MintIdentityTokenInput): string {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const payload = b64url(Buffer.from(JSON.stringify({ iss: input.issuer, iat, exp: iat + (input.expiresInSeconds ?? 600), ...input.claims })));
  const signature = b64url(createHmac('sha256', input.secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}
