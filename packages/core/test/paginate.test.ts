// Paging logic over an in-process page source (the integration tests page through the server).
import { describe, expect, it } from 'vitest';
import { AbortError, Paginated, type PageResult, deferPaginated } from '@wandb-api/core';

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

  it('stops on a cursor that does not advance and on an empty page claiming more', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    const stuck = source([page(['a'], '1'), { items: [{ id: 'b' }], cursor: '1', hasNextPage: true }]);
    expect((await new Paginated<Item>({ fetchPage: stuck.fetchPage, logger }).toArray()).map((i) => i.id)).toEqual(['a', 'b']);
    expect(stuck.calls).toEqual([null, '1']);
    const empty = source([{ items: [], cursor: 'x', hasNextPage: true }]);
    expect(await new Paginated<Item>({ fetchPage: empty.fetchPage, logger }).toArray()).toEqual([]);
    expect(warnings).toHaveLength(2);
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
