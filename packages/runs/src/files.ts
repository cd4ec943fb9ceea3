// Run files: list, get, read (bytes or a stream), upload and delete. Browser-safe (no fs): the Node
// entry (./node.ts) adds downloadFile and uploadFilePath. Every transfer goes through core's
// request loop (`openStream`, `client.fetch`), which sends credentials only to URLs under the base
// URL — `url` gets them, the signed `directUrl` and upload URLs never do.
import {
  AbortError,
  type CallOptions,
  NotFoundError,
  Paginated,
  ValidationError,
  WandbError,
  type WandbClient,
  hasServerFeature,
  checkPerPage,
  openStream,
  supports,
} from '@wandb-api/core';
import {
  CreateRunFilesDocument,
  DeleteFilesDocument,
  MarkRunFilesUploadedDocument,
  type RunFileFieldsFragment,
  RunFileCountDocument,
  RunFilesDocument,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';
import { type RunLocator, locateRun } from './locate.js';

/** A file of a run, as Python's `File` exposes it. */
export interface RunFile {
  /** The server's global id (what `deleteFile` sends). */
  readonly id: string;
  /** The path inside the run, e.g. `wandb-metadata.json` or `media/images/x.png`. */
  readonly name: string;
  /** The download URL under the API host; reading it needs the API key. */
  readonly url: string;
  /** The signed, time-limited storage URL; reading it needs no credentials. */
  readonly directUrl: string;
  /** Bytes (`sizeBytes`; 0 when the server sends none). */
  readonly size: number;
  /** Base64 MD5 of the content, as W&B reports it. */
  readonly md5: string | null;
  /** The MIME type the server reports. */
  readonly mimetype: string | null;
  /** When the file last changed (ISO 8601). */
  readonly updatedAt: string | null;
  /** The run the file belongs to. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The run's short id. */
  readonly runId: string;
  /** The project's numeric id (deleteFiles wants it); '' from servers that do not tell it (W&B Server of 2023). */
  readonly projectInternalId: string;
}

export interface ListFilesOptions extends CallOptions {
  /** Only these names (exact). Cannot be combined with `pattern`. */
  names?: readonly string[];
  /** A SQL LIKE pattern (`%.json`, `media/%`). Cannot be combined with `names`. */
  pattern?: string;
  /** Files per request. Default 50. */
  perPage?: number;
}

export interface FetchFileOptions extends CallOptions {
  /** Read the signed `directUrl` (no credentials; it expires) instead of `url`. Default false. */
  direct?: boolean;
}

/** What can be uploaded: bytes, a Blob (a File in browsers, `fs.openAsBlob` in Node) or a stream. */
export type FileData = Uint8Array | Blob | ReadableStream<Uint8Array>;

export interface UploadFileInput extends CallOptions {
  /** The path inside the run: relative, `/`-separated, no `.` or `..` segments. */
  name: string;
  /** The content: a string, bytes, a Blob or a stream. */
  data: FileData;
}

interface RunPlace {
  entity: string;
  project: string;
  runId: string;
}

/**
 * The numeric project id inside Project.internalId: W&B sends base64 "ProjectInternalId:<n>" (older
 * servers the bare number); '' when it is neither.
 */
function numericProjectId(internalId: string): string {
  if (/^\d+$/.test(internalId)) return internalId;
  try {
    return /^(?:ProjectInternalId|Project):(\d+)$/.exec(atob(internalId))?.[1] ?? '';
  } catch {
    return '';
  }
}

function toRunFile(node: RunFileFieldsFragment, where: RunPlace, internalId: string | undefined): RunFile {
  return {
    id: node.id,
    name: node.name,
    url: node.url ?? '',
    directUrl: node.directUrl,
    size: node.sizeBytes ?? 0,
    md5: node.md5,
    mimetype: node.mimetype,
    updatedAt: node.updatedAt,
    entity: where.entity,
    project: where.project,
    runId: where.runId,
    projectInternalId: internalId === undefined ? '' : numericProjectId(internalId),
  };
}

const runNotFound = (w: RunPlace) => new NotFoundError(`Could not find run ${w.entity}/${w.project}/${w.runId}.`, { status: 404 });

/**
 * Checks a file name for use inside a run: relative, no `.`/`..` segments, no backslashes. Also used
 * for local paths, so a name can never climb out of a download root.
 */
export function checkFileName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new ValidationError('A file name must be a non-empty string.');
  const segments = name.split('/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
    throw new ValidationError(`Invalid path: ${name}`);
  }
  return name;
}

