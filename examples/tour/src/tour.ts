// A tour of the `Api` facade. With no WANDB_BASE_URL it starts the embedded local server with the
// demo workspace in a temporary folder (no account needed); with WANDB_BASE_URL (and WANDB_API_KEY)
// it tours that server instead, using WANDB_ENTITY / WANDB_PROJECT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@wandb-api/server';
import { Api, type Run } from 'wandb-api';

const TOP = 5;

function table(rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => r[c]!.length));
  const line = (cells: (c: string) => string) => columns.map((c) => cells(c).padEnd(width(c))).join('  ');
  return [line((c) => c), line((c) => '-'.repeat(width(c))), ...rows.map((r) => line((c) => r[c]!))].join('\n');
}

const fmt = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v === undefined ? '-' : String(v));

async function main(): Promise<void> {
  const external = process.env.WANDB_BASE_URL;
  const dataDir = external ? undefined : mkdtempSync(join(tmpdir(), 'wandb-api-tour-'));
  const server = dataDir ? await startServer({ port: 0, dataDir, seed: 'demo' }) : undefined;
  try {
    const api = server ? new Api({ baseUrl: server.url, apiKey: server.apiKey, env: {} }) : new Api();
    console.log(server ? `Local W&B server with the demo workspace at ${server.url}\n` : `W&B server ${api.client.config.baseUrl}\n`);

    const viewer = await api.viewer();
    console.log(`Signed in as ${viewer.username} (entity ${viewer.entity}${viewer.teams.length ? `, teams: ${viewer.teams.join(', ')}` : ''})\n`);

    const entity = process.env.WANDB_ENTITY ?? viewer.entity ?? undefined;
    const projects = await api.projects(entity).toArray();
    console.log(`Projects of ${entity}:`);
    for (const p of projects) console.log(`  ${p.name.padEnd(24)} created ${p.createdAt.slice(0, 10)}  ${p.url}`);

    const project = process.env.WANDB_PROJECT ?? (server ? 'mnist-classifier' : projects[0]?.name);
    if (!project) return;
    const path = `${entity}/${project}`;
    const all = await api.runs(path, { lazy: true }).count();
    const filters = server ? { 'config.optimizer.name': 'adam', state: 'finished' } : {};
    const metric = server ? 'accuracy' : (process.env.TOUR_METRIC ?? 'loss');
    const runs = api.runs(path, { filters, order: `-summary_metrics.${metric}`, perPage: TOP });
    console.log(`\n${path}: ${all} runs, ${await runs.count()} matching ${JSON.stringify(filters)}`);

    const top: Run[] = await runs.toArray({ limit: TOP });
    console.log(`\nTop ${top.length} by summary ${metric}:`);
    console.log(
      table(
        top.map((r) => ({
          run: r.id,
          name: r.name,
          state: r.state,
          [metric]: fmt(r.summary[metric]),
          lr: fmt(r.config.lr),
          batch_size: fmt(r.config.batch_size),
          tags: r.tags.join(',') || '-',
        })),
      ),
    );
    const best = top[0];
    if (best) {
      const again = await api.fromPath(best.url);
      console.log(`\nfromPath(${best.url}) -> run ${'id' in again ? again.id : ''}, created ${best.createdAt}`);
    }
  } finally {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  },
);
