/**
 * Demo console logs (Run.logLines): each demo run gets the lines W&B streams while a run lives —
 * stdout progress plus stderr warnings, and a traceback on crashed/failed runs. No PRNG: derived
 * from each run's id, name and state, so the demo's other data stays as it was.
 */
import type { NewLogLine } from '../store/logLines';
import type { Store } from '../store/store';

interface SeedRun {
  id: number;
  name: string;
  state: string;
  created_at: string;
}

export function seedDemoLogLines(store: Store): void {
  const runs = store.db.prepare('SELECT id, name, state, created_at FROM runs ORDER BY id').all() as SeedRun[];
  store.db.transaction(() => {
    for (const run of runs) store.addLogLines(run.id, logLinesFor(run));
  });
}

function logLinesFor(run: SeedRun): NewLogLine[] {
  const start = Date.parse(`${run.created_at}Z`);
  // W&B writes microsecond timestamps without a zone (UTC).
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString().replace('Z', '000');
  const epochs = 3 + (run.id % 3);
  const lines: NewLogLine[] = [
    { line: `Starting run ${run.name}`, timestamp: at(0) },
    { line: 'UserWarning: torch.cuda.amp.GradScaler is deprecated', stream: 'stderr', timestamp: at(1) },
  ];
  for (let e = 1; e <= epochs; e++) lines.push({ line: `epoch ${e}/${epochs} done`, timestamp: at(10 * e) });
  if (run.state === 'crashed' || run.state === 'failed') {
    lines.push(
      { line: 'Traceback (most recent call last):', stream: 'stderr', timestamp: at(10 * epochs + 1) },
      { line: 'RuntimeError: CUDA out of memory', stream: 'stderr', timestamp: at(10 * epochs + 1) },
    );
  } else {
    lines.push({ line: 'Training finished.', timestamp: at(10 * epochs + 1) });
  }
  return lines;
}
