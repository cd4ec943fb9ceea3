// Parity of artifact downloads and deletes: Artifact.download into a root (file lists and MD5s
// compared byte for byte) on mnist-dataset:v2 (files, an http reference served by the local server
// and an s3:// reference), mnist-samples:v0 (200 files) and mnist-cnn:v2; Artifact.file on a
// single-file artifact; Artifact.verify on clean and tampered folders; Artifact.delete with
// delete_aliases, and ArtifactCollection.delete, each client's deletes seen by both.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createArtifact } from '@wandb-api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { attempt, md5Listing, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
let dir: string;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  dir = mkdtempSync(join(tmpdir(), 'parity-artdl-'));
});
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});


/** Python reports exception classes and messages; we compare only whether both failed. */
function errorsAsFlags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(errorsAsFlags);
  if (value && typeof value === 'object') {
    if ('error' in value) return { error: true };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, errorsAsFlags(v)]));
  }
  return value;
}

describe('artifact downloads', () => {
  it('download: same files and bytes (mnist-dataset:v2 without the s3 reference, mnist-samples:v0, mnist-cnn:v2)', async () => {
    // Python's s3 handler needs boto3 (not installed, and the bucket is not reachable): with or
    // without allow_missing_references the s3 entry fails. So the dataset is downloaded through
    // path_prefix calls that leave raw/train-images-idx3-ubyte.gz out (the http reference
    // raw/LICENSE.txt included); ours also once in full with allowMissingReferences (skips s3).
    const datasetPrefixes = ['README.md', 'labels/', 'raw/LICENSE.txt', 'test.csv', 'train.csv'];
    const specs = (side: string) => [
      { key: 'dataset', path: `${P}/mnist-dataset:v2`, root: join(dir, side, 'dataset'), prefixes: datasetPrefixes },
      { key: 'dataset_full', path: `${P}/mnist-dataset:v2`, root: join(dir, side, 'dataset-full') },
      { key: 'dataset_allow_missing', path: `${P}/mnist-dataset:v2`, root: join(dir, side, 'dataset-allow'), allow_missing: true },
      { key: 'samples', path: `${P}/mnist-samples:v0`, root: join(dir, side, 'samples') },
      { key: 'cnn', path: `${P}/mnist-cnn:v2`, root: join(dir, side, 'cnn') },
    ];
    const py = (await p.python('artifact_downloads', { phase: 'download', downloads: specs('py') })) as Record<string, unknown>;
    const ours: Record<string, unknown> = {};
    for (const spec of specs('ts')) {
      const artifact = await api.artifact(spec.path);
      ours[spec.key] = await attempt(async () => {
        for (const pathPrefix of spec.prefixes ?? [undefined]) {
          await artifact.download({ root: spec.root, allowMissingReferences: spec.allow_missing === true, ...(pathPrefix ? { pathPrefix } : {}) });
        }
        return md5Listing(spec.root);
      });
    }
    const { dataset_allow_missing: pyAllow, ...pyRest } = py;
    const { dataset_allow_missing: ourAllow, ...ourRest } = ours;
    expect(errorsAsFlags(ourRest)).toEqual(errorsAsFlags(pyRest));
    const files = (ours.dataset as { ok: Record<string, string> }).ok;
    expect(Object.keys(files)).toEqual(['README.md', 'labels/classes.json', 'raw/LICENSE.txt', 'test.csv', 'train.csv']);
    expect(Object.keys((ours.samples as { ok: object }).ok)).toHaveLength(200);
    expect(Object.keys((ours.cnn as { ok: object }).ok)).toEqual(['config.json', 'model.pt']);
    // The full download fails on both sides; ours before writing any byte (documented).
    expect(ours.dataset_full).toEqual({ error: 'UnsupportedError' });
    let left: Record<string, string> = {};
    try {
      left = md5Listing(join(dir, 'ts', 'dataset-full'));
    } catch {
      // no folder at all is fine too
    }
    expect(left).toEqual({});
    // Python writes other entries before the s3 one fails (which ones depends on its threads).
    expect(Object.keys(md5Listing(join(dir, 'py', 'dataset-full'))).every((path) => path in files)).toBe(true);
    // allow_missing_references does not cover a missing boto3 in Python (it only skips
    // FileNotFoundError); ours skips the reference it cannot fetch and gets every other file.
    expect(pyAllow).toMatchObject({ error: 'Error', message: expect.stringContaining('boto3') });
    expect(ourAllow).toEqual({ ok: files });
  });

  it('file: the only file of a single-file artifact; an error for a multi-file one', async () => {
    const weights = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 3) % 256);
    createArtifact(p.server.store, { entity: 'demo', project: 'parity-art', type: 'model', name: 'single-file', files: { 'weights/model.bin': weights } });
    const specs = (side: string) => [
      { key: 'single', path: 'demo/parity-art/single-file:v0', root: join(dir, side, 'single') },
      { key: 'multi', path: `${P}/mnist-cnn:v2`, root: join(dir, side, 'multi') },
    ];
    const py = await p.python('artifact_downloads', { phase: 'file', files: specs('py') });
    const ours: Record<string, unknown> = {};
    for (const spec of specs('ts')) {
      const artifact = await api.artifact(spec.path);
      ours[spec.key] = await attempt(async () => {
        const local = await artifact.file(spec.root);
        return { path: relative(spec.root, local).split(sep).join('/'), md5: createHash('md5').update(readFileSync(local)).digest('hex') };
      });
    }
    expect(errorsAsFlags(ours)).toEqual(errorsAsFlags(py));
    expect(ours.single).toEqual({ ok: { path: 'weights/model.bin', md5: createHash('md5').update(weights).digest('hex') } });
    expect(ours.multi).toEqual({ error: 'ValidationError' });
  });

  it('verify: clean folders pass on both sides; a changed, a missing and an extra file fail', async () => {
    const cnn = await api.artifact(`${P}/mnist-cnn:v2`);
    const fresh = async (name: string) => cnn.download(join(dir, 'verify', name));
    await fresh('clean');
    appendFileSync(join(await fresh('changed'), 'model.pt'), 'x');
    rmSync(join(await fresh('missing'), 'config.json'));
    appendFileSync(join(await fresh('extra'), 'notes.txt'), 'not an entry');
    const specs = [
      ...['clean', 'changed', 'missing', 'extra'].map((name) => ({ key: name, path: `${P}/mnist-cnn:v2`, root: join(dir, 'verify', name) })),
      // Downloaded by each client above (without the s3 reference): references are not verified.
      { key: 'dataset_py', path: `${P}/mnist-dataset:v2`, root: join(dir, 'py', 'dataset') },
      { key: 'dataset_ts', path: `${P}/mnist-dataset:v2`, root: join(dir, 'ts', 'dataset') },
      { key: 'samples_py', path: `${P}/mnist-samples:v0`, root: join(dir, 'py', 'samples') },
    ];
    const py = await p.python('artifact_downloads', { phase: 'verify', verify: specs });
    const ours: Record<string, unknown> = {};
    for (const spec of specs) {
      const artifact = await api.artifact(spec.path);
      // Python's verify returns None; ours a summary (compared below on its own).
      ours[spec.key] = await attempt(async () => (await artifact.verify(spec.root), null));
    }
    expect(errorsAsFlags(ours)).toEqual(errorsAsFlags(py));
    expect(Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, 'ok' in (v as object)]))).toEqual({
      clean: true,
      changed: false,
      missing: false,
      extra: false,
      dataset_py: true,
      dataset_ts: true,
      samples_py: true,
    });
    expect(await (await api.artifact(`${P}/mnist-dataset:v2`)).verify(join(dir, 'py', 'dataset'))).toMatchObject({ files: 4, skippedReferences: 2 });
  });

  it('delete(delete_aliases=True) and collection delete: each client deletes, both see it', async () => {
    for (const side of ['py', 'ts']) {
      for (const name of [`versions-${side}`, `whole-${side}`]) {
        createArtifact(p.server.store, { entity: 'demo', project: 'parity-art', type: 'dataset', name, files: { 'a.txt': `${name} v0` }, aliases: ['keep'] });
        createArtifact(p.server.store, { entity: 'demo', project: 'parity-art', type: 'dataset', name, files: { 'a.txt': `${name} v1` } });
      }
    }
    const A = 'demo/parity-art';
    const deletes = (side: string) => [
      // v0 has `keep`, v1 has `latest`: without delete_aliases the server refuses.
      { path: `${A}/versions-${side}:v1`, delete_aliases: false },
      { path: `${A}/versions-${side}:v0`, delete_aliases: true },
    ];
    const view = {
      artifacts: ['py', 'ts'].flatMap((side) => [`${A}/versions-${side}:v0`, `${A}/versions-${side}:v1`, `${A}/versions-${side}:keep`, `${A}/whole-${side}:v0`]),
      collections: ['py', 'ts'].map((side) => ({ path: `${A}/whole-${side}`, type: 'dataset' })),
      versions: ['py', 'ts'].map((side) => ({ path: `${A}/versions-${side}`, type: 'dataset' })),
    };
    const ourView = async () => ({
      artifacts: Object.fromEntries(await Promise.all(view.artifacts.map(async (path) => [path, await api.artifactExists(path)] as const))),
      collections: Object.fromEntries(
        await Promise.all(view.collections.map(async (c) => [c.path, await api.artifactCollectionExists(c.path, c.type)] as const)),
      ),
      versions: Object.fromEntries(
        await Promise.all(
          view.versions.map(async (c) => [c.path, await attempt(async () => (await api.artifacts(c.type, c.path).toArray()).map((x) => x.version).sort())] as const),
        ),
      ),
    });

    const pyDeletes = await p.python('artifact_downloads', { phase: 'delete', delete: deletes('py') });
    const pyColl = await p.python('artifact_downloads', { phase: 'collection_delete', collections: [{ path: `${A}/whole-py`, type: 'dataset' }] });
    const ourDeletes: Record<string, unknown> = {};
    for (const spec of deletes('ts')) {
      const artifact = await api.artifact(spec.path);
      ourDeletes[spec.path.replace('-ts', '-py')] = await attempt(async () => (await artifact.delete({ deleteAliases: spec.delete_aliases }), null));
    }
    const ourColl = { [`${A}/whole-py`]: await attempt(async () => (await (await api.artifactCollection('dataset', `${A}/whole-ts`)).delete(), null)) };
    expect(errorsAsFlags(ourDeletes)).toEqual(errorsAsFlags(pyDeletes));
    expect(errorsAsFlags(ourColl)).toEqual(errorsAsFlags(pyColl));
    expect(Object.values(ourDeletes).map((r) => 'ok' in (r as object))).toEqual([false, true]);

    const pyView = await p.python('artifact_downloads', { phase: 'exists', ...view });
    const mine = await ourView();
    expect(mine).toEqual(pyView);
    for (const side of ['py', 'ts']) {
      expect(mine.artifacts[`${A}/versions-${side}:v0`]).toBe(false);
      expect(mine.artifacts[`${A}/versions-${side}:keep`]).toBe(false);
      expect(mine.artifacts[`${A}/versions-${side}:v1`]).toBe(true);
      expect(mine.artifacts[`${A}/whole-${side}:v0`]).toBe(false);
      expect(mine.collections[`${A}/whole-${side}`]).toBe(false);
      expect(mine.versions[`${A}/versions-${side}`]).toEqual({ ok: ['v1'] });
    }
  });
});
