// P1 `list-runs`: list 10,000 runs through `listRuns` against a raw-fetch floor (a minimal loop
// sending the same query text with the same page size, one page after another, only parsing the
// JSON), through the replay server (replay.ts: recorded answers served from memory in a child
// process), so the timings are the clients' own. Ours is measured as it runs by default (createdAt
// windows side by side) and sequentially (`windows: 1`, the client's overhead against the floor).
// `list-runs-latency`: the same with 50 ms added to every answer, as a remote server's round trip.
import { createClient } from '@wandb-api/core';
import { listRuns } from '@wandb-api/runs';
import { compare, report } from './measure.js';
import { pythonBaseline } from './python.js';
import { startReplayServer } from './replay.js';
import { startBenchServer } from './server.js';
import { RunsDocument } from '../packages/runs/src/generated/graphql.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const PER_PAGE = Number(process.env.BENCH_PER_PAGE ?? 500);

async function listRunsAgainstReplay(bench: string, latencyMs: number, rounds: number): Promise<void> {
  // The real server seeds the runs (its own process); the replay server records them once.
  const server = await startBenchServer({ port: 0, memory: true, seed: { runs: RUNS } });
  const replay = await startReplayServer(server.url, latencyMs);
  try {
    const client = createClient({ baseUrl: replay.url, apiKey: server.apiKey, env: {} });
    const path = `${server.entity}/large`;
    const query = RunsDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;

    const floor = async () => {
      let count = 0;
      let cursor: string | null = null;
      for (;;) {
        const response = await fetch(`${replay.url}/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: auth },
          body: JSON.stringify({ query, variables: { entity: server.entity, project: 'large', cursor, perPage: PER_PAGE } }),
        });
        const data = (await response.json()) as { data: { project: { runs: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean } } } } };
        const { edges, pageInfo } = data.data.project.runs;
        count += edges.length;
        if (!pageInfo.hasNextPage || edges.length === 0) return count;
        cursor = edges[edges.length - 1]!.cursor;
      }
    };
    const ours = (windows?: number) => async () => {
      let count = 0;
      for await (const page of listRuns(client, path, { perPage: PER_PAGE, ...(windows && { windows }) }).pages()) count += page.length;
      return count;
    };

    const medians = await compare(
      [
        { name: 'floor', run: floor },
        { name: 'listRuns', run: ours() },
        { name: 'sequential', run: ours(1) },
      ],
      rounds,
    );
    // Python's wandb.Api (lazy runs, its default) with the same page size, when the parity venv exists.
    const python = await pythonBaseline<{ median_ms: number; count: number }>('list_runs', { url: replay.url, apiKey: server.apiKey }, {
      path,
      per_page: PER_PAGE,
      rounds,
    });
    if (python && python.count !== RUNS) throw new Error(`python listed ${python.count} runs, expected ${RUNS}`);
    if (python) console.log(`python       median ${python.median_ms.toFixed(1)} ms`);
    const ratio = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 100) / 100 : null);
    report(bench, medians.listRuns!, medians.floor!, python?.median_ms ?? null, {
      rows: RUNS,
      per_page: PER_PAGE,
      latency_ms: latencyMs,
      // One request after another: the client's own cost against the floor's.
      sequential_ms: Math.round(medians.sequential! * 10) / 10,
      ratio_sequential_vs_floor: ratio(medians.sequential!, medians.floor),
      ratio_sequential_vs_python: ratio(medians.sequential!, python?.median_ms),
    });
  } finally {
    await replay.stop();
    await server.stop();
  }
}

export const listRunsBench = (): Promise<void> => listRunsAgainstReplay('list-runs', 0, Number(process.env.BENCH_ROUNDS ?? 7));
export const listRunsLatencyBench = (): Promise<void> => listRunsAgainstReplay('list-runs-latency', 50, Number(process.env.BENCH_ROUNDS ?? 3));
