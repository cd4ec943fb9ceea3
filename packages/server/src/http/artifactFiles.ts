/**
 * Artifact bytes over HTTP.
 * Storage origin (no credentials): `GET /artifact-blob/<md5>?expires&sig` streams a blob and honours
 * `Range` (an entry's `directUrl`); `GET /manifest/<md5>?expires&sig` serves a stored manifest with the storage origin filled
 * in for seeded reference URIs; `GET /public/<md5>` serves blobs marked public, unsigned (the targets
 * of http reference entries, as a public web server would).
 * API origin (API key required): W&B's fallback download URLs, `GET /artifacts/<entity>/<md5>` (layout
 * V1) and `GET /artifactsV2/<region>/<entity>/<project>/<collection>/[<artifact id>/]<birth id>/<md5>/<name>`.
 */
import type { IncomingMessage } from 'node:http';
import { statSync } from 'node:fs';
import { LOCAL_STORAGE_ORIGIN } from '../store/artifactFixtures';
import { blobPath } from '../store/artifactBlobs';
import { artifactStore } from '../store/artifacts';
import type { Store } from '../store/store';
import { authenticate } from './auth';
import type { FileLinks } from './fileLinks';
import type { Routed } from './pipeline';
import { errorReply, type Reply } from './reply';

export const ARTIFACT_API_PREFIXES = ['/artifacts/', '/artifactsV2/'] as const;

/** A blob's bytes, streamed from disk; a single `Range: bytes=a-b` (or `a-`, `-n`) answers 206. */
export function blobReply(store: Store, md5Hex: string, req: IncomingMessage): Reply {
  const file = blobPath(store.blobs, md5Hex);
  if (!file) return errorReply(404, `no such blob: ${md5Hex}`);
  const size = statSync(file).size;
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', ETag: `"${md5Hex}"`, 'Accept-Ranges': 'bytes' };
  const range = req.headers.range;
  if (range === undefined) return { status: 200, headers, body: { file, start: 0, length: size } };
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = m?.[1] ? Number(m[1]) : undefined;
  let end = m?.[2] ? Number(m[2]) : undefined;
  if (m && start === undefined && end !== undefined) [start, end] = [Math.max(0, size - end), size - 1];
  start ??= 0;
  end = Math.min(end ?? size - 1, size - 1);
  if (!m || start > end || start >= size) {
    return { ...errorReply(416, `range not satisfiable: ${range} (size ${size})`), headers: { 'Content-Range': `bytes */${size}` } };
  }
  return { status: 206, headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` }, body: { file, start, length: end - start + 1 } };
}

/** Storage-origin artifact paths; undefined when the path is not one of them. `signed` checks a signature (undefined = ok). */
export function artifactStorageRoute(
  store: Store,
  links: FileLinks,
  req: IncomingMessage,
  path: string,
  signed: (path: string) => Reply | undefined,
): Routed | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  if (path.startsWith('/artifact-blob/')) {
    return { respond: () => signed(path) ?? blobReply(store, path.slice('/artifact-blob/'.length), req) };
  }
  if (path.startsWith('/manifest/')) {
    return {
      respond: () => {
        const denied = signed(path);
        if (denied) return denied;
        const bytes = store.blobs.read(path.slice('/manifest/'.length));
        if (!bytes) return errorReply(404, `no such manifest: ${path}`);
        const text = bytes.toString('utf8').split(JSON.stringify(LOCAL_STORAGE_ORIGIN).slice(1, -1)).join(links.storageOrigin);
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: text };
      },
    };
  }
  if (path.startsWith('/public/')) {
    const md5Hex = path.slice('/public/'.length);
    return {
      respond: () => (artifactStore(store).isPublic(md5Hex) ? blobReply(store, md5Hex, req) : errorReply(404, `not found: ${path}`)),
    };
  }
  return undefined;
}

/** The API-origin fallback download of an artifact file by digest (needs the API key and read access). */
export function artifactApiRoute(store: Store, req: IncomingMessage, path: string): Routed {
  return {
    respond: () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return errorReply(405, `method ${req.method} not allowed on ${path}`);
      const auth = authenticate(store, req);
      if ('reply' in auth) return auth.reply;
      const { viewer } = auth;
      let parts: string[];
      try {
        parts = path.split('/').map((p) => decodeURIComponent(p));
      } catch {
        return errorReply(404, `not found: ${path}`);
      }
      // V1: ['', 'artifacts', entity, md5]; V2: ['', 'artifactsV2', region, entity, …, md5, name].
      const v1 = parts[1] === 'artifacts';
      const entityName = v1 ? parts[2] : parts[3];
      const md5Hex = v1 ? parts[3] : parts[parts.length - 2];
      if ((v1 && parts.length !== 4) || (!v1 && parts.length < 9) || !entityName || !md5Hex) return errorReply(404, `not found: ${path}`);
      const entity = store.entities.byName(entityName);
      // Readable when some project of the entity the viewer can read holds an artifact with these bytes.
      const readable =
        entity !== undefined &&
        artifactStore(store)
          .projectsHoldingBlob(entity.id, md5Hex)
          .some((id) => {
            const p = store.projects.byId(id);
            return p !== undefined && store.canRead(viewer, p);
          });
      return readable ? blobReply(store, md5Hex, req) : errorReply(404, `file not found: ${path}`);
    },
  };
}
