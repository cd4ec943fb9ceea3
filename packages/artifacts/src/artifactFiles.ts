// The files of an artifact version as the server lists them (through the collection membership),
// and their signed download URLs in large batches for the download engine.
import { type CallOptions, NotFoundError, Paginated, ValidationError, type WandbClient, checkPerPage, endCursorOf, supports } from '@wandb-api/core';
import type { ArtifactRef } from './artifact.js';
import {
  ArtifactMembershipFileUrlsDocument,
  ArtifactMembershipFilesDocument,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';

/** A file of an artifact version (Python's `File` from `artifact.files()`). */
export interface ArtifactFile {
  /** The server's global id of the file. */
  readonly id: string;
  /** The path inside the artifact. */
  readonly name: string;
  /** Download URL under the API host (needs the API key). */
  readonly url: string | null;
  /** Signed, time-limited storage URL (no credentials). */
  readonly directUrl: string;
  /** Bytes; 0 when the server reports none. */
  readonly size: number;
  /** Bytes as the server reports them; null when it reports none. */
  readonly sizeBytes: number | null;
  /** Where the bytes live in W&B's storage bucket, when the server says. */
  readonly storagePath: string | null;
  /** The content type the server guessed (`image/png` …), when known. */
  readonly mimetype: string | null;
  /** ISO 8601 time of the last change, when known. */
  readonly updatedAt: string | null;
  /** The manifest digest of the entry (base64 MD5 for stored files). */
  readonly digest: string | null;
  /** Base64 MD5 of the bytes, when the server has it. */
  readonly md5: string | null;
  /** `[entity, project, name]`. */
  readonly path: readonly [entity: string, project: string, name: string];
}

/** Options of `artifactFiles`. */
export interface ArtifactFilesOptions extends CallOptions {
  /** Only these paths (filtered by the server). */
  names?: readonly string[];
  /** Default 50. */
  perPage?: number;
}

/** Where the membership of a version is: its collection (name before ':') and `vN`. */
function membershipOf(artifact: ArtifactRef): { entity: string; project: string; collection: string; alias: string } {
  if (!artifact || typeof artifact !== 'object' || !artifact.entity || !artifact.project || !artifact.version) {
    throw new ValidationError('artifact must be an Artifact (from getArtifact, listArtifacts …).');
  }
  return { entity: artifact.entity, project: artifact.project, collection: artifact.collectionName ?? artifact.name.split(':')[0]!, alias: artifact.version };
}

function checkNames(names: unknown): string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new ValidationError('names must be an array of file paths.');
  return names as string[];
}

/**
 * The files of a version, 50 per page; `.count()` is the server's total. Servers without a
 * version's files through its membership (W&B Server of 2023) are asked through the artifact
 * (by its id); they have no total, so `.count()` is the artifact's file count, or, with `names`,
 * counted here by paging through the matches.
 * @example for await (const f of artifactFiles(client, artifact)) console.log(f.name, f.size);
 */
