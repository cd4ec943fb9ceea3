// Progress on stderr while long work runs (downloads: bytes and files; exports: rows), redrawn in
// place at most ~10 times a second — only on a terminal. Piped or redirected, nothing is drawn,
// so stdout and stderr stay plain text.

/** Where progress is drawn: stderr in the program, a fake stream in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressState {
  rows?: number;
  bytes?: number;
  totalBytes?: number;
  files?: number;
  totalFiles?: number;
  /** Current step out of `totalSteps` (history exports). */
  step?: number;
  totalSteps?: number;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/**
 * Bytes for people: 1234567 → "1.2 MB".
 * @example formatBytes(1_234_567) // '1.2 MB'
 */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * The progress line for a state: a bar when a total is known, then counts.
 * @example progressLine('download', { bytes: 500, totalBytes: 1000, files: 1, totalFiles: 2 })
 */
export function progressLine(label: string, s: ProgressState): string {
  const parts: string[] = [label];
  const fraction =
    s.totalBytes ? (s.bytes ?? 0) / s.totalBytes : s.totalFiles ? (s.files ?? 0) / s.totalFiles : s.totalSteps ? (s.step ?? 0) / s.totalSteps : undefined;
  if (fraction !== undefined) parts.push(`${bar(fraction, 20)} ${Math.floor(fraction * 100)}%`);
  if (s.bytes !== undefined) parts.push(s.totalBytes ? `${formatBytes(s.bytes)} / ${formatBytes(s.totalBytes)}` : formatBytes(s.bytes));
  if (s.files !== undefined) parts.push(s.totalFiles !== undefined ? `${s.files}/${s.totalFiles} files` : `${s.files} files`);
  if (s.rows !== undefined) parts.push(`${s.rows.toLocaleString('en-US')} rows`);
  return parts.join('  ');
}

/** A progress display; every method is a no-op when the stream is not a terminal. */
export class Progress {
  private readonly state: ProgressState = {};
  private lastDraw = 0;
  private drawn = false;
  private ended = false;
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = stream.isTTY === true;
  }

  /** Merges `change` into the state and redraws (throttled). */
  update(change: ProgressState): void {
    Object.assign(this.state, change);
    if (!this.enabled || this.ended) return;
    const t = this.now();
    if (this.drawn && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.draw();
  }

  /** Draws the final state and moves to a new line. */
  done(): void {
    if (!this.enabled || !this.drawn || this.ended) return;
    this.ended = true;
    this.draw();
    this.stream.write('\n');
  }

  /**
   * Erases an unfinished line (the work failed or was interrupted), so the error message that
   * follows starts at the left margin; after `done()` it does nothing. Call it in a `finally`.
   */
  stop(): void {
    if (!this.enabled || !this.drawn || this.ended) return;
    this.ended = true;
    this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    this.stream.write(`\r\x1b[2K${progressLine(this.label, this.state).slice(0, width)}`);
    this.drawn = true;
  }
}
