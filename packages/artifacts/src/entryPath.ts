// Entry paths come from a manifest, i.e. from the server: before one of them becomes a file name
// on disk it must be a plain relative POSIX path that stays inside the download root.
import { ValidationError } from '@wandb-api/core';

/**
 * The segments of a safe entry path (empty and `.` segments dropped). Refused with a
 * ValidationError "Invalid artifact path: …": empty paths, absolute paths, Windows drive letters or
 * UNC prefixes, backslashes, NUL bytes and any `..` segment.
 * @example entryPathSegments('data/./train/0.png') // ['data', 'train', '0.png']
 */
export function entryPathSegments(path: string): string[] {
  const refuse = (why: string) => new ValidationError(`Invalid artifact path: ${JSON.stringify(path)} (${why}).`);
  if (typeof path !== 'string' || path === '') throw refuse('empty');
  if (path.includes('\0')) throw refuse('contains a NUL byte');
  // A backslash is a separator on Windows: 'a\\..\\..\\x' would escape there.
  if (path.includes('\\')) throw refuse('contains a backslash');
  if (path.startsWith('/')) throw refuse('absolute');
  if (/^[A-Za-z]:/.test(path)) throw refuse('starts with a drive letter');
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw refuse('escapes the root');
  if (segments.length === 0) throw refuse('names the root itself');
  return segments;
}

/**
 * Whether an entry path is safe to write under a root (see entryPathSegments).
 * @example isSafeEntryPath('../etc/passwd') // false
 */
export function isSafeEntryPath(path: string): boolean {
  try {
    entryPathSegments(path);
    return true;
  } catch {
    return false;
  }
}