export function artifactFiles(client: WandbClient, artifact: ArtifactRef, options: ArtifactFilesOptions = {}): Paginated<ArtifactFile> {
  const where = membershipOf(artifact);
  const fileNames = checkNames(options.names);
  const perPage = checkPerPage(options.perPage, 50);
  const notFound = () => new NotFoundError(`Unable to fetch files for artifact: '${artifact.name}'`, { status: 404 });
  const load = async (cursor: string | null, signal: AbortSignal | undefined) => {
    const call = { ...options, signal };
    if (await supports(client, ArtifactMembershipFilesDocument, call)) {
      const data = await client.request(ArtifactMembershipFilesDocument, { ...where, fileNames, cursor, perPage }, call);
      const page = data.project?.artifactCollection?.artifactMembership?.files;
      if (!page) throw notFound();
      return { page, total: page.totalCount ?? 0 };
    }
    const data = await client.request((await legacyDocuments()).ArtifactFilesLegacyDocument, { id: artifact.id, fileNames, cursor, perPage }, call);
    const page = data.artifact?.files;
    if (!page) throw notFound();
    return { page, total: fileNames ? undefined : data.artifact!.fileCount };
  };
  const list: Paginated<ArtifactFile> = new Paginated({
    signal: options.signal,
    idOf: (f) => f.id,
    fetchPage: async (cursor, signal) => {
      const { page } = await load(cursor, signal);
      return {
        items: page.edges.flatMap((e) =>
          e?.node
            ? [
                {
                  id: e.node.id,
                  name: e.node.name,
                  url: e.node.url ?? null,
                  directUrl: e.node.directUrl,
                  size: e.node.sizeBytes ?? 0,
                  sizeBytes: e.node.sizeBytes ?? null,
                  storagePath: e.node.storagePath ?? null,
                  mimetype: e.node.mimetype ?? null,
                  updatedAt: e.node.updatedAt ?? null,
                  digest: e.node.digest ?? null,
                  md5: e.node.md5 ?? null,
                  path: [where.entity, where.project, e.node.name] as const,
                },
              ]
            : [],
        ),
        cursor: endCursorOf(page),
        hasNextPage: page.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => (await load(null, signal)).total ?? (await list.toArray()).length,
  });
  return list;
}

/** Where one file of a version can be downloaded. */
export interface ArtifactFileUrl {
  /** The path inside the artifact (the manifest key). */
  readonly path: string;
  /** Signed, time-limited storage URL: fetch it WITHOUT credentials. */
  readonly directUrl: string;
  /** The authenticated fallback under the API host, when the server gives one. */
  readonly url: string | null;
}

/** Options of `artifactFileUrls`. */
export interface ArtifactFileUrlsOptions extends CallOptions {
  /** Files per request. Default 5000 (Python's WANDB_ARTIFACT_FETCH_FILE_URL_BATCH_SIZE). */
  batchSize?: number;
}

/**
 * Signed download URLs of a version's files, in batches. With `entries`, one request per batch of
 * paths (only those); without, every file of the version, page by page. Each yielded array is one
 * response; a path the server does not know is simply absent from it.
 * @example
 * for await (const batch of artifactFileUrls(client, artifact, manifest.entries)) {
 *   for (const { path, directUrl } of batch) queue.push(path, directUrl);
 * }
 */
export async function* artifactFileUrls(
  client: WandbClient,
  artifact: ArtifactRef,
  entries?: Iterable<{ readonly path: string }>,
  options: ArtifactFileUrlsOptions = {},
): AsyncGenerator<ArtifactFileUrl[], void, undefined> {
  const where = membershipOf(artifact);
  const batchSize = checkPerPage(options.batchSize, 5000);
  // Every file page by page (no names), or one batch of names (which fits one page; paged on
  // anyway in case the server caps page sizes lower).
  const pages = async function* (fileNames?: string[]): AsyncGenerator<ArtifactFileUrl[], void, undefined> {
    let cursor: string | null = null;
    // Servers without a version's files through its membership (W&B Server of 2023): through the artifact.
    const current = await supports(client, ArtifactMembershipFileUrlsDocument, options);
    for (;;) {
      const perPage = fileNames?.length ?? batchSize;
      const page = current
        ? (await client.request(ArtifactMembershipFileUrlsDocument, { ...where, fileNames, cursor, perPage }, options)).project?.artifactCollection?.artifactMembership?.files
        : (await client.request((await legacyDocuments()).ArtifactFileUrlsLegacyDocument, { id: artifact.id, fileNames, cursor, perPage }, options)).artifact?.files;
      if (!page) throw new NotFoundError(`Unable to fetch files for artifact: '${artifact.name}'`, { status: 404 });
      const urls = page.edges.flatMap((e) => (e?.node ? [{ path: e.node.name, directUrl: e.node.directUrl, url: e.node.url ?? null }] : []));
      if (urls.length > 0) yield urls;
      const next: string | null = endCursorOf(page);
      if (!page.pageInfo.hasNextPage || next === null || next === cursor) return;
      cursor = next;
    }
  };
  if (entries === undefined) return yield* pages();
  let batch: string[] = [];
  for (const entry of entries) {
    if (typeof entry?.path !== 'string') throw new ValidationError('entries must be objects with a path.');
    batch.push(entry.path);
    if (batch.length >= batchSize) {
      yield* pages(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* pages(batch);
}
