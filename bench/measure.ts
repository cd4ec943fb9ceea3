// Shared benchmark plumbing: alternating rounds, medians, peak RSS, and the one-line JSON report
// (ARCHITECTURE §9) that every benchmark prints last.

export interface Contender {
  name: string;
  /**
   * Returns the item count it produced, checked to be equal across contenders; or the count and
   * the ms the contender measured itself (a Python process timing its own round).
   */
  run(): Promise<number | { count: number; ms: number }>;
}

export interface Result {
  bench: string;
  ours_ms: number;
  floor_ms: number;
  python_ms: number | null;
  ratio_vs_floor: number;
  ratio_vs_python: number | null;
  peak_rss_mb: number;
  [extra: string]: unknown;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

let peakRss = 0;
/** Records the process's RSS now into the peak `report` prints (compare samples it on its own). */
export const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

/** Runs every contender `rounds` times, interleaved (after one warm-up each), and returns median ms by name. */
export async function compare(contenders: Contender[], rounds: number): Promise<Record<string, number>> {
  const timer = setInterval(sampleRss, 20);
  try {
    const times: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
    const counts = new Set<number>();
    const countOf = (result: number | { count: number }) => (typeof result === 'number' ? result : result.count);
    for (const c of contenders) counts.add(countOf(await c.run())); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const c of round % 2 ? [...contenders].reverse() : contenders) {
        const started = performance.now();
        const result = await c.run();
        const elapsed = performance.now() - started;
        counts.add(countOf(result));
        times[c.name]!.push(typeof result === 'number' ? elapsed : result.ms);
        sampleRss();
      }
    }
    if (counts.size !== 1) throw new Error(`contenders disagree on the item count: ${[...counts].join(', ')}`);
    for (const [name, ts] of Object.entries(times)) console.log(`${name.padEnd(12)} median ${median(ts).toFixed(1)} ms  (${ts.map((t) => t.toFixed(0)).join(', ')})`);
    return Object.fromEntries(Object.entries(times).map(([name, ts]) => [name, median(ts)]));
  } finally {
    clearInterval(timer);
  }
}

export function report(bench: string, ours: number, floor: number, python: number | null, extra: Record<string, unknown>): void {
  const round = (x: number) => Math.round(x * 100) / 100;
  const result: Result = {
    bench,
    ours_ms: round(ours),
    floor_ms: round(floor),
    python_ms: python === null ? null : round(python),
    ratio_vs_floor: round(ours / floor),
    ratio_vs_python: python === null ? null : round(ours / python),
    peak_rss_mb: round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
    ...extra,
  };
  console.log(JSON.stringify(result));
}
