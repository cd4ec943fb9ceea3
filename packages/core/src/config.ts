import type { Clock } from './clock.js';
import { ValidationError, mustBe } from './errors.js';
import { type LogLevel, type Logger, levelLogger, logLevelOf } from './log.js';
import type { RequestHooks } from './hooks.js';
import type { Transport } from './transport.js';
import { VERSION } from './version.js';

export type { Logger, LogLevel } from './log.js';

/** Options of `createClient`; anything left out comes from the environment, then defaults. */
export interface ClientOptions {
  /** W&B API server. Default: `WANDB_BASE_URL`, then (Node) `base_url` of W&B's settings file, then `https://api.wandb.ai`. */
  baseUrl?: string;
  /** API key. Default: `WANDB_API_KEY`, then (Node) the netrc entry for the base URL's host. */
  apiKey?: string;
  /** Default entity for paths that name none. Default: `WANDB_ENTITY`, then (Node) the settings file, then the viewer's entity. */
  entity?: string;
  /** Default project. Default: `WANDB_PROJECT`, then (Node) the settings file, then `uncategorized`. */
  project?: string;
  /** Default organization for registry paths. Default: `WANDB_ORGANIZATION`, then (Node) the settings file. */
  organization?: string;
  /**
   * Timeout of one HTTP attempt in ms: until the response headers, and for answers read whole (JSON,
   * manifests, parquet ranges) until the last byte. `Infinity` means no timeout; values above
   * 2³¹−1 (24.8 days) too. Default: `WANDB_HTTP_TIMEOUT` (seconds) × 1000, or 30 000.
   */
  timeoutMs?: number;
  /** Longest wait for the next byte of a response body, in ms (`Infinity`: none). Default: `timeoutMs`. */
  idleTimeoutMs?: number;
  /** Retries after the first attempt. Default 8. */
  maxRetries?: number;
  /** Total time one call may spend retrying, in ms: no retry starts after it. Default 60 000. */
  maxRetryTimeMs?: number;
  /** First backoff delay in ms (doubles each retry, −0–25 % jitter). Default 100. */
  retryBaseDelayMs?: number;
  /** Largest backoff delay in ms (a server's Retry-After is honoured even when longer). Default 10 000. */
  retryMaxDelayMs?: number;
  /**
   * Tokens of the client-wide retry budget (AWS SDK v3's standard strategy): a retry costs 5, a
   * retry after a timeout 10, a success gives back 1 (or the cost of its retry). When it is empty,
   * failures are thrown without retrying, so an outage ends every call quickly. Default 500.
   */
  retryBudget?: number;
  /** Extra headers sent with every request to the W&B server. */
  headers?: Record<string, string>;
  /**
   * The fetch implementation to use. Default: the global fetch; in Node, GETs (downloads) go over
   * node:http (`httpFetch`), and when `HTTPS_PROXY`, `HTTP_PROXY` or
   * `NO_PROXY` (any case) is set, everything goes through undici's `EnvHttpProxyAgent` (storage
   * downloads included). A fetch given here is used as it is (its own proxy settings).
   */
  fetch?: typeof fetch;
  /**
   * Where log lines go: any console-like object (`warn` at least; `error`, `info`, `debug` when it
   * has them). Default: stderr in Node, the console in browsers.
   */
  logger?: Logger;
  /**
   * What is logged: `info` logs each request (operation, status, attempt, ms), `debug` adds the
   * variables (API key redacted); retries and paging stalls are `warn`. Default: `WANDB_API_LOG`,
   * else `warn` in Node (or with a `logger`) and `off` in browsers.
   */
  logLevel?: LogLevel;
  /** Called once per HTTP attempt (metrics, tracing). */
  hooks?: RequestHooks;
  /** The time source of backoff and timeouts (tests). Default: Date.now and the global timers. */
  clock?: Clock;
  /**
   * Environment to read instead of `process.env` (tests, edge runtimes). In Node it also names the
   * files read (`HOME`, `NETRC`, `WANDB_CONFIG_DIR`, `WANDB_DIR`): nothing falls back to the
   * machine's home or current directory.
   */
  env?: Record<string, string | undefined>;
}

