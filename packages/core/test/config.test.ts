import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  HTTPError,
  NotFoundError,
  ValidationError,
  WandbError,
  appUrlFor,
  createClient,
  netrcKeyFor,
  parseNetrc,
  redact,
  resolveConfig,
} from '@wandb-api/core';

const KEY = 'k'.repeat(40);

describe('configuration', () => {
  it('takes options over environment over defaults', () => {
    const env = { WANDB_API_KEY: KEY, WANDB_BASE_URL: 'http://env.example:8080/', WANDB_ENTITY: 'env-e', WANDB_PROJECT: 'env-p', WANDB_HTTP_TIMEOUT: '7' };
    const fromEnv = resolveConfig({ env });
    expect(fromEnv).toMatchObject({ apiKey: KEY, baseUrl: 'http://env.example:8080', entity: 'env-e', project: 'env-p', timeoutMs: 7000 });
    const fromOptions = resolveConfig({ env, baseUrl: 'http://opt.example', entity: 'opt-e', timeoutMs: 50 });
    expect(fromOptions).toMatchObject({ baseUrl: 'http://opt.example', entity: 'opt-e', project: 'env-p', timeoutMs: 50 });
    expect(resolveConfig({ env: {} })).toMatchObject({ baseUrl: 'https://api.wandb.ai', apiKey: undefined, timeoutMs: 30_000 });
  });

  it('rejects bad input before any request', () => {
    expect(() => resolveConfig({ env: {}, baseUrl: 'not a url' })).toThrow(ValidationError);
    expect(() => resolveConfig({ env: {}, baseUrl: 'ftp://x' })).toThrow('only http and https');
    expect(() => resolveConfig({ env: {}, baseUrl: 'https://wandb.ai' })).toThrow('did you mean https://api.wandb.ai');
    expect(() => resolveConfig({ env: {}, apiKey: 'short' })).toThrow('40+ characters');
    expect(() => resolveConfig({ env: {}, apiKey: 'bad key with spaces'.padEnd(45, 'x') })).toThrow(ValidationError);
    expect(() => resolveConfig({ env: { WANDB_HTTP_TIMEOUT: 'soon' } })).toThrow('WANDB_HTTP_TIMEOUT');
    expect(() => resolveConfig({ env: {}, maxRetries: -1 })).toThrow(ValidationError);
    expect(resolveConfig({ env: {}, apiKey: `local-${KEY}` }).apiKey).toBe(`local-${KEY}`);
  });

  it('derives the app URL as Python does', () => {
    expect(appUrlFor('https://api.wandb.ai', {})).toBe('https://wandb.ai/');
    expect(appUrlFor('https://api.acme.com', {})).toBe('https://app.acme.com/');
    expect(appUrlFor('http://localhost:8080', {})).toBe('http://localhost:8080/');
    expect(appUrlFor('http://localhost:8080', { WANDB_APP_URL: 'http://ui:3000' })).toBe('http://ui:3000/');
  });
});

describe('netrc', () => {
  const text = 'machine api.wandb.ai\n  login user\n  password aaa\nmachine localhost:8080 login user password bbb\ndefault login x password ccc\n';

  it('finds the key by host:port, then host, then default', () => {
    const entries = parseNetrc(text);
    expect(netrcKeyFor(entries, 'https://api.wandb.ai')).toBe('aaa');
    expect(netrcKeyFor(entries, 'http://localhost:8080')).toBe('bbb');
    expect(netrcKeyFor(entries, 'http://other')).toBe('ccc');
  });

  it('is read by the Node createClient from $NETRC when no key is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netrc-'));
    const file = join(dir, 'netrc');
    writeFileSync(file, `machine 127.0.0.1:9 login user password ${KEY}\n`);
    const client = createClient({ baseUrl: 'http://127.0.0.1:9', env: { NETRC: file } });
    expect(client.config.apiKey).toBe(KEY);
    const explicit = createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'e'.repeat(40), env: { NETRC: file } });
    expect(explicit.config.apiKey).toBe('e'.repeat(40));
  });
});

describe('errors', () => {
  it('has a hierarchy with brand-checked instanceof', () => {
    const error = new NotFoundError('gone', { status: 404 });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toBeInstanceOf(WandbError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.name).toBe('NotFoundError');
    // An error from another copy of the package: same brand, different class objects.
    const foreign = Object.create(Error.prototype) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('wandb-api.error.kinds'), { value: ['BadRequestError', 'HTTPError', 'WandbError'] });
    expect(foreign).toBeInstanceOf(BadRequestError);
    expect(foreign).toBeInstanceOf(WandbError);
    expect(foreign).not.toBeInstanceOf(NotFoundError);
  });

  it('redacts the key and its Basic form', () => {
    const basic = btoa(`api:${KEY}`);
    expect(redact(`key=${KEY} auth=Basic ${basic}`, KEY)).toBe('key=[REDACTED] auth=Basic [REDACTED]');
  });
});
