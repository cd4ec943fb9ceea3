// Paginated<T>: `await` gives the first page, `for await` gives every item, `.pages()` gives pages,
// `.toArray({limit})`, `.count()` asks the server for the total without loading pages. The next page
// is fetched while the caller consumes the current one; paging stops on hasNextPage=false, a missing
// cursor, an empty page, or a cursor that does not advance; items are de-duplicated by id.
import type { Logger } from './config.js';
import { WandbError } from './errors.js';
import { throwIfAborted } from './signal.js';

/** One page as a fetcher returns it. */
export interface PageResult<T> {
  /** The items of this page. */
  readonly items: readonly T[];
  /** The cursor to pass to get the next page. */
  readonly cursor: string | null;
  /** Whether the server has another page. */
  readonly hasNextPage: boolean;
}

/** Options of a Paginated list. */
export interface PaginatedOptions<T> {
  /** Loads one page; `cursor` is null for the first. */
  fetchPage(cursor: string | null, signal: AbortSignal | undefined): Promise<PageResult<T>>;
  /** The server's total, when it has one. */
  count?(signal: AbortSignal | undefined): Promise<number>;
  /** Identity used to drop an item a shifting page sends twice. */
  idOf?(item: T): string;
  /** Stops paging when it fires; checked between pages. */
  signal?: AbortSignal;
  /** Receives a warning when a cursor stops advancing. */
  logger?: Logger;
}

/**
 * A lazily paged list, returned by every `list*` function.
 * `await` gives the first page, `for await` every item, `.pages()` the pages, `.toArray({ limit })`
 * an array and `.count()` the server's total without loading pages. The next page is fetched while
 * the current one is consumed; items are de-duplicated by id.
 * @example
 * const runs = listRuns(client, 'acme/mnist');
 * console.log(await runs.count());
 * for await (const run of runs) console.log(run.id);
 */
export class Paginated<T> implements PromiseLike<PageResult<T>>, AsyncIterable<T> {
  private firstPage: Promise<PageResult<T>> | undefined;

  constructor(private readonly options: PaginatedOptions<T>) {}

  private first(): Promise<PageResult<T>> {
    this.firstPage ??= this.options.fetchPage(null, this.options.signal);
    // A failed first page is not kept: awaiting again retries it.
    this.firstPage.catch(() => (this.firstPage = undefined));
    return this.firstPage;
  }

  /** Awaiting a list gives its first page. */
  then<R1 = PageResult<T>, R2 = never>(
    onfulfilled?: ((value: PageResult<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.first().then(onfulfilled, onrejected);
  }

  /** Every page in order, each as an array of new (not yet seen) items. */
  async *pages(): AsyncGenerator<readonly T[], void, undefined> {
    const { signal, idOf, logger } = this.options;
    const seen = new Set<string>();
    let pending: Promise<PageResult<T>> | undefined = this.first();
    let previousCursor: string | null = null;
    while (pending) {
      const { items, cursor, hasNextPage }: PageResult<T> = await pending;
      pending = undefined;
      throwIfAborted(signal);
      if (hasNextPage) {
        if (items.length && cursor !== null && cursor !== previousCursor) {
          // Prefetch while the caller works on this page; a failure surfaces when awaited.
          (pending = this.options.fetchPage(cursor, signal)).catch(() => {});
        } else {
          logger?.warn(`Stopped paging: the server claimed more pages but sent ${items.length ? 'the same cursor' : 'an empty page'}.`);
        }
      }
      previousCursor = cursor;
      // An item is new when adding its id grows the set.
      const fresh = idOf ? items.filter((item) => seen.size < seen.add(idOf(item)).size) : items;
      if (fresh.length) yield fresh;
    }
  }

  /** Yields every item of every page, loading pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  /** Loads items into an array, stopping after `limit` items when given. */
  async toArray({ limit = Infinity }: { limit?: number } = {}): Promise<T[]> {
    const out: T[] = [];
    if (limit > 0) for await (const item of this) if (out.push(item) >= limit) break;
    return out;
  }

  /** The same list with each item transformed (paging, prefetch and count are kept). */
  map<U>(transform: (item: T) => U): Paginated<U> {
    const { fetchPage, idOf } = this.options;
    // The source item's id, kept for each mapped object.
    const byId = new WeakMap<object, string>();
    return new Paginated<U>({
      ...(this.options as unknown as PaginatedOptions<U>),
      idOf: idOf && ((item) => byId.get(item as object) ?? String(item)),
      fetchPage: async (cursor, pageSignal) => {
        const page = await fetchPage(cursor, pageSignal);
        const items = page.items.map((item) => {
          const mapped = transform(item);
          if (idOf && typeof mapped === 'object' && mapped) byId.set(mapped, idOf(item));
          return mapped;
        });
        return { ...page, items };
      },
    });
  }

  /** The server's total count, asked without loading pages. */
  count(): Promise<number> {
    return this.options.count ? this.options.count(this.options.signal) : Promise.reject(new WandbError('This list has no server-side count.'));
  }
}

/**
 * A list whose code loads on first use (await, iteration, `.count()`): `load` runs then (a failed
 * load is retried on next use), `list` builds the real list from what it gave, and this list
 * delegates to it, with that list's own paging, prefetch, de-duplication, count, signal and logger.
 * It lets a synchronous method return a list whose module is imported on demand. (A function, not
 * a static of Paginated, so bundles that never defer a list leave it out.)
 * @example const items = deferPaginated(() => import('@wandb-api/launch'), (launch) => launch.runQueueItems(client, queue));
 */
export function deferPaginated<M, T>(load: () => Promise<M>, list: (loaded: M) => Paginated<T>): Paginated<T> {
  return new DeferredPaginated(async () => ({ list: list(await load()) }));
}

// The list behind deferPaginated: every method waits for the loaded list and delegates to it, so
// the options passed to super are never used.
class DeferredPaginated<T> extends Paginated<T> {
  // Boxed: a Paginated is thenable, so a promise of one would resolve to its first page instead.
  private loaded: Promise<{ list: Paginated<T> }> | undefined;

  constructor(private readonly load: () => Promise<{ list: Paginated<T> }>) {
    super({ fetchPage: () => Promise.reject(new WandbError('A deferred list pages through the list it loads.')) });
  }

  private loadedList(): Promise<{ list: Paginated<T> }> {
    if (!this.loaded) {
      const loaded = (this.loaded = this.load());
      // A failed load is not kept: using the list again retries it.
      loaded.catch(() => {
        if (this.loaded === loaded) this.loaded = undefined;
      });
    }
    return this.loaded;
  }

  override then<R1 = PageResult<T>, R2 = never>(
    onfulfilled?: ((value: PageResult<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.loadedList().then(({ list }) => list.then(onfulfilled, onrejected), onrejected);
  }

  override async *pages(): AsyncGenerator<readonly T[], void, undefined> {
    yield* (await this.loadedList()).list.pages();
  }

  override async count(): Promise<number> {
    return (await this.loadedList()).list.count();
  }

  override map<U>(transform: (item: T) => U): Paginated<U> {
    return new DeferredPaginated(async () => ({ list: (await this.loadedList()).list.map(transform) }));
  }
}
