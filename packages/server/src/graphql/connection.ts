/** Relay connections from a store Page. */
import type { Page } from '../store/cursor';

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
}

export function connection<T>(page: Page<T>, after?: string | null): Connection<T> {
  const edges = page.items;
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
    },
  };
}
