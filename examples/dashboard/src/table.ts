// The runs table's pure parts: columns, client-side filtering and sorting.
import type { Run } from '@wandb-api/runs';

export interface Column {
  /** Stable key, also the header's data-key (the browser test clicks on it). */
  readonly key: string;
  readonly label: string;
  readonly value: (run: Run) => string | number | null;
  readonly numeric?: boolean;
}

const BASE_COLUMNS: readonly Column[] = [
  { key: 'name', label: 'Name', value: (r) => r.name },
  { key: 'id', label: 'ID', value: (r) => r.id },
  { key: 'state', label: 'State', value: (r) => r.state },
  { key: 'createdAt', label: 'Created', value: (r) => r.createdAt },
];

/** Numeric summary metrics the runs share, W&B's own `_step`/`_runtime`/`_timestamp` left out. */
export function summaryMetrics(runs: readonly Run[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.summary)) if (!key.startsWith('_') && typeof value === 'number') keys.add(key);
  }
  return [...keys].sort();
}

/** The fixed columns plus one per summary metric (at most `maxMetrics`). */
export function columnsFor(runs: readonly Run[], maxMetrics = 4): Column[] {
  const metrics = summaryMetrics(runs).slice(0, maxMetrics);
  return [
    ...BASE_COLUMNS,
    ...metrics.map((key) => ({
      key: `summary.${key}`,
      label: key,
      numeric: true,
      value: (r: Run) => (typeof r.summary[key] === 'number' ? (r.summary[key] as number) : null),
    })),
  ];
}

/**
 * Keeps the runs whose name, id, state, tags or config (as JSON text) contain every word of
 * `query`, case-insensitively. Done in the page, not as a server filter: the table already holds
 * every run of the project, so filtering is instant per keystroke, and a text search over the whole
 * config has no MongoDB-filter equivalent on W&B's runs query.
 */
export function filterRuns(runs: readonly Run[], query: string): Run[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...runs];
  return runs.filter((run) => {
    const text = [run.name, run.id, run.state, ...run.tags, JSON.stringify(run.config)].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export interface Sort {
  readonly key: string;
  readonly direction: 'ascending' | 'descending';
}

/** Sorts by a column; empty values (null, NaN) go last in both directions. */
export function sortRuns(runs: readonly Run[], column: Column, direction: Sort['direction']): Run[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const isEmpty = (v: string | number | null) => v === null || (typeof v === 'number' && Number.isNaN(v));
  return [...runs].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (isEmpty(va) || isEmpty(vb)) return Number(isEmpty(va)) - Number(isEmpty(vb));
    return sign * compareValues(va!, vb!);
  });
}

export function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function formatCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return value;
}
