// Reading a run's exported history (parquet files behind presigned URLs, as W&B serves finished
// runs). Only scanHistory reaches this module, through a dynamic import(), so bundles that never
// scan history do not carry the parquet reader.
//
// Rows come out shaped exactly as the GraphQL path gives them: a cell that is null means "not
// logged at this step" and is left out of the row; with keys, rows hold `_step` plus the keys
// and are kept by `match` ('all': every key present, 'any': one). JSON columns (objects, arrays,
// mixed types, logged nulls) are strings of W&B's JSON dialect, named in the file's key-value
// metadata `wandb.json_columns`, and are decoded with the tolerant parser.
import { type CallOptions, type WandbClient, parseJson, type pool } from '@wandb-api/core';
import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { HistoryRow } from './history.js';

export interface ParquetScan extends CallOptions {
  /**
   * Core's `pool`, handed over by scanHistory (which has it already): an import of it here would
   * put it in the up-front chunk of every bundle that only lists runs (bundlers share a module
   * between an entry and an on-demand chunk whenever the entry's module graph reaches it).
   */
  pool: typeof pool;
  /** Only these keys (plus `_step`); every column when absent. */
  keys?: readonly string[] | undefined;
  match: 'all' | 'any';
  /** Inclusive. */
  minStep: number;
  /** Exclusive. */
  endStep: number;
}

// The first request asks for the file's tail: the footer (metadata) and, for most exports, every
// column chunk as well, so a small file costs one GET.
const TAIL_BYTES = 512 * 1024;
const JSON_COLUMNS_KEY = 'wandb.json_columns';

function copy(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  return bytes.slice(start, end).buffer as ArrayBuffer;
}

/**
 * A parquet file behind a presigned URL, read with HTTP range requests. `client.fetch` sends no
 * credentials there (the URL is not under the base URL) and reads each range inside the request
 * loop: its timeouts, the caller's signal and the retries cover the bytes too.
 */
async function remoteFile(client: WandbClient, url: string, options: CallOptions): Promise<AsyncBuffer> {
  const first = await client.fetch(url, { headers: { Range: `bytes=-${TAIL_BYTES}` } }, options);
  const tail = new Uint8Array(await first.arrayBuffer());
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(first.headers.get('Content-Range') ?? '');
  if (first.status !== 206 || !range) return { byteLength: tail.length, slice: (start, end) => copy(tail, start, end ?? tail.length) };
  const tailStart = Number(range[1]);
  const byteLength = Number(range[3]);
  return {
    byteLength,
    async slice(start, end = byteLength) {
      if (start >= tailStart) return copy(tail, start - tailStart, end - tailStart);
      const res = await client.fetch(url, { headers: { Range: `bytes=${start}-${end - 1}` } }, options);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A server that ignores Range sends the whole file.
      return res.status === 206 ? copy(bytes, 0, bytes.length) : copy(bytes, start, end);
    },
  };
}

interface OpenFile {
  file: AsyncBuffer;
  metadata: FileMetaData;
  columns: string[];
  /** Columns holding JSON text. */
  json: ReadonlySet<string>;
  /** Smallest `_step` by the statistics (for ordering files); +Infinity when unknown. */
  firstStep: number;
}

const toNumber = (v: unknown): number | undefined =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;

/** `_step`'s [min, max] in one row group from its statistics, when the writer kept them. */
function stepBounds(metadata: FileMetaData, group: number): [number, number] | undefined {
  const chunk = metadata.row_groups[group]?.columns.find((c) => c.meta_data?.path_in_schema.join('.') === '_step');
  const stats = chunk?.meta_data?.statistics;
  const min = toNumber(stats?.min_value);
  const max = toNumber(stats?.max_value);
  return min === undefined || max === undefined ? undefined : [min, max];
}

