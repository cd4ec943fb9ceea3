// Where a download writes on the local disk (run files and artifacts alike): no symbolic link
// between the download root and the file may be followed (a link planted in the target folder
// would send the bytes outside it), temp files are named so that they say whose they are, and temp
// files left behind by a download whose process is gone are removed by the next download there.
import { randomBytes } from 'node:crypto';
import { type FileHandle, lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { UnsafePathError } from './errors.js';

/** `.<pid>-<12 hex>.wandb-download`: the process that writes it, so a later run can tell it is stale. */
const TEMP_NAME = /^\.(\d+)-[0-9a-f]{12}\.wandb-download$/;

/** A temp file a download writes to before the checked rename. */
export interface DownloadTemp {
  /** Its path, next to the destination. */
  readonly path: string;
  /** Open for writing; the caller closes it. */
  readonly file: FileHandle;
}

/**
 * Creates a fresh temp file next to `dest` (so the final rename stays on one file system), hidden
 * and named after this process: `.<pid>-<random>.wandb-download`. It is opened with `wx`
 * (O_CREAT | O_EXCL), which never follows a symbolic link already at that name.
 * @example const { path, file } = await openDownloadTemp('/data/mnist/train.csv'); // path: '/data/mnist/.4242-1f2e3d4c5b6a.wandb-download'
 */
export async function openDownloadTemp(dest: string): Promise<DownloadTemp> {
  const path = downloadTempPath(dest);
  try {
    return { path, file: await open(path, 'wx') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await lstat(path).catch(() => null))?.isSymbolicLink()) throw symlinkError(path, error);
    throw error;
  }
}

/**
 * A fresh temp file name next to `dest`, as openDownloadTemp makes them (for a writer that opens
 * it itself, with O_EXCL: a worker thread writing checked bytes).
 * @example downloadTempPath('/data/mnist/train.csv') // '/data/mnist/.4242-1f2e3d4c5b6a.wandb-download'
 */
export const downloadTempPath = (dest: string): string => join(dirname(dest), `.${process.pid}-${randomBytes(6).toString('hex')}.wandb-download`);

/**
 * Writes bytes already checked to `dest`: a temp file next to it (openDownloadTemp: O_EXCL, never
 * through a symbolic link), the bytes, the rename into place; nothing is left behind
 * when it fails. For the many small files of a download, read and checked in memory first.
 * @example await writeDownload('/data/mnist/labels.json', [bytes]);
 */
export async function writeDownload(dest: string, parts: readonly Uint8Array[]): Promise<void> {
  const { path, file } = await openDownloadTemp(dest);
  try {
    await file.writeFile(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    await file.close();
    await rename(path, dest);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Refuses (UnsafePathError) when `path`, or any folder between `root` (itself exempt: the caller
 * chose it) and `path`, is a symbolic link. Checking stops at the first part that does not exist
 * yet: the download creates the rest. `checked` remembers folders already found safe; `absent`,
 * when given, remembers the parts found missing (only while nothing creates them: a check before
 * a download writes). Resolves with whether all of `path` exists.
 * @example await assertNoSymlinks('/data/mnist', '/data/mnist/images/0001.png');
 */
export async function assertNoSymlinks(root: string, path: string, checked?: Set<string>, absent?: Set<string>): Promise<boolean> {
  const rel = relative(root, path);
  if (rel === '') return true;
  let current = root;
  for (const segment of rel.split(sep)) {
    current = join(current, segment);
    if (checked?.has(current)) continue;
    if (absent?.has(current)) return false;
    const info = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (!info) {
      absent?.add(current);
      return false;
    }
    if (info.isSymbolicLink()) throw symlinkError(current);
    if (info.isDirectory()) checked?.add(current);
  }
  return true;
}

/**
 * The error for a download target that is (or goes through) a symbolic link.
 * @example if ((await lstat(dest)).isSymbolicLink()) throw symlinkError(dest);
 */
export function symlinkError(path: string, cause?: unknown): UnsafePathError {
  return new UnsafePathError(`Refusing to download through ${path}: it is a symbolic link.`, {
    path,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Whether a process with this id runs (on this machine); our own pid counts as running. */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files in `dir` left by downloads whose process no longer runs (killed, crashed,
 * a second Ctrl-C); those of running processes, this one included, are kept. Only names made by
 * openDownloadTemp are touched, and a symbolic link of such a name is unlinked, never followed.
 * Returns how many were removed.
 * @example await removeStaleTemps('/data/mnist');
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || isRunning(Number(pid))) continue;
    // A folder of that name is not ours to delete (rm without recursive refuses it).
    if (await rm(join(dir, name), { force: true }).then(() => true, () => false)) removed++;
  }
  return removed;
}
