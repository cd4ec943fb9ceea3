// Federated identity: POST /oidc/token exchanges a JWT from a trusted issuer for an access token,
// which then authenticates `Authorization: Bearer` on every API-origin route; refusals are 400s with
// OAuth error codes. Tokens are checked against real keys (HMAC secrets, RSA/EC/Ed25519 key pairs).
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../src/http/oidc';
import { mintIdentityToken, startServer, type LocalServer, type TrustedIssuer } from '../src/index';

const ISSUER = 'https://idp.example.test';
const SECRET = 'a shared secret of the test identity provider';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const ISSUERS: TrustedIssuer[] = [
  { issuer: ISSUER, secret: SECRET },
  { issuer: 'https://rsa.example.test', publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string },
  { issuer: 'https://ec.example.test', publicKey: ec.publicKey },
  { issuer: 'https://ed.example.test', publicKey: ed.publicKey },
  { issuer: 'https://aud.example.test', secret: SECRET, audience: 'wandb' },
];

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ seed: 'demo', identity: { issuers: ISSUERS } });
});
afterAll(() => server.stop());

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT signed with an asymmetric key (or unsigned for alg "none"). */
function signedJwt(alg: string, key: KeyObject | undefined, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg, typ: 'JWT' })}.${b64({ iat: now, exp: now + 300, ...claims })}`;
  if (!key) return `${head}.`;
  const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
  const signature = sign(hash, Buffer.from(head), alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${head}.${signature.toString('base64url')}`;
}

async function exchange(target: LocalServer, form: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${target.url}/oidc/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const grant = (assertion: string) => exchange(server, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });

async function viewerWith(target: LocalServer, accessToken: string): Promise<{ status: number; username?: string }> {
  const res = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query: '{ viewer { username } }', operationName: '' }),
  });
  const body = (await res.json()) as { data?: { viewer?: { username: string } } };
  return { status: res.status, ...(body.data?.viewer ? { username: body.data.viewer.username } : {}) };
}

describe('POST /oidc/token', () => {
  it('exchanges a trusted HS256 JWT for a Bearer access token that reads the viewer', async () => {
    const r = await grant(mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'bob' } }));
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(await viewerWith(server, r.body.access_token)).toEqual({ status: 200, username: 'bob' });
  });

  it('names the user by the email claim, else by sub as a username or an email', async () => {
    const byEmail = await grant(mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'someone-else', email: 'CAROL@example.com' } }));
    expect(await viewerWith(server, byEmail.body.access_token)).toMatchObject({ username: 'carol' });
    const subEmail = await grant(mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'bob@example.com' } }));
    expect(await viewerWith(server, subEmail.body.access_token)).toMatchObject({ username: 'bob' });
  });

  it('verifies RS256, PS256, ES256 and EdDSA tokens against the issuer public key', async () => {
    for (const [alg, key, iss] of [
      ['RS256', rsa.privateKey, 'https://rsa.example.test'],
      ['ES256', ec.privateKey, 'https://ec.example.test'],
      ['EdDSA', ed.privateKey, 'https://ed.example.test'],
    ] as const) {
      const r = await grant(signedJwt(alg, key, { iss, sub: 'carol' }));
      expect(r.status, alg).toBe(200);
      expect(await viewerWith(server, r.body.access_token)).toMatchObject({ username: 'carol' });
    }
    const head = `${b64({ alg: 'PS256' })}.${b64({ iss: 'https://rsa.example.test', sub: 'carol', exp: Math.floor(Date.now() / 1000) + 60 })}`;
    const pss = sign('sha256', Buffer.from(head), { key: rsa.privateKey, padding: 6, saltLength: 32 }).toString('base64url');
    expect((await grant(`${head}.${pss}`)).status).toBe(200);
  });

  it('refuses bad assertions with 400 invalid_grant', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad: Record<string, string> = {
      'wrong secret': mintIdentityToken({ issuer: ISSUER, secret: 'not the secret', claims: { sub: 'bob' } }),
      'untrusted issuer': mintIdentityToken({ issuer: 'https://evil.example.test', secret: SECRET, claims: { sub: 'bob' } }),
      expired: mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'bob' }, expiresInSeconds: -120 }),
      'not yet valid': mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'bob', nbf: now + 600 } }),
      'unknown user': mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'nobody' } }),
      'no user claim': mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: {} }),
      'no exp': `${b64({ alg: 'HS256' })}.${b64({ iss: ISSUER, sub: 'bob' })}.${createHmac('sha256', SECRET).update(`${b64({ alg: 'HS256' })}.${b64({ iss: ISSUER, sub: 'bob' })}`).digest('base64url')}`,
      'wrong audience': mintIdentityToken({ issuer: 'https://aud.example.test', secret: SECRET, claims: { sub: 'bob', aud: ['other'] } }),
      'alg none': signedJwt('none', undefined, { iss: ISSUER, sub: 'bob' }),
      // An HMAC made with the public key as its secret must not pass for an RS256 issuer.
      'alg confusion': mintIdentityToken({ issuer: 'https://rsa.example.test', secret: ISSUERS[1]!.publicKey as string, claims: { sub: 'bob' } }),
      'RS256 signed by another key': signedJwt('RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { iss: 'https://rsa.example.test', sub: 'bob' }),
      garbage: 'not-a-jwt',
    };
    for (const [why, assertion] of Object.entries(bad)) {
      const r = await grant(assertion);
      expect({ why, status: r.status, error: r.body.error }).toEqual({ why, status: 400, error: 'invalid_grant' });
      expect(typeof r.body.error_description).toBe('string');
    }
    const withAudience = await grant(mintIdentityToken({ issuer: 'https://aud.example.test', secret: SECRET, claims: { sub: 'bob', aud: 'wandb' } }));
    expect(withAudience.status).toBe(200);
  });

  it('names a missing assertion invalid_request and another grant type unsupported_grant_type', async () => {
    expect((await exchange(server, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' })).body.error).toBe('invalid_request');
    expect((await exchange(server, { assertion: 'x' })).body.error).toBe('invalid_request');
    const other = await exchange(server, { grant_type: 'client_credentials', assertion: 'x' });
    expect([other.status, other.body.error]).toEqual([400, 'unsupported_grant_type']);
    expect((await fetch(`${server.url}/oidc/token`)).status).toBe(405);
  });

  it('refuses every exchange on a server that trusts no issuer', async () => {
    const plain = await startServer();
    try {
      const r = await exchange(plain, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'demo' } }) });
      expect([r.status, r.body.error]).toEqual([400, 'invalid_grant']);
    } finally {
      await plain.stop();
    }
  });
});

