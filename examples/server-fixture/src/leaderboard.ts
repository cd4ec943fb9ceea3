// The code under test: what an application would build on wandb-api.
import type { Api } from 'wandb-api';

/** One row of a leaderboard. */
export interface Entry {
  id: string;
  name: string;
  value: number;
}

/** The `top` finished runs of a project by a summary metric, best first. */
export async function leaderboard(api: Api, project: string, metric: string, top = 3): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const run of api.runs(project, { filters: { state: 'finished' }, order: `-summary_metrics.${metric}`, perPage: top })) {
    const value = run.summary[metric];
    if (typeof value === 'number') entries.push({ id: run.id, name: run.name, value });
    if (entries.length === top) break;
  }
  return entries;
}

/** The text of a run file, e.g. a config a training script saved next to its checkpoints. */
export async function runFileText(api: Api, runPath: string, name: string): Promise<string> {
  const run = await api.run(runPath);
  const file = await run.file(name);
  return new TextDecoder().decode(await file.bytes());
}
