// P1: list 10,000 runs through `listRuns` against a raw-fetch floor: a minimal hand-written loop
// that sends the same query text with the same page size and only parses the JSON.
import { createClient } from '@wandb-api/core';
import { listRuns } from '@wandb-api/runs';
import { compare, report } from './measure.js';
import { pythonBaseline } from './python.js';
import { startBenchServer } from './server.js';
import { RunsDocument } from '../packages/runs/src/generated/graphql.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const PER_PAGE = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export async function listRunsBench(): Promise<void> {
  // The server runs in its own process (server.ts): the timings hold only the client's work.
  const server = await startBenchServer({ port: 0, memory: true, seed: { runs: RUNS } });
  try {
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const query = RunsDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;

    const floor = async () => {
      let count = 0;
      let cursor: string | null = null;
      for (;;) {
        const response = await fetch(`${server.url}/graphql`, {
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
    const ours = async () => {
      let count = 0;
      for await (const page of listRuns(client, `${server.entity}/large`, { perPage: PER_PAGE }).pages()) count += page.length;
      return count;
    };

    const medians = await compare(
      [
        { name: 'floor', run: floor },
        { name: 'listRuns', run: ours },
      ],
      ROUNDS,
    );
    // Python's wandb.Api (lazy runs, its default) with the same page size, when the parity venv exists.
    const python = await pythonBaseline<{ median_ms: number; count: number }>('list_runs', server, {
      path: `${server.entity}/large`,
      per_page: PER_PAGE,
      rounds: ROUNDS,
    });
    if (python && python.count !== RUNS) throw new Error(`python listed ${python.count} runs, expected ${RUNS}`);
    if (python) console.log(`python       median ${python.median_ms.toFixed(1)} ms`);
    report('list-runs', medians.listRuns!, medians.floor!, python?.median_ms ?? null, { rows: RUNS, per_page: PER_PAGE });
  } finally {
    await server.stop();
  }
}
