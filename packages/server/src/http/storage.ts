/**
 * The storage origin: a second port standing in for a bucket behind signed URLs.
 * - GET /blob/<md5>?expires&sig: a blob's bytes (a run file's `directUrl`, a parquet history
 *   export), honouring one `Range: bytes=…` as S3 does;
 * - GET /artifact-blob/<md5>?expires&sig (streamed), /manifest/<md5>?expires&sig, /public/<md5>: artifacts (artifactFiles.ts);
 * - PUT /artifact-upload/<artifact>/<md5>?expires&sig, /artifact-manifest/<artifact>?expires&sig: artifact logging (artifactUploads.ts);
 * - PUT /upload/<entity>/<project>/<run>/<name>?expires&sig: stores the body as a blob and registers
 *   the run file (the upload URL createRunFiles hands out);
 * - GET /healthz.
 * A bad signature or an expired URL is 403, as S3 answers. Any request that carries an Authorization
 * header is refused, which is how tests prove W&B credentials never leak to storage.
 * Behind a proxy the same routes are also served under `/storage` on the API origin (fileLinks.ts).
 */
import { statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { blobPath } from '../store/artifactBlobs';
import type { Store } from '../store/store';
import { addRunFile } from '../store/runFiles';
import { artifactStorageRoute } from './artifactFiles';
import { artifactUploadRoute } from './artifactUploads';
import { BodyTooLargeError, readBody } from './body';
import { type FileLinks, parseRunFilePath, UPLOAD_HEADERS } from './fileLinks';
import type { Routed } from './pipeline';
import { errorReply, json, type Reply } from './reply';

/**
 * The storage routes; `mounted`: served under /storage on the API origin (behind a proxy), where
 * clients send their credentials along (the URL is under their base URL) and the signature alone decides.
 */
export function storageRoute(store: Store, links: FileLinks, mounted = false) {
  return (req: IncomingMessage, path: string): Routed => {
    if (!mounted && req.headers.authorization !== undefined) {
      return {
        respond: () =>
          errorReply(400, 'credentials must not be sent to storage URLs: this request carried an Authorization header'),
      };
    }
    if (req.method === 'GET' && path === '/healthz') return { respond: () => json(200, { ok: true }) };
    const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (req.method === 'GET' && path.startsWith('/blob/')) {
      return { respond: () => signed(links, 'GET', path, search) ?? readBlob(store, path.slice('/blob/'.length), req.headers.range) };
    }
    const artifactRoute = artifactStorageRoute(store, links.forStorageRequest(req, mounted), req, path, (p) => signed(links, 'GET', p, search));
    if (artifactRoute) return artifactRoute;
    const uploadRoute = artifactUploadRoute(store, req, path, (p) => signed(links, 'PUT', p, search));
    if (uploadRoute) return uploadRoute;
    if (req.method === 'PUT' && path.startsWith('/upload/')) {
      return { respond: async () => signed(links, 'PUT', path, search) ?? (await upload(store, req, path.slice('/upload/'.length))) };
    }
    return { respond: () => errorReply(404, `not found: ${req.method} ${path}`) };
  };
}

/** undefined when the signature holds, else the 403 to send. */
function signed(links: FileLinks, method: string, path: string, search: URLSearchParams): Reply | undefined {
  const check = links.signer.check(method, path, search);
  if (check === 'ok') return undefined;
  return errorReply(403, check === 'expired' ? 'Request has expired' : 'The request signature we calculated does not match the signature you provided');
}

function readBlob(store: Store, md5Hex: string, range: string | undefined): Reply {
  // Streamed from disk: a parquet reader asks a big export for one row group at a time, and
  // reading the whole blob for every range made the server read it again per row group.
  const file = blobPath(store.blobs, md5Hex);
  if (!file) return errorReply(404, `no such blob: ${md5Hex}`);
  const size = statSync(file).size;
  const headers = { 'Content-Type': 'application/octet-stream', ETag: `"${md5Hex}"`, 'Accept-Ranges': 'bytes' };
  const whole: Reply = { status: 200, headers, body: { file, start: 0, length: size } };
  if (range === undefined) return whole;
  // One byte range, as S3 serves them (parquet readers fetch the footer, then column chunks).
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start: number;
  let end: number;
  if (!match || (match[1] === '' && match[2] === '')) return whole;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    return { status: 416, headers: { 'Content-Range': `bytes */${size}` }, body: '' };
  }
  return {
    status: 206,
    headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` },
    body: { file, start, length: end - start + 1 },
  };
}

async function upload(store: Store, req: IncomingMessage, rest: string): Promise<Reply> {
  // The upload headers createRunFiles announced are part of the contract, as signed headers are on S3.
  for (const header of UPLOAD_HEADERS) {
    const colon = header.indexOf(':');
    const name = header.slice(0, colon).toLowerCase();
    if (req.headers[name] !== header.slice(colon + 1)) return errorReply(403, `missing upload header ${header}`);
  }
  const where = parseRunFilePath(rest);
  const entity = where && store.entities.byName(where.entity);
  const project = where && entity && store.projects.byName(entity.id, where.project);
  const run = where && project && store.runs.byName(project.id, where.run);
  if (!where || !run) return errorReply(404, `no run for upload ${rest}`);
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return errorReply(413, err.message);
    throw err;
  }
  const file = addRunFile(store.runFiles, store.blobs, run.id, where.name, body);
  return { status: 200, headers: { ETag: `"${file.md5_hex}"` }, body: '' };
}
