// Paging logic over an in-process page source (the integration tests page through the server).
import { describe, expect, it } from 'vitest';
import { AbortError, PaginationError, Paginated, type PageResult, deferPaginated, endCursorOf } from '@wandb-api/core';

type Item = { id: string };

function source(pages: PageResult<Item>[]) {
  const calls: (string | null)[] = [];
  const fetchPage = async (cursor: string | null) => {
    calls.push(cursor);
    const index = cursor === null ? 0 : Number(cursor);
    return pages[index] ?? { items: [], cursor: null, hasNextPage: false };
  };
  return { calls, fetchPage };
}

const page = (ids: string[], next: string | null): PageResult<Item> => ({ items: ids.map((id) => ({ id })), cursor: next, hasNextPage: next !== null });

describe('Paginated', () => {
  it('awaits to the first page, iterates all items, and does not refetch the first page', async () => {
    const s = source([page(['a', 'b'], '1'), page(['c'], '2'), page(['d'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, idOf: (i) => i.id });
    const first = await list;
    expect(first.items.map((i) => i.id)).toEqual(['a', 'b']);
    const ids: string[] = [];
    for await (const item of list) ids.push(item.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
    expect(s.calls).toEqual([null, '1', '2']);
  });

  it('prefetches the next page while the caller holds the current one', async () => {
    const s = source([page(['a'], '1'), page(['b'], null)]);
    const pages = new Paginated<Item>({ fetchPage: s.fetchPage }).pages();
    await pages.next();
    await new Promise((r) => setTimeout(r, 0));
    expect(s.calls).toEqual([null, '1']);
  });

  it('de-duplicates by id across pages', async () => {
    const s = source([page(['a', 'b'], '1'), page(['b', 'c'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, idOf: (i) => i.id });
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('throws PaginationError on a cursor that does not advance, after the items it got', async () => {
    const stuck = source([page(['a'], '1'), { items: [{ id: 'b' }], cursor: '1', hasNextPage: true }]);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of new Paginated<Item>({ fetchPage: stuck.fetchPage })) seen.push(item.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toEqual(['a', 'b']);
    expect(stuck.calls).toEqual([null, '1']);
    const noCursor = source([{ items: [{ id: 'a' }], cursor: null, hasNextPage: true }]);
    await expect(new Paginated<Item>({ fetchPage: noCursor.fetchPage }).toArray()).rejects.toBeInstanceOf(PaginationError);
  });

  it('throws PaginationError on a cursor it paged on before (a server cycling through pages), instead of paging forever', async () => {
    // 0 → 1 → 2 → 1 …: each cursor differs from the one before it.
    const cycling = source([page(['a'], '1'), page(['b'], '2'), page(['c'], '1')]);
    const error = await new Paginated<Item>({ fetchPage: cycling.fetchPage, idOf: (i) => i.id }).toArray().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(cycling.calls).toEqual([null, '1', '2']);
  });

  it('goes on past an empty page whose cursor moves; an empty page without a cursor ends the list', async () => {
    const gap = source([page(['a'], '1'), { items: [], cursor: '2', hasNextPage: true }, page(['c'], null)]);
    expect((await new Paginated<Item>({ fetchPage: gap.fetchPage }).toArray()).map((i) => i.id)).toEqual(['a', 'c']);
    const end = source([{ items: [], cursor: null, hasNextPage: true }]);
    expect(await new Paginated<Item>({ fetchPage: end.fetchPage }).toArray()).toEqual([]);
    expect(end.calls).toEqual([null]);
  });

  it('iterates again as a fresh listing', async () => {
    const s = source([page(['a'], '1'), page(['b'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, idOf: (i) => i.id });
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a', 'b']);
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a', 'b']);
    expect(s.calls).toEqual([null, '1', null, '1']);
  });

  it('prefetches nothing beyond toArray({ limit }) and cancels the prefetch on break', async () => {
    const s = source([page(['a', 'b'], '1'), page(['c'], null)]);
    const aborted: boolean[] = [];
    const list = new Paginated<Item>({
      fetchPage: (cursor, signal) => {
        signal?.addEventListener('abort', () => aborted.push(true));
        return s.fetchPage(cursor);
      },
    });
    expect((await list.toArray({ limit: 2 })).map((i) => i.id)).toEqual(['a', 'b']);
    expect(s.calls).toEqual([null]);
    for await (const _ of list) break;
    expect(s.calls).toEqual([null, null, '1']);
    expect(aborted.length).toBeGreaterThan(0);
  });

  it('a list given as `pages` pages, de-duplicates and stops its source on early exit', async () => {
    const stopped: string[] = [];
    const list = new Paginated<Item>({
      idOf: (i) => i.id,
      async *pages(signal, limit) {
        signal.addEventListener('abort', () => stopped.push(`abort(limit ${limit})`));
        try {
          yield [{ id: 'a' }, { id: 'b' }];
          yield [{ id: 'b' }, { id: 'c' }];
        } finally {
          stopped.push('finally');
        }
      },
    });
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect((await list).items.map((i) => i.id)).toEqual(['a', 'b']);
    stopped.length = 0;
    expect((await list.toArray({ limit: 1 })).map((i) => i.id)).toEqual(['a']);
    expect(stopped).toEqual(['abort(limit 1)', 'finally']);
  });

  it('toArray honours limit', async () => {
    const s = source([page(['a', 'b'], '1'), page(['c'], null)]);
    expect((await new Paginated<Item>({ fetchPage: s.fetchPage }).toArray({ limit: 2 })).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('checks the signal between pages', async () => {
    const controller = new AbortController();
    const s = source([page(['a'], '1'), page(['b'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of list) {
          seen.push(item.id);
          controller.abort();
        }
      })(),
    ).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual(['a']);
  });
});

describe('Paginated.map', () => {
  it('maps items, keeps de-duplication by the original id, and keeps count', async () => {
    const s = source([page(['a', 'b'], '1'), page(['b', 'c'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, idOf: (i) => i.id, count: async () => 3 });
    const mapped = list.map((i) => ({ upper: i.id.toUpperCase() }));
    expect((await mapped.toArray()).map((i) => i.upper)).toEqual(['A', 'B', 'C']);
    expect(await mapped.count()).toBe(3);
    expect((await mapped).items).toHaveLength(2);
  });

  it('de-duplicates before mapping, so equal mapped values all stay', async () => {
    const s = source([page(['a', 'b'], '1'), page(['b', 'c'], null)]);
    const list = new Paginated<Item>({ fetchPage: s.fetchPage, idOf: (i) => i.id });
    expect(await list.map(() => 'same').toArray()).toEqual(['same', 'same', 'same']);
  });
});

describe('deferPaginated', () => {
  it('loads on first use only, then pages, de-duplicates, counts and maps with the loaded list', async () => {
    const s = source([page(['a', 'b'], '1'), page(['b', 'c'], null)]);
    let loads = 0;
    const list = deferPaginated(
      async () => {
        loads++;
        return { fetchPage: s.fetchPage };
      },
      (loaded) => new Paginated<Item>({ fetchPage: loaded.fetchPage, idOf: (i) => i.id, count: async () => 3 }),
    );
    expect(loads).toBe(0);
    expect((await list).items.map((i) => i.id)).toEqual(['a', 'b']);
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(await list.count()).toBe(3);
    expect(s.calls).toEqual([null, '1']);
    expect(await list.map((i) => i.id.toUpperCase()).toArray()).toEqual(['A', 'B', 'C']);
    expect(loads).toBe(1);
  });

  it('retries a failed load on next use', async () => {
    let loads = 0;
    const list = deferPaginated(
      async () => {
        if (++loads === 1) throw new Error('offline');
        return source([page(['a'], null)]);
      },
      (loaded) => new Paginated<Item>({ fetchPage: loaded.fetchPage }),
    );
    await expect(list.toArray()).rejects.toThrow('offline');
    expect((await list.toArray()).map((i) => i.id)).toEqual(['a']);
    expect(loads).toBe(2);
  });
});

describe('endCursorOf', () => {
  it('is pageInfo.endCursor, else (null or empty) the last edge cursor, else null', () => {
    expect(endCursorOf({ pageInfo: { endCursor: 'e' }, edges: [{ cursor: 'x' }] })).toBe('e');
    expect(endCursorOf({ pageInfo: { endCursor: null }, edges: [{ cursor: 'x' }, null, { cursor: 'y' }] })).toBe('y');
    expect(endCursorOf({ pageInfo: { endCursor: '' }, edges: [{ cursor: 'y' }] })).toBe('y');
    expect(endCursorOf({ pageInfo: { endCursor: null }, edges: [] })).toBeNull();
    expect(endCursorOf({ pageInfo: {} })).toBeNull();
  });
});
