// P3: download the benchmark artifacts (2,000 × 64 KiB files and 2 × 256 MiB files, art-server's
// generator) with `downloadArtifact` — manifest, batched URLs, every file checked (size + MD5) and
// renamed into place — against a raw floor that lists the same signed URLs with one hand-written
// GraphQL request per artifact and streams them to disk with the same parallelism and no checks
// (node:http, Node's fastest body reader), and against Python's `artifact.download(skip_cache=True)`
// when the parity venv exists, its rounds interleaved with ours (one Python process, warmed up
// once, one round at a time). Beside the result: the machine's own limits (disk write, MD5,
// loopback), measured in the same run.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { createServer, connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { type Artifact, downloadArtifact, getArtifact } from '@wandb-api/artifacts';
import { createClient } from '@wandb-api/core';
import { ArtifactMembershipFileUrlsDocument } from '../packages/artifacts/src/generated/graphql.js';
import { type Contender, compare, median, report } from './measure.js';
import { pythonSession } from './python.js';
import { startBenchServer } from './server.js';

const SPECS = [
  { count: Number(process.env.BENCH_SMALL_FILES ?? 2000), bytes: 65_536 },
  { count: 2, bytes: Number(process.env.BENCH_LARGE_BYTES ?? 256 * 2 ** 20) },
];
const CONCURRENCY = 32;
const MB = 2 ** 20;

/**
 * Writes the page cache's dirty pages to disk (untimed, before each contender's round): each round
 * leaves 640 MB of them, and without this the kernel flushes them during a later round, whichever
 * contender's it is (runs 20 % apart from one to the next).
 */
function flushDisk(): void {
  execFileSync('sync');
}

/** Files under a folder (what each contender must have produced). */
function countFiles(dir: string): number {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => d.isFile()).length;
}

/** MB/s of writing 512 MB to a file in 1 MB writes (the page cache, as downloads write), of MD5 on one core, and of loopback TCP. */
async function machineLimits(work: string): Promise<{ disk_write_mb_per_s: number; md5_mb_per_s: number; loopback_mb_per_s: number }> {
  const block = Buffer.alloc(MB, 7);
  const path = join(work, 'disk-probe');
  let started = performance.now();
  const fd = openSync(path, 'w');
  for (let i = 0; i < 512; i++) writeSync(fd, block);
  closeSync(fd);
  const disk = 512 / ((performance.now() - started) / 1000);
  unlinkSync(path);
  started = performance.now();
  const hash = createHash('md5');
  for (let i = 0; i < 512; i++) hash.update(block);
  hash.digest();
  const md5 = 512 / ((performance.now() - started) / 1000);
  // 1 GB over loopback TCP: sent from a worker thread, received here.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  server.close();
  const sender = new Worker(
    `const net = require('node:net'); const { workerData, parentPort } = require('node:worker_threads');
     const block = Buffer.alloc(${MB}, 7);
     const s = net.createServer((socket) => { let left = 1024; const pump = () => { while (left > 0) { left--; if (!socket.write(block)) return socket.once('drain', pump); } socket.end(); }; pump(); });
     s.listen(workerData, '127.0.0.1', () => parentPort.postMessage('ready'));`,
    { eval: true, workerData: port },
  );
  await new Promise((resolve) => sender.once('message', resolve));
  started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => {});
    socket.on('end', resolve);
    socket.on('error', reject);
  });
  const loopback = 1024 / ((performance.now() - started) / 1000);
  await sender.terminate();
  return { disk_write_mb_per_s: Math.round(disk), md5_mb_per_s: Math.round(md5), loopback_mb_per_s: Math.round(loopback) };
}

