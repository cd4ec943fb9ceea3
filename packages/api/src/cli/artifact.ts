// `wandb-api artifact ls <path:alias>`: the files of one artifact version, from its manifest
// (paths, sizes, digests, references) — one GraphQL request for the version, one for the manifest.
// `wandb-api artifact get <path:alias> [--root DIR]`: downloads the version (checked, atomic per
// file) with downloadArtifact from the Node entry of @wandb-api/artifacts.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import * as artifacts from '@wandb-api/artifacts';
import { type Artifact, getArtifact, listManifestEntries } from '@wandb-api/artifacts';
import { type ParsedCommand, choiceOption } from './args.js';
import { type Format, RowWriter } from './format.js';
import type { Output } from './output.js';
import { Progress, type ProgressState } from './progress.js';

export const ARTIFACT_LS_USAGE = 'wandb-api artifact ls <entity/project/name:alias> [--format table|csv|jsonl]';

export const ARTIFACT_LS_OPTIONS = { format: { type: 'string' } } as const;

const COLUMNS = ['path', 'size', 'digest', 'ref'] as const;

/** The options of `artifact ls`, checked (bad ones throw a UsageError before any request). */
export function artifactLsSettings(cmd: ParsedCommand) {
  return {
    path: cmd.positionals[0] as string,
    format: choiceOption<Format>(cmd.values.format, 'format', ['table', 'csv', 'jsonl'], 'table', ARTIFACT_LS_USAGE),
  };
}

/**
 * Lists the version's files: path, size (bytes), digest (base64 MD5 or the reference's ETag), ref.
 * @example await artifactLsCommand(client, { path: 'acme/mnist/dataset:latest', format: 'csv' }, new Output(process.stdout));
 */
export async function artifactLsCommand(client: WandbClient, s: ReturnType<typeof artifactLsSettings>, out: Output): Promise<void> {
  const artifact = await getArtifact(client, s.path);
  const writer = new RowWriter(out, s.format, COLUMNS);
  for (const entry of await listManifestEntries(client, artifact)) {
    await writer.write({ path: entry.path, size: entry.size, digest: entry.digest, ref: entry.ref });
  }
  await writer.end();
}

export const ARTIFACT_GET_USAGE = 'wandb-api artifact get <entity/project/name:alias> [--root DIR] [--allow-missing-references]';

export const ARTIFACT_GET_OPTIONS = { root: { type: 'string' }, 'allow-missing-references': { type: 'boolean' } } as const;

/** The options of `artifact get`. */
export function artifactGetSettings(cmd: ParsedCommand) {
  return {
    path: cmd.positionals[0] as string,
    root: typeof cmd.values.root === 'string' ? cmd.values.root : undefined,
    allowMissingReferences: cmd.values['allow-missing-references'] === true,
  };
}

interface DownloadOptions extends CallOptions {
  root?: string;
  allowMissingReferences?: boolean;
  onProgress?: (progress: Required<Pick<ProgressState, 'bytes' | 'files' | 'totalBytes' | 'totalFiles'>>) => void;
}
type DownloadArtifact = (client: WandbClient, artifact: Artifact, options?: DownloadOptions) => Promise<string>;

/**
 * Downloads the version into `--root` (default `./artifacts/<name>`, as Python) and prints the
 * folder; a progress bar with bytes and files on a terminal.
 * @example await artifactGetCommand(client, { path: 'acme/mnist/dataset:latest', root: 'data', allowMissingReferences: false }, out);
 */
export async function artifactGetCommand(client: WandbClient, s: ReturnType<typeof artifactGetSettings>, out: Output): Promise<void> {
  // Looked up at run time: downloadArtifact lives in the package's Node entry.
  const download = (artifacts as unknown as { downloadArtifact?: DownloadArtifact }).downloadArtifact;
  if (!download) throw new Error('this build of @wandb-api/artifacts has no downloadArtifact');
  const artifact = await getArtifact(client, s.path);
  const progress = new Progress(artifact.name);
  const root = await download(client, artifact, {
    ...(s.root !== undefined ? { root: s.root } : {}),
    allowMissingReferences: s.allowMissingReferences,
    onProgress: (p) => progress.update({ bytes: p.bytes, totalBytes: p.totalBytes, files: p.files, totalFiles: p.totalFiles }),
  });
  progress.done();
  await out.write(`${root}\n`);
}
