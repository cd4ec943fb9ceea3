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
      const page: PageResult<T> = await pending;
      pending = undefined;
      throwIfAborted(signal);
      const advanced = page.cursor !== null && page.cursor !== previousCursor;
      if (page.hasNextPage && page.items.length > 0 && advanced) {
        // Prefetch while the caller works on this page.
        pending = this.options.fetchPage(page.cursor, signal);
        pending.catch(() => {}); // surfaced when awaited
      } else if (page.hasNextPage) {
        logger?.warn(`Stopped paging: the server claimed more pages but sent ${page.items.length === 0 ? 'an empty page' : 'a cursor that did not advance'}.`);
      }
      previousCursor = page.cursor;
      const fresh = idOf
        ? page.items.filter((item) => {
            const id = idOf(item);
            if (seen.has(id)) return false;
            seen.add(id);
            return true;
          })
        : page.items;
      if (fresh.length > 0) yield fresh;
    }
  }

  /** Yields every item of every page, loading pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  /** Loads items into an array, stopping after `limit` items when given. */
  async toArray(options: { limit?: number } = {}): Promise<T[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const out: T[] = [];
    if (limit <= 0) return out;
    for await (const page of this.pages()) {
      for (const item of page) {
        out.push(item);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** The same list with each item transformed (paging, prefetch and count are kept). */
  map<U>(transform: (item: T) => U): Paginated<U> {
    const { fetchPage, count, signal, logger, idOf } = this.options;
    const byId = new WeakMap<object, string>();
    return new Paginated<U>({
      signal,
      logger,
      ...(count ? { count } : {}),
      ...(idOf
        ? {
            idOf: (item: U) => (typeof item === 'object' && item !== null ? byId.get(item) : undefined) ?? String(item),
          }
        : {}),
      fetchPage: async (cursor, pageSignal) => {
        const page = await fetchPage(cursor, pageSignal);
        const items = page.items.map((item) => {
          const mapped = transform(item);
          if (idOf && typeof mapped === 'object' && mapped !== null) byId.set(mapped, idOf(item));
          return mapped;
        });
        return { ...page, items };
      },
    });
  }

  /** The server's total count, asked without loading pages. */
  count(): Promise<number> {
    if (!this.options.count) return Promise.reject(new WandbError('This list has no server-side count.'));
    return this.options.count(this.options.signal);
  }
}
