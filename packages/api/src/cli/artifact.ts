// `wandb-api artifact ls <path:alias>`: the files of one artifact version, from its manifest
// (paths, sizes, digests, references) — one GraphQL request for the version, one for the manifest.
// `wandb-api artifact get <path:alias> [--root DIR]`: downloads the version (checked, atomic per
// file) with downloadArtifact from the Node entry of @wandb-api/artifacts.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import * as artifacts from '@wandb-api/artifacts';
import { type Artifact, getArtifact, listManifestEntries } from '@wandb-api/artifacts';
import { type ParsedCommand, choiceOption } from './args.js';
import type { Command, CommandContext } from './command.js';
import { type Format, RowWriter } from './format.js';
import { Progress, type ProgressState } from './progress.js';

export const ARTIFACT_LS_USAGE = 'wandb-api artifact ls <entity/project/name:alias> [--format table|csv|jsonl]';

export const ARTIFACT_LS_OPTIONS = { format: { type: 'string', value: 'table|csv|jsonl', description: 'output format (default table)' } } as const;

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
 * @example await artifactLsCommand(ctx, { path: 'acme/mnist/dataset:latest', format: 'csv' });
 */
export async function artifactLsCommand(ctx: CommandContext, s: ReturnType<typeof artifactLsSettings>): Promise<void> {
  const client = ctx.client();
  const call = ctx.signal ? { signal: ctx.signal } : {};
  const artifact = await getArtifact(client, s.path, call);
  const writer = new RowWriter(ctx.out, s.format, COLUMNS);
  for (const entry of await listManifestEntries(client, artifact, call)) {
    await writer.write({ path: entry.path, size: entry.size, digest: entry.digest, ref: entry.ref });
  }
  await writer.end();
}

export const ARTIFACT_GET_USAGE = 'wandb-api artifact get <entity/project/name:alias> [--root DIR] [--allow-missing-references]';

export const ARTIFACT_GET_OPTIONS = {
  root: { type: 'string', value: 'DIR', description: 'target folder (default $WANDB_ARTIFACT_DIR/<name:version>, else ./artifacts/<name:version>)' },
  'allow-missing-references': { type: 'boolean', description: 'skip references that cannot be fetched (unknown scheme, gone) instead of failing' },
} as const;

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
 * folder; a progress bar with bytes and files on a terminal. Interrupted (Ctrl-C), it stops every
 * transfer and removes its temp files before exiting.
 * @example await artifactGetCommand(ctx, { path: 'acme/mnist/dataset:latest', root: 'data', allowMissingReferences: false });
 */
export async function artifactGetCommand(ctx: CommandContext, s: ReturnType<typeof artifactGetSettings>): Promise<void> {
  // Looked up at run time: downloadArtifact lives in the package's Node entry.
  const download = (artifacts as unknown as { downloadArtifact?: DownloadArtifact }).downloadArtifact;
  if (!download) throw new Error('this build of @wandb-api/artifacts has no downloadArtifact');
  const client = ctx.client();
  const call = ctx.signal ? { signal: ctx.signal } : {};
  const artifact = await getArtifact(client, s.path, call);
  const progress = new Progress(artifact.name, ctx.err);
  try {
    const root = await download(client, artifact, {
      ...call,
      ...(s.root !== undefined ? { root: s.root } : {}),
      allowMissingReferences: s.allowMissingReferences,
      onProgress: (p) => progress.update({ bytes: p.bytes, totalBytes: p.totalBytes, files: p.files, totalFiles: p.totalFiles }),
    });
    progress.done();
    await ctx.out.write(`${root}\n`);
  } finally {
    progress.stop();
  }
}

/** `wandb-api artifact ls`. */
export const ARTIFACT_LS: Command = {
  name: 'artifact ls',
  summary: "the files of an artifact version (path, size, digest, reference)",
  usage: ARTIFACT_LS_USAGE,
  options: ARTIFACT_LS_OPTIONS,
  positionals: ['path:alias'],
  run: (cmd, ctx) => artifactLsCommand(ctx, artifactLsSettings(cmd)),
};

/** `wandb-api artifact get`. */
export const ARTIFACT_GET: Command = {
  name: 'artifact get',
  summary: 'downloads an artifact version into a folder, every file checked, and prints the folder',
  usage: ARTIFACT_GET_USAGE,
  options: ARTIFACT_GET_OPTIONS,
  positionals: ['path:alias'],
  details:
    'Each file goes to a temp file in its folder, is checked (size and MD5) and renamed into place; files already there with the right MD5 are skipped, so running it again resumes. Ctrl-C stops the download and removes its temp files; symbolic links under the folder are refused.',
  run: (cmd, ctx) => artifactGetCommand(ctx, artifactGetSettings(cmd)),
};
