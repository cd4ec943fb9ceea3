// A runs listing in `createdAt` windows fetched side by side (loaded on demand by listRuns, beside
// the first page of a listing ordered by creation). The windows are disjoint time ranges under the
// caller's filters; each is paged with its own cursor, and they are handed out one after another in
// the listing's order, so the runs come out exactly as one sequential listing gives them: a run's
// createdAt never changes, runs with equal times share a window, and the server's order within a
// window is its order of the whole listing restricted to it.
//
// The first window is the sequential listing itself. Once its first page and the newest run's time
// are known (a 1-run `bound` the first page's request brings too), the rest of the time
// range is cut into windows of whole pages by the first page's density (about k of them), and
// whenever a request slot is free, the window with the most runs still ahead is cut in two, so the
// windows follow the data. A window cut while its request is in flight drops, on arrival, the runs
// past its new end (the next window lists them). No more than k requests are in flight; a 429
// halves k (once per burst), and k grows back by one a round of answers (AIMD, as TCP does).
// The last window is open-ended: runs created during the listing land there, as they land at the
// end of a sequential listing.
import { AbortError, type CallOptions, type PageResult, PaginationError } from '@wandb-api/core';

/** What a windowed listing needs from listRuns. */
export interface WindowedListing<T> {
  /** The caller's filters, as JSON text. */
  readonly filters: string;
  /** Newest first (`-created_at`). */
  readonly desc: boolean;
  /** Runs per request. */
  readonly perPage: number;
  /** Requests in flight at most (k). */
  readonly windows: number;
  /** Runs the caller takes at most: no request beyond what that needs. */
  readonly limit: number;
  /** Fires when the caller stops: everything in flight is cancelled. */
  readonly signal: AbortSignal;
  /**
   * The listing's first page, requested without a window, with `bound`: the createdAt of the
   * listing's last run (undefined when there is none).
   */
  readonly first: Promise<PageResult<T> & { bound?: string | undefined }>;
  /** One page of runs under `filters` (JSON text) in the listing's order, after `cursor`. */
  page(filters: string, cursor: string | null, call: CallOptions & { signal: AbortSignal }): Promise<PageResult<T>>;
}

interface Window<T> {
  /** The filters of this window's query (JSON text). */
  filters: string;
  cursor: string | null;
  /** Cut since its query was sent: the next request asks anew, bounded by its new end. */
  cutShort: boolean;
  /** Its first request was sent (until then, its filters are made when it starts). */
  started: boolean;
  /** A page of its own came: its density is its own. */
  shown: boolean;
  /** The position of the first run of the last page. */
  pageStart: number;
  /** Where the window ends (exclusive, on the position scale); Infinity: open-ended. */
  stop: number;
  /** The position of the last run seen (or where the window starts). */
  at: number;
  /** Runs per ms seen so far (an estimate from the window it was cut from, until a page comes). */
  density: number;
  /** Pages fetched and not yet handed out. */
  readonly pages: T[][];
  busy: boolean;
  done: boolean;
}

