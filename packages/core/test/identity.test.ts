// Federated identity in the Node client, as Python's wandb does it: the JWT that
// WANDB_IDENTITY_TOKEN_FILE names is exchanged at /oidc/token for an access token sent as Bearer,
// cached in memory and in W&B's credentials file, shared by concurrent requests and exchanged again
// near expiry. Against the local server's identity provider support.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, ValidationError, createClient, getDefaultEntity, getViewer } from '@wandb-api/core';
import { type LocalServer, mintIdentityToken, startServer } from '@wandb-api/server';

const ISSUER = 'https://idp.example.test';
const SECRET = 'the test identity provider secret';
let server: LocalServer;
let dir: string;

beforeAll(async () => {
  server = await startServer({ seed: 'demo', identity: { issuers: [{ issuer: ISSUER, secret: SECRET }], accessTokenTtlSeconds: 3600 } });
});
afterAll(() => server.stop());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wandb-identity-'));
  server.clearRequests();
});

function tokenFile(secret = SECRET): string {
  const file = join(dir, 'jwt');
  writeFileSync(file, `${mintIdentityToken({ issuer: ISSUER, secret, claims: { sub: 'demo' } })}\n`);
  return file;
}
const exchanges = () => server.requests.filter((r) => r.path === '/oidc/token');
const client = (env: Record<string, string>) => createClient({ baseUrl: server.url, env: { HOME: dir, ...env }, retryBaseDelayMs: 1 });

describe('WANDB_IDENTITY_TOKEN_FILE', () => {
  it('exchanges the JWT once, sends Bearer, and caches the token in the credentials file (0600)', async () => {
    const api = client({ WANDB_IDENTITY_TOKEN_FILE: tokenFile() });
    expect(api.config.apiKey).toBeUndefined();
    const [viewer, entity] = await Promise.all([getViewer(api), getDefaultEntity(api)]);
    expect(viewer.username).toBe('demo');
    expect(entity).toBe('demo');
    expect(exchanges().map((r) => [r.status, r.hasAuthorization])).toEqual([[200, false]]); // one exchange for both, no credentials on it
    expect(server.requests.filter((r) => r.path === '/graphql').every((r) => r.hasAuthorization && r.status === 200)).toBe(true);
    const file = join(dir, '.config', 'wandb', 'credentials.json');
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { credentials: Record<string, { access_token: string; expires_at: string }> };
    expect(cached.credentials[server.url]).toEqual({ access_token: expect.any(String), expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Another client (another process) reuses the cached token: no exchange.
    server.clearRequests();
    expect((await getViewer(client({ WANDB_IDENTITY_TOKEN_FILE: tokenFile() }))).username).toBe('demo');
    expect(exchanges()).toHaveLength(0);
  });

  it('exchanges again when five minutes or less remain, keeping other servers in the file', async () => {
    const file = join(dir, 'credentials.json');
    writeFileSync(file, JSON.stringify({ credentials: { 'https://other.example': { access_token: 'x', expires_at: '2099-01-01 00:00:00' }, [server.url]: { access_token: 'stale', expires_at: new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ') } } }));
    const api = client({ WANDB_IDENTITY_TOKEN_FILE: tokenFile(), WANDB_CREDENTIALS_FILE: file });
    expect((await getViewer(api)).username).toBe('demo');
    expect(exchanges()).toHaveLength(1);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { credentials: Record<string, { access_token: string }> };
    expect(cached.credentials['https://other.example']?.access_token).toBe('x');
    expect(cached.credentials[server.url]?.access_token).not.toBe('stale');
  });

  it('a refused JWT is an AuthenticationError with the server\'s invalid_grant, not retried, and not kept', async () => {
    const api = client({ WANDB_IDENTITY_TOKEN_FILE: tokenFile('not the secret') });
    const error = await getViewer(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain('invalid_grant');
    expect(exchanges().map((r) => r.status)).toEqual([400]);
    expect(server.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
    // Fixed file: the next call exchanges again and succeeds.
    tokenFile();
    expect((await getViewer(api)).username).toBe('demo');
  });

  it('WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE together are refused before any request; an apiKey option wins', () => {
    expect(() => client({ WANDB_IDENTITY_TOKEN_FILE: tokenFile(), WANDB_API_KEY: server.apiKey })).toThrow(ValidationError);
    const explicit = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: { HOME: dir, WANDB_IDENTITY_TOKEN_FILE: tokenFile(), WANDB_API_KEY: server.apiKey } });
    expect(explicit.config.credentials).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });
});
