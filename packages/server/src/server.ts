/** startServer: opens (and maybe seeds) the store, then serves the API and storage origins. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSchema } from './graphql/schema';
import { SCHEMA_PROFILES, type SchemaProfile } from './graphql/profiles';
import { createExecutor } from './graphql/execute';
import { apiRoute } from './http/api';
import { FileLinks } from './http/fileLinks';
import { Identity, type IdentityOptions } from './http/oidc';
import { checkPublicUrl } from './http/publicUrl';
import { Faults, type FaultRule } from './http/faults';
import { listen } from './http/listen';
import { pipeline } from './http/pipeline';
import { DEFAULT_REQUEST_LOG_LIMIT, type RequestLogEntry } from './http/requestLog';
import { loadServerKey, UrlSigner } from './http/signing';
import { storageRoute } from './http/storage';
import { WebhookDispatcher } from './http/webhooks';
import { primaryApiKey } from './primaryKey';
import { applySeed, PRIMARY_USER, type SeedSpec } from './seed/seed';
import { seedListener } from './fixture/route';
import { createSeeder, type Seeder } from './fixture/seeder';
import { Blobs } from './store/blobs';
import { automationEvents } from './store/automationEvents';
import { openDb } from './store/db';
import type { HistoryExportPolicy } from './store/historyExports';
import { Store } from './store/store';
import { type AutomationExecution, toExecution, triggerExecutions } from './store/triggerExecutions';

/** Options of `startServer`. */
export interface StartServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Keep state in `<dataDir>/wandb.sqlite` (WAL) and the server key in `<dataDir>/server.key` (0600):
   * a restart on the same dir keeps data, API keys, signed URLs and access tokens valid. API keys are
   * stored hashed, so the primary user's key is also kept in `<dataDir>/primary-api-key` (mode 0600)
   * for `apiKey` to return after a restart.
   */
  dataDir?: string;
  /** In-memory database; the default when there is no dataDir. */
  memory?: boolean;
  /** Applied only when the database is new. Default 'empty' (just the primary user). */
  seed?: SeedSpec;
  /** Faults to inject from the start; more can be added with `server.faults.add`. */
  faults?: FaultRule[];
  /** Seed of the PRNG behind fault `rate`s; default 1. */
  faultSeed?: number;
  /** Default true. */
  cors?: boolean;
  /** How long signed storage URLs (directUrl, upload URLs) stay valid; default 1 hour. */
  signedUrlTtlMs?: number;
  /** How many entries `requests` keeps (the oldest go first); default 10,000. */
  requestLogLimit?: number;
  /** serverInfo.features overrides, e.g. `{ SWEEPS_QUERY_FILTERING: false }` to act as an older server. */
  features?: Readonly<Record<string, boolean>>;
  /**
   * Parquet exports of run history (Run.parquetHistory): 'finished' exports runs that have ended,
   * as W&B does; 'all' every run; 'off' (default) none, so every row is live GraphQL data.
   */
  historyExports?: HistoryExportPolicy;
  /**
   * The URL clients reach the API origin by, behind a reverse proxy (e.g. `https://wandb.example.com`,
   * a path prefix allowed). Every URL the server hands out is built from it. Without it the server
   * uses each request's `X-Forwarded-Proto`/`-Host`/`-Port`/`-Prefix` or `Host` headers.
   */
  publicUrl?: string;
  /** The URL clients reach the storage origin by; default: `<public API URL>/storage` behind a proxy. */
  publicStorageUrl?: string;
  /**
   * Federated identity: the JWT issuers whose tokens `POST /oidc/token` exchanges for access tokens
   * (`Authorization: Bearer`). Without it every exchange is refused with `invalid_grant`.
   */
  identity?: IdentityOptions;
  /** Organization.featureFlags answers: organization name → ramp key → enabled. Default none. */
  orgFeatureFlags?: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /**
   * Which W&B schema to speak: 'current' (default), or 'w&b-2023', the schema as it was in April 2023
   * (without everything W&B added since: registries, parquet history, `serverInfo.features` …), to
   * act as an older W&B Server. The resolvers are the same.
   */
  schema?: SchemaProfile;
  /** The version `serverInfo.latestLocalVersionInfo` reports; default `wandb-api-server (<schema>)`. */
  version?: string;
}

/** A running local server, as `startServer` returns it. */
export interface LocalServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** The primary user's API key (the database keeps only its hash; see `dataDir`). */
  apiKey: string;
  /** The primary user's name. */
  username: string;
  /** The primary user's personal entity. */
  entity: string;
  /** A second origin standing in for a bucket behind signed URLs (GET /blob/<md5>, PUT /upload/…); it rejects credentials. */
  storageUrl: string;
  /**
   * Per-test data (projects, runs, files, artifacts, users, teams), acting as the primary user.
   * From another process, `connectSeeder({ url, apiKey })` gives the same API over HTTP.
   */
  seed: Seeder;
  /**
   * The server's state, for this repository's own tests and fixtures: its shape follows the server's
   * internals and may change in any release. Use `seed` instead.
   * @internal
   */
  store: Store;
  /** The injected faults, changeable while the server runs. */
  faults: Faults;
  /**
   * The latest requests on both origins (at most `requestLogLimit`), in arrival order. Clear with
   * clearRequests() or `requests.length = 0`.
   */
  requests: RequestLogEntry[];
  /** Empties `requests`. */
  clearRequests(): void;
  /**
   * The automations this server fired: their execution history (also served at
   * `GET /_automations/executions`), and a wait for the webhook requests still under way.
   */
  automations: LocalAutomations;
  /** Closes both origins and the database; removes temporary data. */
  stop(): Promise<void>;
}

