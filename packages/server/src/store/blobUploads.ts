/**
 * Uploads into the blob store: the body is streamed to a temp file while its MD5 is computed, and
 * only bytes whose MD5 is the expected one are renamed into place (nothing partial or wrong ever
 * sits under a blob's name). Any size; never held whole in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Blobs, StoredBlob } from './blobs';

/** What an upload is checked against: the MD5 it was announced with (hex) and/or a `Content-MD5` header (base64). */
export interface ExpectedDigest {
  md5Hex?: string | undefined;
  contentMd5?: string | undefined;
}

/** The stored blob, or why the bytes were refused (the `Content-MD5`/announced MD5 disagrees with them). */
export type UploadResult = { blob: StoredBlob } | { refused: string };

/**
 * Streams `body` into the blob store if its MD5 matches `expected`.
 * @example const r = await putStreamedBlob(store.blobs, req, { md5Hex, contentMd5: req.headers['content-md5'] });
 */
export async function putStreamedBlob(blobs: Blobs, body: NodeJS.ReadableStream, expected: ExpectedDigest = {}): Promise<UploadResult> {
  const temp = join(blobs.dir, `upload-${randomBytes(8).toString('hex')}.tmp`);
  const hash = createHash('md5');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, tap, createWriteStream(temp));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  const digest = hash.digest();
  const md5Hex = digest.toString('hex');
  const md5 = digest.toString('base64');
  const refused =
    expected.contentMd5 !== undefined && expected.contentMd5 !== md5
      ? `BadDigest: the Content-MD5 you specified (${expected.contentMd5}) did not match what we received (${md5})`
      : expected.md5Hex !== undefined && expected.md5Hex !== md5Hex
        ? `BadDigest: this URL takes the bytes with MD5 ${expected.md5Hex}; received ${md5Hex}`
        : undefined;
  if (refused) {
    rmSync(temp, { force: true });
    return { refused };
  }
  mkdirSync(join(blobs.dir, md5Hex.slice(0, 2)), { recursive: true });
  const final = join(blobs.dir, md5Hex.slice(0, 2), md5Hex);
  if (existsSync(final)) rmSync(temp, { force: true });
  else renameSync(temp, final);
  return { blob: { md5Hex, md5, size } };
}
