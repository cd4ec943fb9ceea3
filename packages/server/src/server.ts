/** startServer: opens (and maybe seeds) the store, then serves the API and storage origins. */
import { getSchema } from './graphql/schema';
import { createExecutor } from './graphql/execute';
import { apiRoute } from './http/api';
import { Faults, type FaultRule } from './http/faults';
import { listen } from './http/listen';
import { pipeline } from './http/pipeline';
import type { RequestLogEntry } from './http/requestLog';
import { storageRoute } from './http/storage';
import { applySeed, PRIMARY_USER, type SeedSpec } from './seed/seed';
import { openDb } from './store/db';
import { Store } from './store/store';

export interface StartServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Keep state in `<dataDir>/wandb.sqlite` (WAL); a restart on the same dir keeps data and keys. */
  dataDir?: string;
  /** In-memory database; the default when there is no dataDir. */
  memory?: boolean;
  /** Applied only when the database is new. Default 'empty' (just the primary user). */
  seed?: SeedSpec;
  faults?: FaultRule[];
  /** Seed of the PRNG behind fault `rate`s; default 1. */
  faultSeed?: number;
  /** Default true. */
  cors?: boolean;
}

export interface LocalServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** The primary user's API key. */
  apiKey: string;
  username: string;
  /** The primary user's personal entity. */
  entity: string;
  /** A second origin standing in for signed storage URLs (GET /blob/<name>); it rejects credentials. */
  storageUrl: string;
  store: Store;
  faults: Faults;
  /** Every request on both origins, in arrival order. Clear with clearRequests() or `requests.length = 0`. */
  requests: RequestLogEntry[];
  clearRequests(): void;
  stop(): Promise<void>;
}

export async function startServer(opts: StartServerOptions = {}): Promise<LocalServer> {
  const host = opts.host ?? '127.0.0.1';
  const memory = opts.memory ?? !opts.dataDir;
  const { db, isNew } = openDb({ dataDir: memory ? undefined : opts.dataDir });
  const store = new Store(db);
  try {
    if (isNew) applySeed(store, opts.seed ?? 'empty');
    // A database made elsewhere may lack our primary user; give it one.
    if (!store.primaryUser()) {
      if (!store.users.byName(PRIMARY_USER)) store.createUser({ username: PRIMARY_USER, admin: true });
      store.setPrimaryUser(PRIMARY_USER);
    }
  } catch (err) {
    store.close();
    throw err;
  }
  const primary = store.primaryUser();
  const apiKey = primary && (store.users.firstApiKey(primary.id) ?? store.users.addApiKey(primary.id));
  if (!primary || !apiKey) throw new Error('no primary user');

  const faults = new Faults(opts.faults, opts.faultSeed);
  const requests: RequestLogEntry[] = [];
  const cors = opts.cors ?? true;
  const executor = createExecutor(getSchema());

  const api = await listen(pipeline({ origin: 'api', faults, requests, cors }, apiRoute(store, executor)), host, opts.port ?? 0);
  const storage = await listen(pipeline({ origin: 'storage', faults, requests, cors }, storageRoute()), host, 0).catch(
    async (err: unknown) => {
      await api.close();
      store.close();
      throw err;
    },
  );

  let stopping: Promise<void> | undefined;
  return {
    url: api.url,
    apiKey,
    username: primary.username,
    entity: store.personalEntity(primary).name,
    storageUrl: storage.url,
    store,
    faults,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([api.close(), storage.close()]);
        store.close();
      })()),
  };
}
