/**
 * The blob directory: file contents stored once, named by their MD5 (hex), in
 * `<dir>/<first two hex digits>/<md5>`. Writes go to a temp file first and are renamed into place, so
 * a reader never sees half a blob.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredBlob {
  /** Hex MD5: the blob's name. */
  md5Hex: string;
  /** Base64 MD5, as W&B reports `File.md5`. */
  md5: string;
  size: number;
}

const HEX_MD5 = /^[0-9a-f]{32}$/;

export class Blobs {
  /** Fan-out subdirectories known to exist (saves a mkdir per write). */
  private readonly subdirs = new Set<string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Stores bytes (a no-op when the same content is already there) and says under which name. */
  put(bytes: Uint8Array): StoredBlob {
    const digest = createHash('md5').update(bytes).digest();
    const md5Hex = digest.toString('hex');
    const path = this.pathOf(md5Hex);
    if (!existsSync(path)) {
      const subdir = md5Hex.slice(0, 2);
      if (!this.subdirs.has(subdir)) {
        mkdirSync(join(this.dir, subdir), { recursive: true });
        this.subdirs.add(subdir);
      }
      const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
      writeFileSync(temp, bytes);
      renameSync(temp, path);
    }
    return { md5Hex, md5: digest.toString('base64'), size: bytes.length };
  }

  has(md5Hex: string): boolean {
    return HEX_MD5.test(md5Hex) && existsSync(this.pathOf(md5Hex));
  }

  /** The blob's bytes, or undefined when there is none by that name. */
  read(md5Hex: string): Buffer | undefined {
    return this.has(md5Hex) ? readFileSync(this.pathOf(md5Hex)) : undefined;
  }

  size(md5Hex: string): number | undefined {
    return this.has(md5Hex) ? statSync(this.pathOf(md5Hex)).size : undefined;
  }

  /** Removes the whole directory (temporary blob dirs of in-memory servers). */
  destroy(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pathOf(md5Hex: string): string {
    if (!HEX_MD5.test(md5Hex)) throw new Error(`not a hex MD5: ${md5Hex}`);
    return join(this.dir, md5Hex.slice(0, 2), md5Hex);
  }
}

/** Hex MD5 from W&B's base64 form. */
export function md5HexOf(md5Base64: string): string {
  return Buffer.from(md5Base64, 'base64').toString('hex');
}
