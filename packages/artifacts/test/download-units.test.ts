// Pure parts of the download engine: the browser MD5 against node:crypto, entry path safety, the
// bounded pool (concurrency bound, first error, abort) and the manifest digest's code-point order.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AbortError, ValidationError } from '@wandb-api/core';
import { type ManifestEntry, computeManifestDigest, entryPathSegments, isSafeEntryPath } from '@wandb-api/artifacts';
import { assertEntryBytes } from '../src/download.js';
import { Md5, md5Hex } from '../src/md5.js';
import { runPool } from '../src/pool.js';

describe('Md5 (pure TypeScript)', () => {
  it('matches node:crypto for every length around the block boundaries, fed in uneven chunks', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65_537]) {
      const data = randomBytes(n);
      const md5 = new Md5();
      for (let at = 0, step = 1; at < n; at += step, step = (step * 7 + 3) % 97 || 1) md5.update(data.subarray(at, at + step));
      expect(Buffer.from(md5.digest()).toString('base64')).toBe(createHash('md5').update(data).digest('base64'));
      expect(md5Hex(data)).toBe(createHash('md5').update(data).digest('hex'));
    }
  });
});

describe('assertEntryBytes for references', () => {
  const bytes = new TextEncoder().encode('reference bytes');
  const md5 = createHash('md5').update(bytes).digest();
  const hex = md5.toString('hex');
  const ref = (digest: string): ManifestEntry => ({ path: 'r.txt', digest, ref: 'https://example.test/r.txt', size: bytes.length, birthArtifactId: null, extra: {} });

  it('an MD5-shaped ETag must match the MD5 of the bytes, whatever ETag the response carries', () => {
    expect(() => assertEntryBytes(ref(hex), { size: bytes.length, md5, etag: null })).not.toThrow();
    const other = createHash('md5').update('other bytes').digest();
    expect(() => assertEntryBytes(ref(hex), { size: bytes.length, md5: other, etag: `"${hex}"` })).toThrow(/Checksum mismatch for r\.txt/);
  });

  it('another ETag (multipart `-N`, weak) is compared with the response ETag only', () => {
    const multipart = `${hex.slice(0, 30)}ab-3`;
    expect(() => assertEntryBytes(ref(multipart), { size: bytes.length, md5, etag: `W/"${multipart}"` })).not.toThrow();
    expect(() => assertEntryBytes(ref(multipart), { size: bytes.length, md5, etag: `"${hex}"` })).toThrow(/ETag/);
  });
});

describe('entryPathSegments', () => {
  it('keeps plain relative paths, dropping empty and . segments', () => {
    expect(entryPathSegments('a/b.txt')).toEqual(['a', 'b.txt']);
    expect(entryPathSegments('a//./b/c')).toEqual(['a', 'b', 'c']);
    expect(entryPathSegments('..a/b..')).toEqual(['..a', 'b..']);
  });

  it.each(['', '/abs', '../x', 'a/../../x', 'a/..', 'C:/x', 'c:x', 'a\\b', 'a\0b', '.', './'])('refuses %j', (path) => {
    expect(() => entryPathSegments(path)).toThrow(ValidationError);
    expect(isSafeEntryPath(path)).toBe(false);
  });
});

describe('runPool', () => {
  it('never runs more than `concurrency` workers and pulls an async input lazily', async () => {
    let running = 0;
    let peak = 0;
    let pulled = 0;
    async function* items() {
      for (let i = 0; i < 20; i++) {
        pulled++;
        yield i;
      }
    }
    const done: number[] = [];
    await runPool(items(), async (i) => {
      running++;
      peak = Math.max(peak, running);
      expect(pulled - done.length).toBeLessThanOrEqual(3);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      done.push(i);
    }, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('rejects with the first error after the running workers settled, and aborts their signals', async () => {
    const settled: number[] = [];
    const error = await runPool([0, 1, 2, 3, 4, 5], async (i, signal) => {
      if (i === 1) throw new Error('boom');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      settled.push(i);
    }, { concurrency: 3 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom');
    expect(settled.sort()).toEqual([0, 2]);
  });

  it("rejects with AbortError when the caller's signal fires", async () => {
    const controller = new AbortController();
    const run = runPool([1, 2, 3], (_, signal) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))), {
      concurrency: 2,
      signal: controller.signal,
    });
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(AbortError);
  });
});

describe('computeManifestDigest', () => {
  it('sorts by code point like Python (astral characters after U+FFxx)', async () => {
    const entries = [
      { path: 'z/\u{1F600}', digest: 'a', ref: null, birthArtifactId: null, size: null, extra: {} },
      { path: 'z/\uFF5E', digest: 'b', ref: null, birthArtifactId: null, size: null, extra: {} },
    ];
    const expected = createHash('md5').update('wandb-artifact-manifest-v1\nz/\uFF5E:b\nz/\u{1F600}:a\n', 'utf8').digest('hex');
    expect(await computeManifestDigest({ entries })).toBe(expected);
  });
});