export async function downloadArtifactBench(): Promise<void> {
  const started = performance.now();
  // The server runs in a child process, so the client's time and RSS are its own (as for Python).
  const server = await startBenchServer({ port: 0, memory: true, seed: { artifactFiles: SPECS } });
  const totalBytes = SPECS.reduce((n, s) => n + s.count * s.bytes, 0);
  console.log(`seeded ${SPECS.map((s) => `${s.count} × ${s.bytes} B`).join(' + ')} in ${(performance.now() - started).toFixed(0)} ms`);
  const work = mkdtempSync(join(tmpdir(), 'wandb-bench-download-'));
  const names = SPECS.map((s) => `demo/artifact-bench/files-${s.count}x${s.bytes}:v0`);
  const python = await pythonSession<{ ms: number; count: number }>('download_artifact', server, { names });
  try {
    const limits = await machineLimits(work);
    console.log(`machine: disk write ${limits.disk_write_mb_per_s} MB/s, MD5 ${limits.md5_mb_per_s} MB/s (one core), loopback ${limits.loopback_mb_per_s} MB/s`);
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const artifacts: Artifact[] = await Promise.all(names.map((name) => getArtifact(client, name)));
    let round = 0;
    const freshDir = (who: string) => join(work, `${who}-${round++}`);

    /**
     * Times `download` into a fresh folder and counts its files. Folders are removed at the end
     * only: freeing 640 MB between rounds would load the disk during the next contender's round.
     */
    // CPU time per round (ms, every thread): this process's, and the server's.
    const cpu: Record<string, { client: number[]; server: number[] }> = {};
    const processCpuMs = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const timed = async (who: string, download: (dir: string) => Promise<void>) => {
      const dir = freshDir(who);
      flushDisk();
      const [client, served] = [processCpuMs(), await server.cpuMs()];
      const began = performance.now();
      await download(dir);
      const ms = performance.now() - began;
      const used = (cpu[who] ??= { client: [], server: [] });
      used.client.push(processCpuMs() - client);
      used.server.push((await server.cpuMs()) - served);
      return { ms, count: countFiles(dir) };
    };
    const ours = () =>
      timed('ours', async (dir) => {
        for (const [i, artifact] of artifacts.entries()) await downloadArtifact(client, artifact, { root: join(dir, String(i)), concurrency: CONCURRENCY });
      });

    // The floor: the same signed URLs (one GraphQL request per artifact), fetched CONCURRENCY at a
    // time over node:http straight into their files; no manifest, no temp files, no checks.
    const query = ArtifactMembershipFileUrlsDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;
    const agent = new Agent({ keepAlive: true });
    const fetchInto = (url: string, path: string) =>
      new Promise<void>((resolve, reject) => {
        get(url, { agent }, (response) => {
          const out = createWriteStream(path);
          response.pipe(out);
          out.on('finish', resolve);
          out.on('error', reject);
          response.on('error', reject);
        }).on('error', reject);
      });
    const floor = () =>
      timed('floor', async (dir) => {
        for (const [i, artifact] of artifacts.entries()) {
          const response = await fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: auth },
            body: JSON.stringify({
              query,
              variables: { entity: artifact.entity, project: artifact.project, collection: artifact.collectionName, alias: artifact.version, perPage: 5000 },
            }),
          });
          type Page = { data: { project: { artifactCollection: { artifactMembership: { files: { edges: { node: { name: string; directUrl: string } }[] } } } } } };
          const files = ((await response.json()) as Page).data.project.artifactCollection.artifactMembership.files.edges.map((e) => e.node);
          let next = 0;
          const lane = async () => {
            while (next < files.length) {
              const file = files[next++]!;
              const path = join(dir, String(i), file.name);
              mkdirSync(dirname(path), { recursive: true });
              await fetchInto(file.directUrl, path);
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY }, lane));
        }
      });

    const contenders: Contender[] = [
      { name: 'floor', run: floor },
      { name: 'downloadArtifact', run: ours },
      ...(python
        ? [
            {
              name: 'python',
              run: () => {
                flushDisk();
                return python.round();
              },
            },
          ]
        : []),
    ];
    const medians = await compare(contenders, Number(process.env.BENCH_ROUNDS ?? 3));
    const mbPerS = (ms: number) => Math.round(totalBytes / MB / (ms / 1000));
    report('download-artifact', medians.downloadArtifact!, medians.floor!, medians.python ?? null, {
      files: SPECS.reduce((n, s) => n + s.count, 0),
      bytes: totalBytes,
      concurrency: CONCURRENCY,
      ours_mb_per_s: mbPerS(medians.downloadArtifact!),
      floor_mb_per_s: mbPerS(medians.floor!),
      // Ours as a share of the floor's throughput.
      throughput_vs_floor: Math.round((medians.floor! / medians.downloadArtifact!) * 100) / 100,
      // What checking costs and the floor skips: the MD5 of every byte, in ms of one core.
      md5_one_core_ms: Math.round((totalBytes / MB / limits.md5_mb_per_s) * 1000),
      // Median CPU per round (ms, all threads) of the client and of the server, against the cores
      // there are: a floor that keeps them busy leaves no room to hide the MD5 in.
      cores: availableParallelism(),
      cpu_ms: Object.fromEntries(Object.entries(cpu).map(([who, used]) => [who, { client: Math.round(median(used.client)), server: Math.round(median(used.server)) }])),
      machine: limits,
    });
  } finally {
    await python?.close();
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}