/** What `server.automations` offers: the history of fired automations. */
export interface LocalAutomations {
  /** Executions oldest first; `entity` and `automation` (a name) narrow them. */
  executions(filter?: { entity?: string; automation?: string }): AutomationExecution[];
  /** Resolves when every webhook request sent so far has its outcome recorded. */
  settled(): Promise<void>;
}

/**
 * Starts a W&B-compatible server on loopback: GraphQL at `/graphql`, file routes, and a second
 * origin for signed storage URLs. State is in memory unless `dataDir` is given.
 * @example
 * const server = await startServer({ seed: 'demo' });
 * const client = createClient({ baseUrl: server.url, apiKey: server.apiKey });
 * await server.stop();
 */
export async function startServer(opts: StartServerOptions = {}): Promise<LocalServer> {
  const host = opts.host ?? '127.0.0.1';
  const publicUrl = opts.publicUrl === undefined ? undefined : checkPublicUrl(opts.publicUrl, 'publicUrl');
  const publicStorageUrl = opts.publicStorageUrl === undefined ? undefined : checkPublicUrl(opts.publicStorageUrl, 'publicStorageUrl');
  const memory = opts.memory ?? !opts.dataDir;
  const { db, isNew } = openDb({ dataDir: memory ? undefined : opts.dataDir });
  // File contents live next to the database, or in a temp dir that stop() removes.
  const tempBlobs = memory || !opts.dataDir;
  const blobs = new Blobs(tempBlobs || !opts.dataDir ? mkdtempSync(join(tmpdir(), 'wandb-api-blobs-')) : join(opts.dataDir, 'blobs'));
  const store = new Store(db, blobs);
  if (opts.features) store.features = { ...opts.features };
  if (opts.historyExports) store.historyExportPolicy = opts.historyExports;
  if (opts.orgFeatureFlags) store.orgFeatureFlags = { ...opts.orgFeatureFlags };
  const profile = opts.schema ?? 'current';
  if (!SCHEMA_PROFILES.includes(profile)) throw new Error(`schema must be one of ${SCHEMA_PROFILES.join(', ')}, got ${JSON.stringify(profile)}`);
  store.serverVersion = opts.version ?? `wandb-api-server (${profile})`;
  const closeStore = (): void => {
    store.close();
    if (tempBlobs) blobs.destroy();
  };
  let apiKey: string;
  let primary: ReturnType<Store['primaryUser']>;
  try {
    let minted: string | undefined; // the primary user's key, when this start creates it
    if (isNew) minted = applySeed(store, opts.seed ?? 'empty');
    // A database made elsewhere may lack our primary user; give it one.
    if (!store.primaryUser()) {
      if (!store.users.byName(PRIMARY_USER)) minted = store.createUser({ username: PRIMARY_USER, admin: true }).apiKey;
      store.setPrimaryUser(PRIMARY_USER);
    }
    primary = store.primaryUser();
    if (!primary) throw new Error('no primary user');
    apiKey = primaryApiKey(store, primary, memory ? undefined : opts.dataDir, minted);
  } catch (err) {
    closeStore();
    throw err;
  }

  const faults = new Faults(opts.faults, opts.faultSeed);
  const requests: RequestLogEntry[] = [];
  const requestLogLimit = opts.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT;
  if (!Number.isInteger(requestLogLimit) || requestLogLimit < 0) throw new Error(`requestLogLimit must be a whole number ≥ 0, got ${requestLogLimit}`);
  const cors = opts.cors ?? true;
  const executor = createExecutor(getSchema(profile));
  let serverKey: Buffer;
  try {
    serverKey = loadServerKey(memory ? undefined : opts.dataDir);
  } catch (err) {
    closeStore();
    throw err;
  }
  const links = new FileLinks(new UrlSigner(serverKey), opts.signedUrlTtlMs ?? 3_600_000, { api: publicUrl, storage: publicStorageUrl });
  const identity = new Identity(store, opts.identity ?? { issuers: [] }, serverKey);
  store.accessTokens = identity;

  const apiRoutes = apiRoute(store, executor, links, { identity, storage: storageRoute(store, links, true) });
  // Seeding requests are answered before the W&B API's pipeline: no request log entry, no fault.
  const apiListener = seedListener(store, pipeline({ origin: 'api', faults, requests, requestLogLimit, cors }, apiRoutes));
  const api = await listen(apiListener, host, opts.port ?? 0).catch(
    (err: unknown) => {
      closeStore(); // a taken port must not leave the database open
      throw err;
    },
  );
  const storage = await listen(pipeline({ origin: 'storage', faults, requests, requestLogLimit, cors }, storageRoute(store, links)), host, 0).catch(
    async (err: unknown) => {
      await api.close();
      closeStore();
      throw err;
    },
  );

  links.setOrigins(api.url, storage.url);
  const dispatcher = new WebhookDispatcher(store);
  automationEvents(store).dispatcher = dispatcher;

  let stopping: Promise<void> | undefined;
  return {
    url: api.url,
    apiKey,
    username: primary.username,
    entity: store.personalEntity(primary).name,
    storageUrl: storage.url,
    seed: createSeeder(store, primary),
    store,
    faults,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    automations: {
      executions: (filter = {}) => {
        const entity = filter.entity === undefined ? undefined : store.entities.byName(filter.entity);
        if (filter.entity !== undefined && !entity) return [];
        return triggerExecutions(store)
          .list({ ...(entity ? { entityId: entity.id } : {}), ...(filter.automation === undefined ? {} : { triggerName: filter.automation }) })
          .map(toExecution);
      },
      settled: () => dispatcher.settled(),
    },
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([api.close(), storage.close()]);
        dispatcher.close();
        closeStore();
      })()),
  };
}
