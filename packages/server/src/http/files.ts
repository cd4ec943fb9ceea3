/**
 * GET /files/<entity>/<project>/<run>/<name> on the API origin: a run file's bytes for a viewer who may
 * read the project (W&B's `File.url`). Unlike the storage origin, this one requires the API key.
 */
import type { IncomingMessage } from 'node:http';
import type { Store, UserRow } from '../store/store';
import { authenticate } from './auth';
import { parseRunFilePath } from './fileLinks';
import type { Routed } from './pipeline';
import { errorReply, type Reply } from './reply';

export const FILES_PREFIX = '/files/';

export function fileRoute(store: Store, req: IncomingMessage, path: string): Routed {
  return {
    respond: () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return errorReply(405, `method ${req.method} not allowed on ${path}`);
      const auth = authenticate(store, req);
      if ('reply' in auth) return auth.reply;
      const { viewer } = auth;
      return serveRunFile(store, viewer, path.slice(FILES_PREFIX.length), req.method === 'HEAD');
    },
  };
}

function serveRunFile(store: Store, viewer: UserRow, rest: string, headOnly: boolean): Reply {
  const where = parseRunFilePath(rest);
  const entity = where && store.entities.byName(where.entity);
  const project = where && entity && store.projects.byName(entity.id, where.project);
  // A project the viewer may not read answers like a missing one (no existence leak).
  const run = where && project && store.canRead(viewer, project) ? store.runs.byName(project.id, where.run) : undefined;
  const file = where && run && store.runFiles.byName(run.id, where.name);
  const bytes = file && store.blobs.read(file.md5_hex);
  if (!file || !bytes) return errorReply(404, `file not found: ${rest}`);
  return {
    status: 200,
    headers: { 'Content-Type': file.mimetype, ETag: `"${file.md5_hex}"` },
    body: headOnly ? Buffer.alloc(0) : bytes,
  };
}
