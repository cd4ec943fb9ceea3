import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
  parseSettings,
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

describe("W&B's settings files", () => {
  /** A HOME with the global settings file `wandb login --host` writes, and a netrc with keys per host. */
  function home(settings: string, netrc = '') {
    const dir = mkdtempSync(join(tmpdir(), 'wandb-home-'));
    mkdirSync(join(dir, '.config', 'wandb'), { recursive: true });
    writeFileSync(join(dir, '.config', 'wandb', 'settings'), settings);
    writeFileSync(join(dir, '.netrc'), netrc);
    return dir;
  }

  it('parses the [default] section as configparser does', () => {
    const text = '[default]\nbase_url = http://wandb.local:8080\n# comment\nEntity: acme\n\n[other]\nproject = no\n';
    expect(parseSettings(text)).toEqual({ base_url: 'http://wandb.local:8080', entity: 'acme' });
  });

  it('reads base_url, entity and project below the environment, then the netrc key for that host', () => {
    const dir = home('[default]\nbase_url = http://wandb.local:8080/\nentity = acme\nproject = mnist\n', `machine wandb.local:8080 login user password ${KEY}\nmachine api.wandb.ai login user password ${'c'.repeat(40)}\n`);
    const fromFile = createClient({ env: { HOME: dir } }).config;
    expect(fromFile).toMatchObject({ baseUrl: 'http://wandb.local:8080', entity: 'acme', project: 'mnist', apiKey: KEY });
    const fromEnv = createClient({ env: { HOME: dir, WANDB_ENTITY: 'env-e', WANDB_BASE_URL: 'https://api.wandb.ai' } }).config;
    expect(fromEnv).toMatchObject({ baseUrl: 'https://api.wandb.ai', entity: 'env-e', project: 'mnist', apiKey: 'c'.repeat(40) });
    expect(createClient({ env: { HOME: dir }, project: 'opt' }).config.project).toBe('opt');
  });

  it('lets WANDB_CONFIG_DIR and the workspace file (which wins) take part', () => {
    const config = mkdtempSync(join(tmpdir(), 'wandb-config-'));
    writeFileSync(join(config, 'settings'), '[default]\nentity = global\nproject = global-p\n');
    const workspace = mkdtempSync(join(tmpdir(), 'wandb-workspace-'));
    mkdirSync(join(workspace, 'wandb'));
    writeFileSync(join(workspace, 'wandb', 'settings'), '[default]\nproject = local-p\n');
    expect(createClient({ env: { WANDB_CONFIG_DIR: config, WANDB_DIR: workspace } }).config).toMatchObject({ entity: 'global', project: 'local-p' });
  });

  it('names the host and every place looked in when there is no key', async () => {
    const dir = home('[default]\nbase_url = http://127.0.0.1:9\n', `machine other.host login user password ${KEY}\n`);
    const client = createClient({ env: { HOME: dir } });
    const error = await client.fetch('/graphql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      `No API key for 127.0.0.1:9: looked in the apiKey option, WANDB_API_KEY and ${join(dir, '.netrc')} (no password for machine 127.0.0.1:9). Pass apiKey, set WANDB_API_KEY or run \`wandb login --host http://127.0.0.1:9\`.`,
    );
    const none = createClient({ baseUrl: 'http://127.0.0.1:9', env: {} }).config.missingApiKeyMessage;
    expect(none).toContain('the netrc file ($NETRC or ~/.netrc: none found)');
    expect(resolveConfig({ baseUrl: 'http://127.0.0.1:9', env: {} }).missingApiKeyMessage).toBe('No API key for 127.0.0.1:9: pass apiKey or set WANDB_API_KEY.');
  });

  it('refuses a base URL that ends with /graphql, saying to drop it', () => {
    expect(() => resolveConfig({ env: {}, baseUrl: 'http://localhost:8080/graphql/' })).toThrow("Invalid base URL 'http://localhost:8080/graphql/': it ends with /graphql: drop it.");
    expect(() => createClient({ env: { WANDB_BASE_URL: 'https://wandb.acme.com/graphql' } })).toThrow(ValidationError);
    expect(() => resolveConfig({ env: {}, baseUrl: 'http://api.wandb.ai' })).toThrow('did you mean https://api.wandb.ai');
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