// W&B sends UTC times without a zone ("2024-05-01T12:00:00"); window bounds are whole seconds.
const SECOND = 1000;
const timeOf = (text: string): number => Date.parse(/(z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
const wandbTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/**
 * The pages of a listing ordered by creation, fetched in up to `windows` createdAt windows at once
 * and handed out in the listing's order (see the file comment). Stopping it cancels every request
 * in flight.
 */
export async function* windowedRuns<T extends { readonly createdAt: string }>(o: WindowedListing<T>): AsyncGenerator<readonly T[], void, undefined> {
  const { desc, perPage, signal } = o;
  // Positions grow along the listing: the time, negated when newest come first.
  const position = (item: T): number => (desc ? -1 : 1) * timeOf(item.createdAt);
  // A window [from, stop) on the position scale as a createdAt filter, under the caller's filters.
  const windowFilters = (from: number, stop: number): string => {
    const range = desc
      ? { $lte: wandbTime(-from), ...(stop < Infinity && { $gt: wandbTime(-stop) }) }
      : { $gte: wandbTime(from), ...(stop < Infinity && { $lt: wandbTime(stop) }) };
    const own = JSON.stringify({ createdAt: range });
    return o.filters === '{}' ? own : `{"$and":[${o.filters},${own}]}`;
  };

  // Fractional while it grows back: floor(k) requests in flight.
  let k = o.windows;
  // Bumped when a 429 shrinks k: the other 429s of the same burst do not shrink it again.
  let epoch = 0;
  let inFlight = 0;
  let buffered = 0; // runs fetched and not handed out
  let handedOut = 0;
  // One past the last run's position, once known: the far end of the open window.
  let horizon: number | undefined;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const changed = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  // One controller per request (many requests on one signal trip Node's listener-leak warning).
  const controllers = new Set<AbortController>();
  const settling = new Set<Promise<unknown>>();
  const fail = (error: unknown) => {
    failure ??= { error };
    for (const c of controllers) c.abort(error);
    changed();
  };
  const onAbort = () => fail(new AbortError('The operation was aborted.', { cause: signal.reason }));
  signal.addEventListener('abort', onAbort);

  /** Sends one request (counted against k), and wakes the loop when it settled. */
  const send = <R>(request: (call: CallOptions & { signal: AbortSignal }) => Promise<R>, done: (value: R) => void): void => {
    const controller = new AbortController();
    controllers.add(controller);
    inFlight++;
    const started = epoch;
    const onResponse = (event: { status: number }) => {
      if (event.status === 429) {
        if (started === epoch) {
          k = Math.max(1, Math.floor(k / 2));
          epoch++;
        }
      } else if (event.status >= 200 && event.status < 300) k = Math.min(o.windows, k + 1 / Math.floor(k));
    };
    const settled = request({ signal: controller.signal, onResponse })
      .then(done, fail)
      .catch(fail)
      .finally(() => {
        controllers.delete(controller);
        settling.delete(settled);
        inFlight--;
        changed();
      });
    settling.add(settled);
  };

  const windows: Window<T>[] = [];
  /** The first window: the listing itself, from its first page on. */
  const start = ({ items, cursor }: PageResult<T>): void => {
    const first = items.length ? position(items[0]!) : 0;
    const last = items.length ? position(items[items.length - 1]!) : 0;
    windows.push({
      filters: o.filters,
      cursor,
      stop: Infinity,
      at: last,
      // n runs span n - 1 gaps.
      density: items.length > 1 ? (items.length - 1) / Math.max(SECOND, last - first) : 0,
      pages: items.length ? [[...items]] : [],
      busy: false,
      done: false,
      cutShort: false,
      started: true,
      shown: true,
      pageStart: first,
    });
    buffered = items.length;
  };

  /** The page a window's request brought: runs past its end are dropped (a later window lists them). */
  const receive = (w: Window<T>, page: PageResult<T>): void => {
    const previous = w.cursor;
    const items = [...page.items];
    let kept = items.length;
    while (kept > 0 && position(items[kept - 1]!) >= w.stop) kept--;
    w.busy = false;
    w.shown = true;
    w.cursor = page.cursor;
    if (kept < items.length || !page.hasNextPage || (!items.length && page.cursor === null)) w.done = true;
    else if (page.cursor === null || page.cursor === previous) throw new PaginationError('The server claimed more pages but sent no new cursor.');
    if (!kept) return;
    items.length = kept;
    const last = position(items[kept - 1]!);
    w.density = kept / Math.max(SECOND, last - w.at);
    w.at = last;
    w.pageStart = position(items[0]!);
    w.pages.push(items);
    buffered += kept;
  };

  /** Cuts `w` at `at` (a whole second strictly inside it): the part from `at` on becomes the next window. */
  const cut = (w: Window<T>, at: number): Window<T> => {
    const next: Window<T> = {
      filters: '',
      cursor: null,
      stop: w.stop,
      at,
      density: w.density,
      pages: [],
      busy: false,
      done: false,
      cutShort: false,
      started: false,
      shown: false,
      pageStart: at,
    };
    w.stop = at;
    w.cutShort = true;
    windows.splice(windows.indexOf(w) + 1, 0, next);
    return next;
  };

  /** Where a window's next request will have taken it, and how many runs lie beyond that to its end. */
  const ahead = (w: Window<T>): { from: number; to: number; runs: number } => {
    const from = w.at + (w.busy ? perPage / w.density : 0);
    const to = Math.min(w.stop, horizon!);
    return { from, to, runs: (to - from) * w.density };
  };
  const second = (x: number) => Math.round(x / SECOND) * SECOND;

  /** Cuts the window with the most runs ahead (more than a page) in two; undefined when none has. */
  const split = (): Window<T> | undefined => {
    if (horizon === undefined) return undefined;
    let best: { w: Window<T>; at: number; runs: number } | undefined;
    for (const w of windows) {
      if (w.done || !w.shown || !(w.density > 0)) continue; // a window is cut once it has shown its density
      const { from, to, runs } = ahead(w);
      const at = second((from + to) / 2);
      if (runs > 2 * perPage && at > from && at < to && runs > (best?.runs ?? 0)) best = { w, at, runs };
    }
    return best && cut(best.w, best.at);
  };

  /**
   * The window whose next page to request: the first one in the listing's order that is idle and
   * whose runs the caller may still take (given the runs the windows before it hold or will give),
   * while a bounded number of pages waits (slow callers); the first window always may.
   */
  const next = (): Window<T> | undefined => {
    let before = handedOut;
    for (const [i, w] of windows.entries()) {
      for (const page of w.pages) before += page.length;
      if (!w.busy && !w.done && before < o.limit && (i === 0 || buffered < 4 * o.windows * perPage)) return w;
      if (!w.done) before += (w.busy ? perPage : 0) + (horizon === undefined ? Infinity : Math.max(0, ahead(w).runs));
    }
    return undefined;
  };

  /** Starts requests while a slot is free; with every window busy, cuts one (when the caller takes all). */
  const schedule = (): void => {
    while (!failure && inFlight < Math.floor(k)) {
      const w = next() ?? (o.limit === Infinity && split() ? next() : undefined);
      if (!w) return;
      // A window cut short asks anew from the second of its last run, bounded by its new end (its
      // old query would run past it); the runs of that second it has already are dropped as
      // duplicates. Only when its last page did not lie within that second: else it could repeat.
      const from = Math.floor(w.at / SECOND) * SECOND;
      if (!w.started) {
        w.filters = windowFilters(w.at, w.stop);
        w.cutShort = false;
      } else if (w.cutShort && w.pageStart < from) {
        w.filters = windowFilters(from, w.stop);
        w.cursor = null;
        w.cutShort = false;
      }
      w.started = true;
      w.busy = true;
      send(
        (call) => o.page(w.filters, w.cursor, call),
        (page) => receive(w, page),
      );
    }
  };

  /** With the first page and the last run's createdAt known: the rest is cut into as many windows as are worth it. */
  const cutToEnd = (last: string | undefined): void => {
    const head = windows[0];
    if (!head || last === undefined || Number.isNaN(timeOf(last)) || Number.isNaN(head.at) || head.done) return;
    horizon = (desc ? -1 : 1) * timeOf(last) + SECOND;
    const { from, to, runs } = ahead(head);
    // Windows are worth their extra requests when more than two pages are left.
    if (runs <= 2 * perPage) return;
    // The pages left (the first window's page in flight too) in k windows: each gets that many
    // rounds of pages (the first window one less while its page is in flight), 5 % short of full
    // pages so that a density misjudged by a little costs no extra request.
    const busy = head.busy ? 1 : 0;
    const rounds = Math.ceil((runs / perPage + busy) / Math.floor(k));
    const span = (pages: number) => (pages * perPage * 0.95) / head.density;
    const bounds: number[] = [];
    for (let at = from + span(rounds - busy); at < to; at += span(rounds)) bounds.push(second(at));
    for (const at of bounds.reverse()) if (at > from && at < head.stop) cut(head, at);
  };

  try {
    const firstPage = await o.first;
    // One page and no more, or all the caller takes: no windows.
    if (!firstPage.hasNextPage || firstPage.items.length >= o.limit) {
      if (firstPage.items.length) yield firstPage.items;
      return;
    }
    start(firstPage);
    cutToEnd(firstPage.bound);
    for (;;) {
      schedule();
      if (failure) throw failure.error;
      const current = windows[0]!;
      const page = current.pages.shift();
      if (page) {
        buffered -= page.length;
        handedOut += page.length;
        yield page;
      } else if (current.done && !current.busy) {
        windows.shift();
        if (!windows.length) return;
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    failure ??= { error: undefined };
    for (const c of controllers) c.abort();
    await Promise.allSettled(settling);
  }
}