async function openFile(client: WandbClient, url: string, scan: ParquetScan): Promise<OpenFile | undefined> {
  const file = await remoteFile(client, url, scan);
  const metadata = await parquetMetadataAsync(file);
  const names = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  if (!names.has('_step')) return undefined;
  let columns: string[];
  if (scan.keys) {
    const present = scan.keys.filter((k) => k !== '_step' && names.has(k));
    // Column projection: only `_step` and the keys are fetched and decoded.
    if (scan.match === 'all' ? present.length < scan.keys.filter((k) => k !== '_step').length : present.length === 0 && scan.keys.some((k) => k !== '_step')) {
      return undefined;
    }
    columns = ['_step', ...present];
  } else {
    columns = [...names];
  }
  const listed = metadata.key_value_metadata?.find((kv) => kv.key === JSON_COLUMNS_KEY)?.value;
  const json = new Set<string>(listed ? (parseJson(listed) as string[]) : []);
  return { file, metadata, columns, json, firstStep: stepBounds(metadata, 0)?.[0] ?? Number.POSITIVE_INFINITY };
}

/** One decoded row group as history rows in step order, only steps in [minStep, endStep). */
async function readGroup(open: OpenFile, group: number, rowStart: number, scan: ParquetScan): Promise<HistoryRow[]> {
  const rowEnd = rowStart + Number(open.metadata.row_groups[group]?.num_rows ?? 0);
  const raw = await parquetReadObjects({
    file: open.file,
    metadata: open.metadata,
    columns: open.columns,
    rowStart,
    rowEnd,
  });
  const wanted = scan.keys?.filter((k) => k !== '_step');
  const rows: HistoryRow[] = [];
  for (const cells of raw) {
    const step = toNumber(cells._step);
    if (step === undefined || step < scan.minStep || step >= scan.endStep) continue;
    const row: Record<string, unknown> = { _step: step };
    let held = 0;
    for (const name of open.columns) {
      if (name === '_step') continue;
      const cell: unknown = cells[name];
      if (cell === null || cell === undefined) continue;
      row[name] = open.json.has(name) && typeof cell === 'string' ? parseJson(cell) : typeof cell === 'bigint' ? Number(cell) : cell;
      held++;
    }
    if (wanted && (scan.match === 'all' ? held < wanted.length : held === 0 && wanted.length > 0)) continue;
    rows.push(row);
  }
  return rows.sort((a, b) => (a._step as number) - (b._step as number));
}

/**
 * Rows of exported history files with `minStep ≤ _step < endStep`, in step order, shaped like
 * scanHistory's GraphQL rows, one page per row group. Reads row group by row group (one decoded
 * group in memory, the next one fetched while the current one is consumed) and skips groups
 * outside the window by their `_step` statistics.
 * @example
 * for await (const rows of readParquetHistory(client, urls, { keys: ['loss'], match: 'all', minStep: 0, endStep: 1000 })) console.log(rows.length);
 */
export async function* readParquetHistory(client: WandbClient, urls: readonly string[], scan: ParquetScan): AsyncGenerator<HistoryRow[], void, undefined> {
  const opened = (await Promise.all(urls.map((url) => openFile(client, url, scan)))).filter((f): f is OpenFile => f !== undefined);
  // The server lists files in no stable order; W&B's exports do not overlap, so order them by first step.
  opened.sort((a, b) => a.firstStep - b.firstStep);
  const groups: [OpenFile, number, number][] = [];
  for (const open of opened) {
    let rowStart = 0;
    open.metadata.row_groups.forEach((group, i) => {
      const bounds = stepBounds(open.metadata, i);
      const start = rowStart;
      rowStart += Number(group.num_rows);
      if (bounds && (bounds[1] < scan.minStep || bounds[0] >= scan.endStep)) return;
      groups.push([open, i, start]);
    });
  }
  yield* scan.pool(groups, ([open, i, start]) => readGroup(open, i, start, scan), { concurrency: 2, signal: scan.signal });
}