/** Configuration after options, environment and defaults are merged. */
export interface ResolvedConfig {
  /** The W&B API server, without a trailing slash (e.g. `https://api.wandb.ai`). */
  readonly baseUrl: string;
  /** The web app's URL for this server (e.g. `https://wandb.ai`), used for object URLs. */
  readonly appUrl: string;
  /** The API key, or undefined for anonymous requests. */
  readonly apiKey: string | undefined;
  /** Where the Authorization header comes from without an API key (federated identity), else undefined. */
  readonly credentials: Credentials | undefined;
  /** Why there is no API key: the host and every place it was looked for (the message of the error a request without one gets). */
  readonly missingApiKeyMessage: string;
  /** The default entity (WANDB_ENTITY), when set. */
  readonly entity: string | undefined;
  /** The default project (WANDB_PROJECT), when set. */
  readonly project: string | undefined;
  /** The default organization for registry paths (WANDB_ORGANIZATION), when set. */
  readonly organization: string | undefined;
  /** Timeout of each attempt of a request, in milliseconds (`Infinity`: none). */
  readonly timeoutMs: number;
  /** Longest wait for the next byte of a body, in milliseconds (`Infinity`: none). */
  readonly idleTimeoutMs: number;
  /** Tokens of the client-wide retry budget. */
  readonly retryBudget: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Total time retries may take, in milliseconds. */
  readonly maxRetryTimeMs: number;
  /** The first backoff delay, in milliseconds; it doubles each retry. */
  readonly retryBaseDelayMs: number;
  /** The largest backoff delay, in milliseconds. */
  readonly retryMaxDelayMs: number;
  /** Extra headers sent with every request to the W&B server. */
  readonly headers: Readonly<Record<string, string>>;
  /** The fetch implementation in use. */
  readonly fetch: typeof fetch;
  /** Where log lines go, already filtered by `logLevel`. */
  readonly logger: Required<Logger>;
  /** Called once per HTTP attempt. */
  readonly hooks: RequestHooks;
  /** The time source of backoff and timeouts. */
  readonly clock: Clock | undefined;
  /** The User-Agent sent with every request. */
  readonly userAgent: string;
  /** Explains a fetch failure for messages (see `ConfigFiles.networkCause`). */
  readonly networkCause: NetworkCause;
}

/**
 * Explains a failed fetch: a short `detail` for messages (`ECONNREFUSED 127.0.0.1:29999`), whether
 * it proves the request never left (`unsent`: refused, DNS, TLS, a port fetch refuses), and whether
 * the connection was a kept-alive one the server had closed (`stale`: sent again at once).
 */
export type NetworkCause = (error: unknown) => { detail: string; unsent: boolean; stale?: boolean };

/** The public W&B cloud, used when neither options nor WANDB_BASE_URL name a server. */
export const DEFAULT_BASE_URL = 'https://api.wandb.ai';
/** The project W&B puts runs in when none is named. */
export const DEFAULT_PROJECT = 'uncategorized';
/** Where W&B keeps run queues: this project of the queue's entity (Python's LAUNCH_DEFAULT_PROJECT). */
export const LAUNCH_PROJECT = 'model-registry';
/** The User-Agent this SDK sends (W&B recognises the `W&B Public Client` prefix). */
export const USER_AGENT = `W&B Public Client wandb-api-ts/${VERSION}`;

/** The process environment where there is one (Node, Bun, Deno with env access); else empty. */
export function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Normalises and checks a base URL: absolute http(s), no trailing slash, not the GraphQL endpoint itself. */
export function normaliseBaseUrl(raw: string): string {
  const bad = (why: string) => new ValidationError(`Invalid base URL '${raw}': ${why}.`);
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!/^https?:$/.test(url?.protocol!)) throw bad('only http and https are supported');
  const { hostname, protocol } = url!;
  if (/(^|\.)wandb\.ai$/.test(hostname) && (!hostname.startsWith('api.') || protocol !== 'https:')) throw bad('did you mean https://api.wandb.ai?');
  url!.search = url!.hash = '';
  const base = url!.toString().replace(/\/+$/, '');
  // Requests go to `${baseUrl}/graphql`; a base URL that already ends there would double it.
  if (/\/graphql$/i.test(base)) throw bad('it ends with /graphql: drop it');
  return base;
}

/** The W&B app (UI) URL for a base URL, as the Python client derives it; always ends with `/`. */
export function appUrlFor(baseUrl: string, env: Record<string, string | undefined>): string {
  // api.wandb.test → app.wandb.test, api.wandb.X → wandb.X, api.X → app.X
  const app = nonEmpty(env.WANDB_APP_URL) ?? baseUrl.replace(/:\/\/api\.(wandb\.(?!test))?/, (_, wandb?: string) => `://${wandb ?? 'app.'}`);
  return app.replace(/\/?$/, '/');
}

/**
 * Checks an API key's shape locally, as W&B does: after an optional `prefix-`, at least 40
 * characters of `[A-Za-z0-9_-]`; a JWT is accepted as it is.
 */
export function checkApiKey(key: string): void {
  const secret = key.slice(key.indexOf('-') + 1);
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(key)) return;
  if (!/^[\w-]*$/.test(secret)) throw new ValidationError('API key may only hold A-Z, a-z, 0-9, _ and -.');
  if (secret.length < 40) throw mustBe('API key', '40+ characters long', `${secret.length}`);
}

/** Defaults of the numeric options. */
const NUMBERS = { timeoutMs: 30_000, idleTimeoutMs: 0, maxRetries: 8, maxRetryTimeMs: 60_000, retryBaseDelayMs: 100, retryMaxDelayMs: 10_000, retryBudget: 500 };

