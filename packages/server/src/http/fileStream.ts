/**
 * POST /files/<entity>/<project>/<run>/file_stream on the API origin: the endpoint W&B's SDKs stream
 * a live run through (history, system metrics, summary, console output, completion). Authenticated
 * like /graphql; the body is JSON, gzipped when `Content-Encoding: gzip` (wandb-core does that when
 * the server has the FILESTREAM_GZIP feature). See store/fileStream.ts for what each file does.
 */
import type { IncomingMessage } from 'node:http';
import { ForbiddenError, UserInputError } from '../errors';
import { automationEvents } from '../store/automationEvents';
import { applyFileStream, parseFileStreamBody } from '../store/fileStream';
import type { Store, UserRow } from '../store/store';
import { authenticate } from './auth';
import { BODY_LIMITS, BodyTooLargeError, gunzipBounded, readBody } from './body';
import { FILES_PREFIX } from './files';
import type { Routed } from './pipeline';
import { errorReply, json, type Reply } from './reply';

const SUFFIX = '/file_stream';

/** Whether this request is a file-stream post (a GET of a run file named `file_stream` is not). */
export function isFileStreamRequest(req: IncomingMessage, path: string): boolean {
  return req.method === 'POST' && path.startsWith(FILES_PREFIX) && path.endsWith(SUFFIX) && path.split('/').length === 6;
}

export function fileStreamRoute(store: Store, req: IncomingMessage, path: string): Routed {
  return {
    respond: async () => {
      const auth = authenticate(store, req);
      if ('reply' in auth) return auth.reply;
      const { viewer } = auth;

      let parts: string[];
      try {
        parts = path.slice(FILES_PREFIX.length, -SUFFIX.length).split('/').map((p) => decodeURIComponent(p));
      } catch {
        return errorReply(400, `malformed path: ${path}`);
      }
      const [entityName = '', projectName = '', runName = ''] = parts;
      const entity = store.entities.byName(entityName);
      const project = entity && store.projects.byName(entity.id, projectName);
      // A project the viewer may not read answers like a missing one (no existence leak).
      const run = project && store.canRead(viewer, project) ? store.runs.byName(project.id, runName) : undefined;
      if (!entity || !run) return errorReply(404, `run not found: ${entityName}/${projectName}/${runName}`);
      if (!store.canWrite(viewer, entity.id)) return errorReply(403, `permission denied: ${viewer.username} is not a member of entity ${entity.name}`);

      let body: Buffer;
      try {
        body = await readBody(req, BODY_LIMITS.fileStream);
        if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) body = await gunzipBounded(body, BODY_LIMITS.fileStream);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return errorReply(413, err.message);
        return errorReply(400, `unreadable body: ${(err as Error).message}`);
      }
      return apply(store, run, body, viewer);
    },
  };
}

function apply(store: Store, run: Parameters<typeof applyFileStream>[1], body: Buffer, viewer: UserRow): Reply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return errorReply(400, 'the file_stream body must be JSON: {"files": {"wandb-history.jsonl": {"offset": 0, "content": [...]}}}');
  }
  let logged: Record<string, unknown>[];
  try {
    logged = applyFileStream(store, run, parseFileStreamBody(parsed));
  } catch (err) {
    if (err instanceof UserInputError) return errorReply(400, err.message);
    if (err instanceof ForbiddenError) return errorReply(403, err.message);
    throw err;
  }
  // Automations watch logged metrics and state changes (after the write committed).
  const after = store.runs.byId(run.id);
  if (after) automationEvents(store).run(after, viewer.id, { stateBefore: run.state, logged });
  // What W&B answers; wandb-core stops the run's process when `stopped` is true (stopRun).
  return json(200, { exitcode: null, limits: {}, ...(run.should_stop ? { stopped: true } : {}) });
}
