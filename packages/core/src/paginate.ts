// Paginated<T>: `await` gives the first page, `for await` gives every item, `.pages()` gives pages,
// `.toArray({limit})`, `.count()` asks the server for the total without loading pages. Every
// iteration is a fresh listing. The next page is fetched while the caller consumes the current
// one, unless the caller's limit is reached; stopping early (break, limit, abort) cancels it.
// Items are de-duplicated by id (before `map`). Paging goes on past empty pages while the cursor
// moves; a cursor that does not move while the server claims more is a PaginationError.
import { ValidationError, WandbError } from './errors.js';
import { anySignal, throwIfAborted } from './signal.js';

/** One page as a fetcher returns it. */
export interface PageResult<T> {
  /** The items of this page. */
  readonly items: readonly T[];
  /** The cursor to pass to get the next page (null for lists not paged by cursor). */
  readonly cursor: string | null;
  /** Whether the server has another page (a list not paged by cursor says true unless it ended). */
  readonly hasNextPage: boolean;
}

/** Options of a Paginated list: `fetchPage` (paged by cursor) or `pages` (any other listing). */
export interface PaginatedOptions<T> {
  /** Loads one page; `cursor` is null for the first. */
  fetchPage?(cursor: string | null, signal: AbortSignal | undefined): Promise<PageResult<T>>;
  /**
   * The pages of a fresh listing, for lists not paged by cursor (history scans, chained searches).
   * `signal` fires when the caller stops (break, limit, abort): stop then, requesting nothing more.
   * `limit` is how many items the caller takes at most: request no more than that needs.
   */
  pages?(signal: AbortSignal, limit: number): AsyncIterable<readonly T[]>;
  /** With `pages`: what `await` gives (default: the first page of a listing made for it). */
  first?(): Promise<PageResult<T>>;
  /** The server's total, when it has one. */
  count?(signal: AbortSignal | undefined): Promise<number>;
  /** Identity used to drop an item a shifting page sends twice. */
  idOf?(item: T): string;
  /** Stops paging when it fires (AbortError), cancelling the request in flight. */
  signal?: AbortSignal | undefined;
}

/** The server claimed more pages but gave no cursor, or the same one again: the listing cannot go on without skipping or repeating items. */
export class PaginationError extends WandbError {
  static override readonly kind: string = 'PaginationError';
}

/**
 * Checks a page size before any request.
 * @example checkPerPage(options.perPage, 50) // 50 when perPage is undefined
 */
export function checkPerPage(perPage: number | undefined, fallback: number): number {
  const value = perPage ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new ValidationError(`perPage must be an integer in 1..10000, got ${String(perPage)}.`);
  return value;
}

/**
 * The cursor that follows a page of a connection: `pageInfo.endCursor`, or the last edge's cursor
 * from a server that leaves endCursor null (or empty) while its edges carry cursors.
 * @example cursor: endCursorOf(data.project.runs)
 */
export function endCursorOf(connection: {
  readonly pageInfo: { readonly endCursor?: string | null };
  readonly edges?: readonly ({ readonly cursor?: string | null } | null)[] | null;
}): string | null {
  return connection.pageInfo.endCursor || connection.edges?.at(-1)?.cursor || null;
}

/**
 * A lazily paged list, returned by every `list*` function.
 * `await` gives the first page, `for await` every item, `.pages()` the pages, `.toArray({ limit })`
 * an array and `.count()` the server's total without loading pages. Each iteration is a fresh
 * listing; the next page is fetched while the current one is consumed, and cancelled when the
 * caller stops early; items are de-duplicated by id.
 * @example
 * const runs = listRuns(client, 'acme/mnist');
 * console.log(await runs.count());
 * for await (const run of runs) console.log(run.id);
 */
export class Paginated<T> implements PromiseLike<PageResult<T>>, AsyncIterable<T> {
  // The page `await` loaded; the next iteration starts from it (and later ones fetch anew).
  private declare firstPage: Promise<PageResult<T>> | undefined;
  private declare readonly options: PaginatedOptions<T>;

  constructor(options: PaginatedOptions<T>) {
    this.options = options;
  }