function checkListOptions(options: ListFilesOptions): { names: string[]; pattern: string | null } {
  const { names = [], pattern } = options;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new ValidationError('names must be an array of strings.');
  if (pattern !== undefined && typeof pattern !== 'string') throw new ValidationError('pattern must be a string such as "%.json".');
  if (names.length > 0 && pattern) {
    throw new ValidationError(
      'Querying for files by both names and pattern is not supported. Please provide either a list of names or a pattern to match.',
    );
  }
  return { names: [...names], pattern: pattern || null };
}

/**
 * The files of a run, lazily paged in name order. `.count()` is the run's total number of files,
 * whatever `names` or `pattern` select (as Python's `len(run.files(...))`).
 * @example
 * for await (const file of listFiles(client, 'acme/mnist/abc123', { pattern: '%.json' })) console.log(file.name, file.size);
 */
export function listFiles(client: WandbClient, run: RunLocator, options: ListFilesOptions = {}): Paginated<RunFile> {
  const perPage = checkPerPage(options.perPage, 50);
  const { names, pattern } = checkListOptions(options);
  const where = (signal: AbortSignal | undefined) => locateRun(client, run, { ...options, signal });
  return new Paginated<RunFile>({
    signal: options.signal,
    idOf: (file) => file.id,
    fetchPage: async (cursor, signal) => {
      const w = await where(signal);
      const call = { ...options, signal };
      const vars = { entity: w.entity, project: w.project, name: w.runId, fileCursor: cursor, fileLimit: perPage, fileNames: names, pattern };
      // Servers without Project.internalId get the older variant: files without the numeric project id.
      const current = (await supports(client, RunFilesDocument, call)) ? await client.request(RunFilesDocument, vars, call) : undefined;
      const data = current ?? (await client.request((await legacyDocuments()).RunFilesLegacyDocument, vars, call));
      const files = data.project?.run?.files;
      if (!data.project?.run || !files) throw runNotFound(w);
      const internalId = current?.project?.internalId;
      return {
        items: files.edges.flatMap((e) => (e.node ? [toRunFile(e.node, w, internalId)] : [])),
        // The last edge's cursor, as W&B's files paging expects.
        cursor: files.edges.at(-1)?.cursor ?? null,
        hasNextPage: files.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => {
      const w = await where(signal);
      const data = await client.request(RunFileCountDocument, { entity: w.entity, project: w.project, name: w.runId }, { ...options, signal });
      if (!data.project?.run) throw runNotFound(w);
      return data.project.run.fileCount ?? 0;
    },
  });
}

/**
 * One file of a run by name; NotFoundError when the run has no such file.
 * @example const meta = await getFile(client, 'acme/mnist/abc123', 'wandb-metadata.json');
 */
export async function getFile(client: WandbClient, run: RunLocator, name: string, options: CallOptions = {}): Promise<RunFile> {
  if (typeof name !== 'string' || name === '') throw new ValidationError('A file name must be a non-empty string.');
  const page = await listFiles(client, run, { ...options, names: [name], perPage: 1 });
  const file = page.items.find((f) => f.name === name);
  if (!file) {
    const w = await locateRun(client, run, options);
    throw new NotFoundError(`File ${name} not found in run ${w.entity}/${w.project}/${w.runId}.`, { status: 404 });
  }
  return file;
}

/**
 * A readable stream of a file's bytes, read by core's request loop: the caller's signal cancels it
 * at any point, also mid-body; a body that breaks off or stalls is resumed from the next byte under
 * the client's retry policy, and what cannot be resumed errors the stream with a typed error.
 * @example const stream = await fetchFileStream(client, file); for await (const chunk of stream) total += chunk.length;
 */
export async function fetchFileStream(client: WandbClient, file: RunFile, options: FetchFileOptions = {}): Promise<ReadableStream<Uint8Array>> {
  const url = options.direct ? file.directUrl : file.url;
  if (!url) throw new ValidationError(`File ${file.name} has no ${options.direct ? 'directUrl' : 'url'}.`);
  return (await openStream(client, url, { method: 'GET' }, options)).readable();
}

/**
 * A file's bytes.
 * @example const text = new TextDecoder().decode(await fetchFileBytes(client, file));
 */
export async function fetchFileBytes(client: WandbClient, file: RunFile, options: FetchFileOptions = {}): Promise<Uint8Array> {
  const reader = (await fetchFileStream(client, file, options)).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Bytes or a Blob as they are (both can be sent again on a retry); a stream is collected into a Blob. */
async function uploadBody(data: FileData, signal: AbortSignal | undefined): Promise<Uint8Array | Blob> {
  if (data instanceof Uint8Array || (typeof Blob !== 'undefined' && data instanceof Blob)) return data;
  if (data && typeof (data as ReadableStream).getReader === 'function') {
    const chunks: Uint8Array[] = [];
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      if (signal?.aborted) {
        await reader.cancel(signal.reason).catch(() => {});
        throw new AbortError('The operation was aborted.', { cause: signal.reason });
      }
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    return new Blob(chunks as BlobPart[]);
  }
  throw new ValidationError('data must be a Uint8Array, a Blob or a ReadableStream.');
}

/** `"Name:Value"` entries (split on the first colon) as headers. */
function headersOf(entries: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon > 0) headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Uploads one file to a run (createRunFiles, PUT to the signed URL, markRunFilesUploaded when the
 * server wants it) and returns it as listed afterwards. An existing file of that name is replaced.
 * @example const file = await uploadFile(client, 'acme/mnist/abc123', { name: 'notes.txt', data: new TextEncoder().encode('hi') });
 */
export async function uploadFile(client: WandbClient, run: RunLocator, input: UploadFileInput): Promise<RunFile> {
  const name = checkFileName(input.name);
  const options: CallOptions = { ...(input.signal ? { signal: input.signal } : {}), ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}) };
  const body = await uploadBody(input.data, input.signal);
  const w = await locateRun(client, run, options);
  const vars = { entity: w.entity, project: w.project, run: w.runId, files: [name] };
  const created = (await client.request(CreateRunFilesDocument, vars, options)).createRunFiles;
  if (!created?.runID) {
    throw new NotFoundError(
      `Error uploading files to ${w.entity}/${w.project}/${w.runId}. Check that this project exists and you have access to this entity and project`,
      { status: 404 },
    );
  }
  const target = created.files.find((f) => f.name === name)?.uploadUrl;
  if (!target) throw new WandbError(`The server gave no upload URL for ${name}.`);
  // A relative upload URL lives under the base URL (its path included), as Python prefixes it.
  const url = target.startsWith('/') ? `${client.config.baseUrl}${target}` : target;
  await client.fetch(url, { method: 'PUT', body: body as BodyInit, headers: headersOf(created.uploadHeaders) }, options);
  if (await hasServerFeature(client, 'MARK_RUN_FILES_UPLOADED', options)) {
    await client.request(MarkRunFilesUploadedDocument, vars, options);
  }
  return getFile(client, { entity: w.entity, project: w.project, id: w.runId }, name, options);
}

/**
 * Deletes a file from its run.
 * @example await deleteFile(client, await getFile(client, 'acme/mnist/abc123', 'old.log'));
 */
export async function deleteFile(client: WandbClient, file: RunFile, options: CallOptions = {}): Promise<void> {
  if (!file || typeof file.id !== 'string' || !file.id) throw new ValidationError('deleteFile needs a file from listFiles or getFile.');
  const projectId = file.projectInternalId ? Number(file.projectInternalId) : NaN;
  const vars = { files: [file.id], projectId: Number.isInteger(projectId) ? projectId : null };
  const data = (await supports(client, DeleteFilesDocument, options))
    ? await client.request(DeleteFilesDocument, vars, options)
    : await client.request((await legacyDocuments()).DeleteFilesLegacyDocument, { files: vars.files }, options);
  if (!data.deleteFiles?.success) throw new WandbError(`The server did not delete ${file.name}.`);
}
