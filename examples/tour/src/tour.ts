// A tour of the `Api` facade. With no WANDB_BASE_URL it starts the embedded local server with the
// demo workspace in a temporary folder (no account needed); with WANDB_BASE_URL (and WANDB_API_KEY)
// it tours that server instead, using WANDB_ENTITY / WANDB_PROJECT. `main.ts` runs it; the test
// runs it twice and compares the output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@wandb-api/server';
import { Api, type Run, type RunFilter } from 'wandb-api';

const TOP = 5;

function table(rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => r[c]!.length));
  const line = (cells: (c: string) => string) => columns.map((c) => cells(c).padEnd(width(c))).join('  ');
  return [line((c) => c), line((c) => '-'.repeat(width(c))), ...rows.map((r) => line((c) => r[c]!))].join('\n');
}

const fmt = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v === undefined ? '-' : String(v));

/** The local server's preferred port, so the tour prints the same URLs on every run; any free one when it is taken. */
export const TOUR_PORT = 8765;

/** What the tour needs from its surroundings; the defaults are the process's. */
export interface TourOptions {
  /** Receives each line the tour prints. */
  print?: (line: string) => void;
  /** Default process.env: WANDB_BASE_URL (and the others) tour that server instead of a local one. */
  env?: Record<string, string | undefined>;
  /** The local server's port; default {@link TOUR_PORT}, then any free port. */
  port?: number;
}

async function startLocal(dataDir: string, port: number) {
  try {
    return await startServer({ port, dataDir, seed: 'demo' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    return startServer({ port: 0, dataDir, seed: 'demo' });
  }
}

export async function tour(options: TourOptions = {}): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const external = env.WANDB_BASE_URL;
  const dataDir = external ? undefined : mkdtempSync(join(tmpdir(), 'wandb-api-tour-'));
  const server = dataDir ? await startLocal(dataDir, options.port ?? TOUR_PORT) : undefined;
  try {
    const api = server ? new Api({ baseUrl: server.url, apiKey: server.apiKey, env: {} }) : new Api({ env });
    print(server ? `Local W&B server with the demo workspace at ${server.url}\n` : `W&B server ${api.client.config.baseUrl}\n`);

    const viewer = await api.viewer();
    print(`Signed in as ${viewer.username} (entity ${viewer.entity}${viewer.teams.length ? `, teams: ${viewer.teams.join(', ')}` : ''})\n`);

    const entity = env.WANDB_ENTITY ?? viewer.entity ?? undefined;
    const projects = await api.projects(entity).toArray();
    print(`Projects of ${entity}:`);
    for (const p of projects) print(`  ${p.name.padEnd(24)} created ${p.createdAt.slice(0, 10)}  ${p.url}`);

    const project = env.WANDB_PROJECT ?? (server ? 'mnist-classifier' : projects[0]?.name);
    if (!project) return;
    const path = `${entity}/${project}`;
    const all = await api.runs(path, { lazy: true }).count();
    const filters: RunFilter = server ? { 'config.optimizer.name': 'adam', state: 'finished' } : {};
    const metric = server ? 'accuracy' : (env.TOUR_METRIC ?? 'loss');
    const runs = api.runs(path, { filters, order: `-summary_metrics.${metric}`, perPage: TOP });
    print(`\n${path}: ${all} runs, ${await runs.count()} matching ${JSON.stringify(filters)}`);

    const top: Run[] = await runs.toArray({ limit: TOP });
    print(`\nTop ${top.length} by summary ${metric}:`);
    print(
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
      print(`\nfromPath(${best.url}) -> run ${'id' in again ? again.id : ''}, created ${best.createdAt}`);
      const sampled = await best.history({ samples: 50 });
      let rows = 0;
      for await (const _ of best.scanHistory({ keys: [metric] })) rows++;
      print(`History of ${best.id}: ${sampled.length} sampled rows, ${rows} rows with ${metric} scanned in step order`);
    }
    if (server) await localTour(api, entity ?? 'demo', project, print);
  } finally {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The parts of the demo workspace only the local server is known to have: sweeps, artifacts, registries, launch, admin. */
async function localTour(api: Api, entity: string, project: string, print: (line: string) => void): Promise<void> {
  const sweep = await api.sweep(`${entity}/${project}/sweeps/k3x9q2ab`);
  const bestRun = await sweep.bestRun();
  print(`\nSweep ${sweep.id} (${sweep.method}, ${sweep.state}): best run ${bestRun?.name ?? '-'} by ${sweep.order}`);

  const model = await api.artifact(`${entity}/${project}/mnist-cnn:best`, 'model');
  print(`\nArtifact ${model.qualifiedName}: ${model.version}, aliases ${model.aliases.join(',')}, ${model.fileCount} files, ${model.size} bytes`);
  const versions = await api.artifacts('model', `${entity}/${project}/mnist-cnn`).toArray();
  print(`  versions: ${versions.map((v) => `${v.version}[${v.aliases.join(',')}]`).join(' ')}`);
  const loggedBy = await model.loggedBy();
  print(`  logged by run ${loggedBy?.name ?? '-'}, used by ${(await model.usedBy()).map((r) => r.name).join(', ') || 'no run'}`);
  const samples = await api.artifact(`${entity}/${project}/mnist-samples:v0`);
  const root = mkdtempSync(join(tmpdir(), 'wandb-api-tour-artifact-'));
  try {
    let files = 0;
    await samples.download({ root, onProgress: (p) => (files = p.files) });
    const verified = await samples.verify(root);
    print(`  downloaded ${samples.qualifiedName}: ${files} files, every one checked (size + MD5); verify() -> ${verified.files} files, ${verified.bytes} bytes`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  for await (const registry of api.registries()) {
    const linked = await registry.versions().toArray();
    print(`\nRegistry ${registry.fullName} (${registry.organization}): ${linked.map((a) => `${a.qualifiedName}[${a.aliases.join(',')}]`).join(' ') || 'empty'}`);
  }

  const queue = await api.runQueue(entity, 'default');
  const items = await queue.items().toArray();
  const states = await Promise.all(items.map((item) => item.state()));
  print(`\nLaunch queue ${queue.name} (${queue.type}): ${items.length} items, ${states.join(', ')}`);
  const jobs = await api.listJobs(entity, project);
  print(`  jobs: ${jobs.map((j) => j.name).join(', ')}`);

  const users = await api.users('');
  const team = await api.team('vision-team');
  print(`\nUsers (admin view): ${users.map((u) => `${u.username}${u.admin ? ' (admin)' : ''}`).join(', ')}`);
  print(`Team ${team.name}: ${team.members.map((m) => m.username).join(', ')}`);
}
