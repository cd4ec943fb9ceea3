// P4: the browser bundle sizes of `npm run size` (min+gzip, what loads up front) as a benchmark
// line: the "list runs with a filter" bundle against the bare @urql/core floor measured in the same
// run, with every use case alongside. There is no Python counterpart (python_ms is null).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEADLINE = 'list runs with a filter';

interface SizeReport {
  floor: { gzip: number; min: number };
  use_cases: Record<string, { gzip: number; min: number; on_demand: number; budget: number; ok: boolean }>;
}

export async function bundleSizeBench(): Promise<void> {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['scripts/size.mjs', '--json'], { cwd: ROOT, maxBuffer: 16 << 20 }, (error, out, err) =>
      // Over budget still measures: the report says which use case is not ok.
      error && !out.includes('"use_cases"') ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
  const lines = stdout.trim().split('\n');
  const measured = lines.find((line) => line.startsWith('{"floor"'))!;
  for (const line of lines) if (line !== measured) console.log(line);
  const sizes = JSON.parse(measured) as SizeReport;
  const headline = sizes.use_cases[HEADLINE]!;
  console.log(
    JSON.stringify({
      bench: 'bundle-size',
      ours_ms: null,
      floor_ms: null,
      python_ms: null,
      ratio_vs_floor: Math.round((headline.gzip / sizes.floor.gzip) * 100) / 100,
      ratio_vs_python: null,
      peak_rss_mb: null,
      bytes: headline.gzip,
      floor_bytes: sizes.floor.gzip,
      use_cases: sizes.use_cases,
    }),
  );
}
