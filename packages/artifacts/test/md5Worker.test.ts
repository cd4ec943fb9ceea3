// The MD5 workers on real files: chunks moved (not copied) when they own their buffer and copied
// otherwise, batches written in order through the caller's descriptor, the file system's errors
// with their code, and small files written only when their digest matches.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerFile, writeIfMd5 } from '../src/md5Worker.node.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wandb-md5-worker-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('WorkerFile', () => {
  it('writes and hashes chunks in order; moves the ones that own their buffer, copies views', async () => {
    const path = join(tempDir(), 'big.tmp');
    const fd = openSync(path, 'wx');
    const owned = Array.from({ length: 40 }, (_, i) => new Uint8Array(randomBytes(65_536 + i)));
    const shared = randomBytes(300_000);
    const views = [shared.subarray(0, 100_000), shared.subarray(100_000)];
    const chunks = [...owned.slice(0, 20), ...views, ...owned.slice(20)];
    const expected = Buffer.concat(chunks);
    const file = new WorkerFile(fd);
    for (const chunk of chunks) await file.write(chunk);
    expect(await file.finish()).toEqual({ digest: md5(expected), size: expected.length });
    closeSync(fd);
    expect(md5(readFileSync(path))).toBe(md5(expected));
    // Moved: empty here now. The views of a shared buffer were copied and are intact.
    expect(owned.every((c) => c.byteLength === 0)).toBe(true);
    expect(md5(Buffer.concat(views))).toBe(md5(shared));
  });

  it('a file it cannot write fails every later write and the finish with the file system error code', async () => {
    const path = join(tempDir(), 'read-only.tmp');
    closeSync(openSync(path, 'wx'));
    const fd = openSync(path, 'r');
    const file = new WorkerFile(fd);
    const error = await (async () => {
      for (let i = 0; i < 64; i++) await file.write(new Uint8Array(2 ** 20));
    })().catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('EBADF');
    await expect(file.finish()).rejects.toMatchObject({ code: 'EBADF' });
    closeSync(fd);
  });

  it('writes to the file behind the descriptor, even when its path now names another file', async () => {
    const dir = tempDir();
    const path = join(dir, 'temp.tmp');
    const fd = openSync(path, 'wx+');
    // Someone swaps the path for a file of theirs before the bytes come.
    writeFileSync(join(dir, 'other'), 'not yours');
    renameSync(join(dir, 'other'), path);
    const content = randomBytes(3 * 2 ** 20);
    const file = new WorkerFile(fd);
    await file.write(new Uint8Array(content));
    expect(await file.finish()).toEqual({ digest: md5(content), size: content.length });
    expect(readFileSync(path, 'utf8')).toBe('not yours');
    // The worker writes at positions: the descriptor's own offset is still 0.
    expect(md5(readFileSync(fd))).toBe(md5(content));
    closeSync(fd);
  });

  it('after drop the worker writes nothing more to the file', async () => {
    const path = join(tempDir(), 'dropped.tmp');
    const fd = openSync(path, 'wx');
    const file = new WorkerFile(fd);
    await file.write(new Uint8Array(3 * 2 ** 20).fill(1));
    await file.write(new Uint8Array(1000).fill(2));
    await file.drop();
    closeSync(fd);
    expect(readFileSync(path).length).toBe(3 * 2 ** 20);
  });
});

describe('writeIfMd5', () => {
  it('writes a small file from its chunks only when the digest matches, through a temp file', async () => {
    const dir = tempDir();
    const content = randomBytes(70_000);
    const parts = () => [new Uint8Array(content.subarray(0, 30_000)), content.subarray(30_000)];
    expect(await writeIfMd5(parts(), md5(randomBytes(8)), join(dir, '.a.tmp'), join(dir, 'a.bin'))).toEqual({ digest: md5(content), written: false });
    expect(readdirSync(dir)).toEqual([]);
    expect(await writeIfMd5(parts(), md5(content), join(dir, '.a.tmp'), join(dir, 'a.bin'))).toEqual({ digest: md5(content), written: true });
    expect(readdirSync(dir)).toEqual(['a.bin']);
    expect(md5(readFileSync(join(dir, 'a.bin')))).toBe(md5(content));
  });

  it('many at once from every worker: each file whole, no temp file left', async () => {
    const dir = tempDir();
    const contents = Array.from({ length: 200 }, (_, i) => randomBytes(1000 + i * 37));
    await Promise.all(contents.map((c, i) => writeIfMd5([new Uint8Array(c)], md5(c), join(dir, `.${i}.tmp`), join(dir, `${i}.bin`))));
    expect(readdirSync(dir)).toHaveLength(200);
    for (const [i, c] of contents.entries()) expect(md5(readFileSync(join(dir, `${i}.bin`)))).toBe(md5(c));
    expect(existsSync(join(dir, '.0.tmp'))).toBe(false);
  });
});
