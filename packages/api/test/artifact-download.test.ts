// The facade's Artifact#download / #file / #verify (Python's names and defaults) delegating to the
// Node functions of @wandb-api/artifacts, against the demo seed's mnist-dataset:v2 (stored files,
// an http reference and an s3 reference).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { UnsupportedError } from '@wandb-api/core';
import { startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;
let dir: string;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
  dir = mkdtempSync(join(tmpdir(), 'wandb-api-artifact-download-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
});

describe('Artifact#download, #file, #verify', () => {
  it('downloads a version with references, verifies it, and fetches one file', async () => {
    const artifact = await api.artifact('demo/mnist-classifier/mnist-dataset:v2');
    const manifest = await artifact.manifest();
    const root = join(dir, 'ds');
    // The s3:// reference cannot be fetched here: refused unless allowMissingReferences.
    await expect(artifact.download(root)).rejects.toBeInstanceOf(UnsupportedError);
    expect(await artifact.download({ root, allowMissingReferences: true })).toBe(root);
    const stored = manifest.entries.filter((e) => e.ref === null);
    const result = await artifact.verify(root);
    expect(result.files).toBe(stored.length);
    expect(result.skippedReferences).toBe(manifest.entries.length - stored.length);

    const first = stored[0]!;
    const path = await artifact.file({ root: join(dir, 'one'), path: first.path });
    expect(path).toBe(join(dir, 'one', first.path));
    expect(readFileSync(path)).toEqual(readFileSync(join(root, first.path)));
  });
});