  /** Awaiting a list gives its first page. */
  then<R1 = PageResult<T>, R2 = never>(
    onfulfilled?: ((value: PageResult<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const { fetchPage, first, signal } = this.options;
    const page = (this.firstPage ??= (async () => {
      if (first) return first();
      if (fetchPage) return fetchPage(null, signal);
      let items: readonly T[] = [];
      for await (items of this.walk(1)) break;
      return { items, cursor: null, hasNextPage: items.length > 0 };
    })());
    // A failed first page is not kept: awaiting again retries it.
    page.catch(() => this.firstPage === page && (this.firstPage = undefined));
    return page.then(onfulfilled, onrejected);
  }

  /**
   * @internal The pages of a fresh listing, de-duplicated, with no request beyond what `limit`
   * items need; stopping it (return) cancels what it prefetched.
   */
  async *walk(limit: number): AsyncGenerator<readonly T[], void, undefined> {
    const { pages = this.byCursor, idOf, signal } = this.options;
    const seen = new Set<string>();
    // Fires when this listing ends: what the source has in flight is cancelled before it cleans up.
    const stop = new AbortController();
    const joined = anySignal([signal, stop.signal]);
    const source = pages.call(this, joined.signal, limit)[Symbol.asyncIterator]();
    try {
      for (let next; !(next = await source.next()).done; ) {
        throwIfAborted(signal);
        // An item is new when adding its id grows the set.
        const kept = idOf ? next.value.filter((item) => seen.size < seen.add(idOf(item)).size) : next.value;
        if (kept.length) yield kept;
      }
    } finally {
      stop.abort();
      joined.dispose();
      await source.return?.();
    }
  }

  // The pages of a list paged by cursor (`fetchPage`), starting from the page `await` loaded if any.
  private async *byCursor(signal: AbortSignal, limit: number): AsyncGenerator<readonly T[], void, undefined> {
    const fetchPage = this.options.fetchPage!;
    let pending: Promise<PageResult<T>> | undefined = this.firstPage ?? fetchPage(null, signal);
    this.firstPage = undefined;
    // Every cursor paged on so far: a server that ignores `after` (or `first`) and sends a cursor
    // again would page forever.
    const seen = new Set<string | null>([null]);
    for (let left = limit; pending; ) {
      const { items, cursor, hasNextPage }: PageResult<T> = await pending;
      left -= items.length;
      const stuck: boolean = seen.has(cursor);
      seen.add(cursor);
      // Paging goes on past an empty page while the cursor moves; a connection without edges has no cursor: nothing follows it.
      const next: (() => Promise<PageResult<T>>) | undefined =
        hasNextPage && (items.length || cursor !== null)
          ? (): Promise<PageResult<T>> =>
              stuck
                ? Promise.reject(new PaginationError('The server claimed more pages but sent no new cursor.'))
                : fetchPage(cursor, signal)
          : undefined;
      // Prefetch while the caller works on this page, unless it takes no more; a failure surfaces when awaited.
      (pending = left > 0 ? next?.() : undefined)?.catch(() => {});
      yield items;
      pending ??= next?.();
    }
  }

  /** Every page in order, each as an array of new (not yet seen) items. */
  pages(): AsyncGenerator<readonly T[], void, undefined> {
    return this.walk(Infinity);
  }

  /** Yields every item of every page, loading pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.walk(Infinity)) yield* page;
  }

  /** Loads items into an array, stopping after `limit` items when given (requesting no page beyond them). */
  async toArray({ limit = Infinity }: { limit?: number } = {}): Promise<T[]> {
    const out: T[] = [];
    if (limit > 0) for await (const page of this.walk(limit)) for (const item of page) if (out.push(item) >= limit) return out;
    return out;
  }

  /** The same list with each item transformed after de-duplication (paging, prefetch and count are kept). */
  map<U>(transform: (item: T) => U): Paginated<U> {
    const source = this;
    const mapPage = (items: readonly T[]) => items.map(transform);
    return new Paginated<U>({
      async *pages(_, limit) {
        for await (const page of source.walk(limit)) yield mapPage(page);
      },
      first: () => this.then((page) => ({ ...page, items: mapPage(page.items) })),
      count: () => this.count(),
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
 * delegates to it, with that list's own paging, prefetch, de-duplication, count and signal.
 * It lets a synchronous method return a list whose module is imported on demand. (A function, not
 * a static of Paginated, so bundles that never defer a list leave it out.)
 * @example const items = deferPaginated(() => import('@wandb-api/launch'), (launch) => launch.runQueueItems(client, queue));
 */
export function deferPaginated<M, T>(load: () => Promise<M>, list: (loaded: M) => Paginated<T>): Paginated<T> {
  // Boxed: a Paginated is thenable, so a promise of one would resolve to its first page instead.
  let loaded: Promise<{ list: Paginated<T> }> | undefined;
  const loadedList = () => {
    if (!loaded) {
      const pending = (loaded = load().then((m) => ({ list: list(m) })));
      // A failed load is not kept: using the list again retries it.
      pending.catch(() => loaded === pending && (loaded = undefined));
    }
    return loaded;
  };
  return new Paginated<T>({
    async *pages(_, limit) {
      yield* (await loadedList()).list.walk(limit);
    },
    first: async () => (await loadedList()).list.then(),
    count: async () => (await loadedList()).list.count(),
  });
}
