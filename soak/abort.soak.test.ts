// Aborts under faults: a listing, a history scan and a download stopped mid-way end with an
// AbortError (a WandbError), promptly, and the server sees no request after the call returned —
// no page prefetched, no retry after a backoff, no window or file started late.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadArtifact, getArtifact } from '@wandb-api/artifacts';
import { AbortError, type WandbClient } from '@wandb-api/core';
import { listRuns, scanHistory } from '@wandb-api/runs';
import type { FaultRule, LocalServer } from '@wandb-api/server';
import { ARTIFACT_FILES, mixedFaults, soakClient } from '../bench/soakWorkloads.js';
import { startSoakServer } from './support.js';

const QUIET_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where the abort lands: `delayMs` after the client's `after`-th answer (in a request, a backoff, a body). */
interface AbortPoint {
  name: string;
  after: number;
  delayMs: number;
  /** Instead of the mixed faults: this fault from the `after`-th answer on (then the abort finds the call waiting in it). */
  fault?: FaultRule;
}

function abortPoints(faultPath: string): AbortPoint[] {
  return [
    { name: 'right after answer 2', after: 2, delayMs: 0 },
    { name: '3 ms after answer 7', after: 7, delayMs: 3 },
    { name: '20 ms after answer 15', after: 15, delayMs: 20 },
    { name: '60 ms after answer 30', after: 30, delayMs: 60 },
    { name: 'in a stalled body', after: 5, delayMs: 200, fault: { stall: true, path: faultPath } },
    { name: 'in a Retry-After wait', after: 5, delayMs: 300, fault: { status: 429, retryAfter: 5, path: faultPath } },
  ];
}

/**
 * Runs `call` with a signal that fires at `point`, under mixed faults on `paths` (or the point's
 * fault); expects an AbortError soon after the abort, no attempt started after it, and no request
 * reaching the server after the call returned.
 */
async function abortMidWay(server: LocalServer, paths: string[], point: AbortPoint, call: (client: WandbClient, signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  let answers = 0;
  let abortedAt = 0;
  const started: number[] = [];
  const client = soakClient(server, undefined, {
    hooks: {
      onRequest: () => void started.push(performance.now()),
      onResponse: () => {
        if (++answers === point.after) {
          if (point.fault) {
            server.faults.clear();
            server.faults.add(point.fault);
          }
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, point.delayMs);
        }
      },
    },
  });
  server.faults.clear();
  for (const rule of mixedFaults(paths)) server.faults.add(rule);
  const before = server.requests.length;
  try {
    const error = await call(client, controller.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    const settled = performance.now();
    expect(error, `aborted after answer ${point.after}`).toBeInstanceOf(AbortError);
    // Promptly: not after a stalled body's idle timeout or a Retry-After.
    expect(settled - abortedAt).toBeLessThan(500);
    expect(started.filter((t) => t > abortedAt).map((t) => `${Math.round(t - abortedAt)} ms`), 'attempts started after the abort').toEqual([]);
    // The server (in this process) logs a request when its event loop gets to it: requests sent
    // just before the abort may land after the call returned. Then nothing more comes.
    await sleep(QUIET_MS);
    const seen = server.requests.length;
    expect(seen - before, 'requests the server saw, at most one per attempt').toBeLessThanOrEqual(started.length);
    await sleep(QUIET_MS);
    expect(server.requests.slice(seen).map((r) => `${r.method} ${r.path} ${r.operationName ?? ''}`)).toEqual([]);
  } finally {
    server.faults.clear();
  }
}

describe('a listing', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startSoakServer({ seed: { runs: 3000 } });
  });
  afterAll(() => server.stop());

  it.each(abortPoints('/graphql'))('aborted $name: no request after it', async (point) => {
    await abortMidWay(server, ['/graphql'], point, async (client, signal) => {
      for await (const run of listRuns(client, `${server.entity}/large`, { perPage: 50, signal })) void run;
    });
  });
});

describe('a history scan', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startSoakServer({ seed: { historyRows: 100_000 } });
  });
  afterAll(() => server.stop());

  it.each(abortPoints('/graphql'))('aborted $name: no window started after it', async (point) => {
    await abortMidWay(server, ['/graphql'], point, async (client, signal) => {
      for await (const row of scanHistory(client, `${server.entity}/history-bench/big`, { keys: ['loss'], pageSize: 500, parquet: false, signal })) void row;
    });
  });
});

describe('an artifact download', () => {
  let server: LocalServer;
  let dir: string;
  beforeAll(async () => {
    server = await startSoakServer({ seed: { artifactFiles: ARTIFACT_FILES } });
    dir = mkdtempSync(join(tmpdir(), 'wandb-soak-abort-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(abortPoints('/artifact-blob/*'))('aborted $name: no file requested after it, no partial file', async (point) => {
    const root = join(dir, point.name.replace(/\W+/g, '-'));
    const name = `demo/artifact-bench/files-${ARTIFACT_FILES.count}x${ARTIFACT_FILES.bytes}:v0`;
    const manifest = new Map<string, string>();
    await abortMidWay(server, ['/graphql', '/manifest/*', '/artifact-blob/*'], point, async (client, signal) => {
      const artifact = await getArtifact(client, name, { signal });
      await downloadArtifact(client, artifact, { root, signal });
    });
    // What is in place is whole: every file there has the bytes of a file of the artifact, and no temp file is left.
    const clean = soakClient(server);
    const reference = join(dir, 'reference');
    if (manifest.size === 0) {
      await downloadArtifact(clean, await getArtifact(clean, name), { root: reference });
      for (const file of readdirSync(reference, { recursive: true, withFileTypes: true })) {
        if (file.isFile()) manifest.set(file.name, createHash('md5').update(readFileSync(join(file.parentPath, file.name))).digest('hex'));
      }
    }
    if (!existsSync(root)) return; // aborted before the download began
    const left = readdirSync(root, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    for (const file of left) {
      expect(file.name, 'no temp file left').not.toMatch(/wandb-download$/);
      expect(createHash('md5').update(readFileSync(join(file.parentPath, file.name))).digest('hex'), file.name).toBe(manifest.get(file.name));
    }
  });
});