describe('Bearer access tokens', () => {
  it('also open the run file routes, and a forged or foreign token is a 401', async () => {
    const { body } = await grant(mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: 'demo' } }));
    const files = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${body.access_token}` },
      body: JSON.stringify({ query: '{ project(name: "mnist-classifier", entityName: "demo") { runs(first: 1) { edges { node { files(first: 1) { edges { node { url } } } } } } } }' }),
    });
    const url = ((await files.json()) as any).data.project.runs.edges[0].node.files.edges[0].node.url as string;
    expect((await fetch(url, { headers: { Authorization: `Bearer ${body.access_token}` } })).status).toBe(200);
    expect((await fetch(url)).status).toBe(401);

    const [payload, mac] = (body.access_token as string).split('.');
    const forged = `${b64({ u: 1, exp: 4_000_000_000 })}.${mac}`;
    expect((await viewerWith(server, forged)).status).toBe(401);
    expect((await viewerWith(server, `${payload}.${mac}x`)).status).toBe(401);
    const other = await startServer({ identity: { issuers: ISSUERS } });
    try {
      expect((await viewerWith(other, body.access_token)).status).toBe(401); // another server's key
    } finally {
      await other.stop();
    }
  });

  it('expire after their lifetime', () => {
    let now = 1_750_000_000_000;
    const identity = new Identity(server.store, { issuers: ISSUERS, accessTokenTtlSeconds: 600 }, Buffer.alloc(32, 7), () => now);
    const demo = server.store.users.byName('demo')!;
    const { access_token, expires_in } = identity.grant(demo);
    expect(expires_in).toBe(600);
    expect(identity.viewerOf(access_token)?.username).toBe('demo');
    now += 599_000;
    expect(identity.viewerOf(access_token)?.username).toBe('demo');
    now += 1_000;
    expect(identity.viewerOf(access_token)).toBeUndefined();
  });

  it('stay valid across a restart on the same data dir (the server key is kept there, 0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wandb-identity-'));
    try {
      const first = await startServer({ dataDir: dir, identity: { issuers: ISSUERS } });
      const { body } = await exchange(first, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: mintIdentityToken({ issuer: ISSUER, secret: SECRET, claims: { sub: first.username } }) });
      await first.stop();
      expect(statSync(join(dir, 'server.key')).mode & 0o777).toBe(0o600);
      const second = await startServer({ dataDir: dir });
      try {
        expect(await viewerWith(second, body.access_token)).toEqual({ status: 200, username: second.username });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Organization.featureFlags', () => {
  it("answers the organization's ramps (none unless configured)", async () => {
    const query = '{ organization(name: "demo-org") { featureFlags(rampIDType: OrgName) { rampKey isEnabled } } }';
    const fetchFlags = async (target: LocalServer) => {
      const res = await fetch(`${target.url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${target.apiKey}`).toString('base64')}` },
        body: JSON.stringify({ query }),
      });
      return ((await res.json()) as any).data.organization.featureFlags;
    };
    expect(await fetchFlags(server)).toEqual([]);
    const flagged = await startServer({ seed: 'demo', orgFeatureFlags: { 'demo-org': { 'registry-search-v2': true, 'old-ramp': false } } });
    try {
      expect(await fetchFlags(flagged)).toEqual([
        { rampKey: 'registry-search-v2', isEnabled: true },
        { rampKey: 'old-ramp', isEnabled: false },
      ]);
    } finally {
      await flagged.stop();
    }
  });
});