/**
 * Checks a timeout in ms: > 0, `Infinity` for none (0 is refused rather than guessed at).
 * @example checkTimeout('timeoutMs', 5_000) // 5000
 */
export function checkTimeout(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0)) throw mustBe(name, 'a number of ms > 0 (Infinity for no timeout)', value);
  return value;
}

/** What Node adds to the configuration (nothing in browsers): W&B's settings files and the netrc file. */
export interface ConfigFiles {
  /** The `[default]` section of W&B's settings files (`base_url`, `entity`, `project`, `organization`). */
  settings?: Readonly<Record<string, string>>;
  /** The API key the netrc file holds for a base URL's host. */
  netrcKey?: (baseUrl: string) => string | undefined;
  /** Where a key was looked for and how to add one, for the "no API key" message. */
  keyHelp?: (baseUrl: string) => string;
  /** Federated identity (`WANDB_IDENTITY_TOKEN_FILE`): the credentials for a base URL, used when no API key is given. */
  identity?: (baseUrl: string) => Credentials;
  /**
   * Explains a fetch failure from Node's error codes (`ECONNREFUSED` …, deep in `cause`); without it
   * (browsers, whose fetch says only "Failed to fetch") the message is the detail and nothing proves
   * a request unsent.
   */
  networkCause?: NetworkCause;
}

/**
 * Where the `Authorization` header comes from when there is no API key: federated identity, an
 * access token exchanged for the identity provider's JWT (Node, `WANDB_IDENTITY_TOKEN_FILE`).
 */
export interface Credentials {
  /** The header value (`Bearer …`); exchanges or refreshes the token through `transport` when needed. */
  authorization(transport: Transport, signal?: AbortSignal): Promise<string>;
}

/**
 * Merges options, environment, the settings file and defaults (in that order of precedence), then
 * finds the API key: options, `WANDB_API_KEY`, then the netrc entry for the base URL's host.
 * `files` are read by the Node entry only.
 */
export function resolveConfig(options: ClientOptions = {}, files: ConfigFiles = {}): ResolvedConfig {
  const env = options.env ?? processEnv();
  const { settings = {}, identity } = files;
  // The option, else WANDB_<SETTING> (WANDB_BASE_URL …), else the settings file's `setting`.
  const pick = (name: 'baseUrl' | 'entity' | 'project' | 'organization', setting: string) =>
    nonEmpty(options[name]) ?? nonEmpty(env[`WANDB_${setting.toUpperCase()}`]) ?? nonEmpty(settings[setting]);
  const baseUrl = normaliseBaseUrl(pick('baseUrl', 'base_url') ?? DEFAULT_BASE_URL);
  // An identity token file comes before the netrc file (Node's createClient refuses it with WANDB_API_KEY, as Python does).
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.WANDB_API_KEY) ?? (identity ? undefined : files.netrcKey?.(baseUrl));
  if (apiKey !== undefined) checkApiKey(apiKey);

  const envTimeout = nonEmpty(env.WANDB_HTTP_TIMEOUT);
  if (envTimeout && !(+envTimeout > 0)) throw mustBe('WANDB_HTTP_TIMEOUT', 'seconds > 0', `'${envTimeout}'`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new ValidationError('No global fetch: pass `fetch` in the options.');
  const numbers = { ...NUMBERS };
  for (const name of Object.keys(NUMBERS) as (keyof typeof NUMBERS)[]) {
    const value: unknown = options[name] ?? (name === 'timeoutMs' && envTimeout ? +envTimeout * 1000 : undefined);
    if (value === undefined) continue;
    if (/timeoutMs$/i.test(name)) checkTimeout(name, value);
    else if (typeof value !== 'number' || !(value >= 0) || (value === Infinity && !/Time|Budget/.test(name))) throw mustBe(name, 'a non-negative number', value);
    numbers[name] = value as number;
  }
  numbers.idleTimeoutMs ||= numbers.timeoutMs;
  return {
    baseUrl,
    appUrl: appUrlFor(baseUrl, env),
    apiKey,
    credentials: apiKey ? undefined : identity?.(baseUrl),
    missingApiKeyMessage: `No API key for ${new URL(baseUrl).host}: ${files.keyHelp?.(baseUrl) ?? 'pass apiKey or set WANDB_API_KEY'}.`,
    entity: pick('entity', 'entity'),
    project: pick('project', 'project'),
    organization: pick('organization', 'organization'),
    ...numbers,
    headers: { ...options.headers },
    // Bound so that a browser's window.fetch is not called with another `this`.
    fetch: options.fetch ?? ((input, init) => fetchImpl(input, init)),
    logger: levelLogger(options.logger, logLevelOf(options.logLevel ?? nonEmpty(env.WANDB_API_LOG), options.logger)),
    hooks: { ...options.hooks },
    clock: options.clock,
    userAgent: USER_AGENT,
    networkCause: files.networkCause ?? ((error) => ({ detail: String((error as Error)?.message ?? error), unsent: false })),
  };
}
