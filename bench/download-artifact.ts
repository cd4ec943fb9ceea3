// P3: download the benchmark artifacts (2,000 × 64 KiB files and 2 × 256 MiB files, art-server's
// generator) with `downloadArtifact` — manifest, batched URLs, every file checked (size + MD5) and
// renamed into place — against a raw floor that lists the same signed URLs with one hand-written
// GraphQL request per artifact and streams them to disk with the same parallelism and no checks,
// and against Python's `artifact.download(skip_cache=True)` when the parity venv exists.
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Artifact, downloadArtifact, getArtifact } from '@wandb-api/artifacts';
import { createClient } from '@wandb-api/core';
import { ArtifactMembershipFileUrlsDocument } from '../packages/artifacts/src/generated/graphql.js';
import { compare, report } from './measure.js';
import { pythonBaseline } from './python.js';
import { startBenchServer } from './server.js';

const SPECS = [
  { count: Number(process.env.BENCH_SMALL_FILES ?? 2000), bytes: 65_536 },
  { count: 2, bytes: Number(process.env.BENCH_LARGE_BYTES ?? 256 * 2 ** 20) },
];
const CONCURRENCY = 32;

/** Files under a folder (what each contender must have produced). */
function countFiles(dir: string): number {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => d.isFile()).length;
}

export async function downloadArtifactBench(): Promise<void> {
  const started = performance.now();
  // The server runs in a child process, so the client's time and RSS are its own (as for Python).
  const server = await startBenchServer({ port: 0, memory: true, seed: { artifactFiles: SPECS } });
  const totalBytes = SPECS.reduce((n, s) => n + s.count * s.bytes, 0);
  console.log(`seeded ${SPECS.map((s) => `${s.count} × ${s.bytes} B`).join(' + ')} in ${(performance.now() - started).toFixed(0)} ms`);
  const work = mkdtempSync(join(tmpdir(), 'wandb-bench-download-'));
  try {
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const names = SPECS.map((s) => `demo/artifact-bench/files-${s.count}x${s.bytes}:v0`);
    const artifacts: Artifact[] = await Promise.all(names.map((name) => getArtifact(client, name)));
    let round = 0;
    const freshDir = (who: string) => join(work, `${who}-${round++}`);

    const ours = async () => {
      const dir = freshDir('ours');
      for (const [i, artifact] of artifacts.entries()) await downloadArtifact(client, artifact, { root: join(dir, String(i)), concurrency: CONCURRENCY });
      return countFiles(dir);
    };

    // The floor: the same signed URLs (one GraphQL request per artifact), fetched CONCURRENCY at a
    // time straight into their files; no manifest, no temp files, no checks.
    const query = ArtifactMembershipFileUrlsDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;
    const floor = async () => {
      const dir = freshDir('floor');
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
            const body = await fetch(file.directUrl);
            await pipeline(Readable.fromWeb(body.body as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(path));
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      }
      return countFiles(dir);
    };

    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const medians = await compare(
      [
        { name: 'floor', run: floor },
        { name: 'downloadArtifact', run: ours },
      ],
      rounds,
    );
    rmSync(work, { recursive: true, force: true });
    const python = await pythonBaseline<{ median_ms: number; count: number }>('download_artifact', server, { names, rounds });
    if (python) console.log(`python       median ${python.median_ms.toFixed(1)} ms  (${python.count} files)`);
    report('download-artifact', medians.downloadArtifact!, medians.floor!, python?.median_ms ?? null, {
      files: SPECS.reduce((n, s) => n + s.count, 0),
      bytes: totalBytes,
      concurrency: CONCURRENCY,
      ours_mb_per_s: Math.round(totalBytes / 2 ** 20 / (medians.downloadArtifact! / 1000)),
      floor_mb_per_s: Math.round(totalBytes / 2 ** 20 / (medians.floor! / 1000)),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}
