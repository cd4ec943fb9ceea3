/**
 * Run files over GraphQL: `Run.fileCount`, `Run.files(names, pattern, first, after)`, the `File` type,
 * and the mutations createRunFiles (signed upload URLs), markRunFilesUploaded and deleteFiles.
 */
import { ForbiddenError, UserInputError } from '../errors';
import { runGid } from '../ids';
import { checkFileName, type RunFilePath, UPLOAD_HEADERS } from '../http/fileLinks';
import type { RunFileListOptions, RunFileRow } from '../store/runFiles';
import type { ProjectRow, RunRow } from '../store/store';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

/** What File resolvers see: a stored file, or (in createRunFiles) one about to be uploaded. */
interface FileNode {
  path: RunFilePath;
  row?: RunFileRow;
  uploadUrl?: string;
}

const fileGid = (key: number | string): string => Buffer.from(`File:${key}`, 'utf8').toString('base64');

function decodeFileGid(gid: string): number | undefined {
  const match = /^File:(\d+)$/.exec(Buffer.from(gid, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function runPath(ctx: Context, run: RunRow): Omit<RunFilePath, 'name'> {
  const project = ctx.project(run.project_id) as ProjectRow;
  return { entity: project.entity_name, project: project.name, run: run.name };
}

export const RunFiles: TypeResolvers = {
  fileCount: (r: RunRow, _: unknown, ctx: Context) => ctx.store.runFiles.count(r.id),
  files: (r: RunRow, args: RunFileListOptions, ctx: Context) => {
    const where = runPath(ctx, r);
    const page = ctx.store.runFiles.list(r.id, args);
    return connection(
      { ...page, items: page.items.map(({ node, cursor }) => ({ node: { path: { ...where, name: node.name }, row: node }, cursor })) },
      args.after,
    );
  },
};

export const File: TypeResolvers = {
  id: (f: FileNode) => fileGid(f.row?.id ?? `pending:${f.path.name}`),
  name: (f: FileNode) => f.path.name,
  // `upload: true` asks W&B for a write URL; here reads and writes are separate URLs, so it is ignored.
  url: (f: FileNode, _: unknown, ctx: Context) => ctx.links.url(f.path),
  directUrl: (f: FileNode, _: unknown, ctx: Context) => (f.row ? ctx.links.directUrl(f.row.md5_hex) : ''),
  sizeBytes: (f: FileNode) => f.row?.size_bytes ?? 0,
  mimetype: (f: FileNode) => f.row?.mimetype ?? null,
  updatedAt: (f: FileNode) => f.row?.updated_at ?? null,
  md5: (f: FileNode) => f.row?.md5 ?? null,
  uploadUrl: (f: FileNode) => f.uploadUrl ?? null,
};

interface RunFilesInput {
  entityName: string;
  projectName: string;
  runName: string;
  files: string[];
}

/** The run the viewer may write files to; undefined when it does not exist or is not visible. */
function writableRun(ctx: Context, input: RunFilesInput): RunRow | undefined {
  const entity = ctx.store.entities.byName(input.entityName);
  const project = entity && ctx.store.projects.byName(entity.id, input.projectName);
  if (!entity || !project || !ctx.store.canRead(ctx.viewer, project)) return undefined;
  const run = ctx.store.runs.byName(project.id, input.runName);
  if (run && !ctx.canWrite(entity.id)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of entity ${entity.name}`);
  }
  return run;
}

export const FileMutations: TypeResolvers = {
  /** Null (as W&B's null runID) when the run is missing; the PUT to each uploadUrl registers the file. */
  createRunFiles: (_: unknown, { input }: { input: RunFilesInput }, ctx: Context) => {
    input.files.forEach(checkFileName);
    const run = writableRun(ctx, input);
    if (!run) return null;
    const where = runPath(ctx, run);
    return {
      runID: runGid(run.name, where.project, where.entity),
      uploadHeaders: [...UPLOAD_HEADERS],
      files: input.files.map((name): FileNode => ({ path: { ...where, name }, uploadUrl: ctx.links.uploadUrl({ ...where, name }) })),
    };
  },
  /** Accepted (and idempotent) once every named file has been PUT. */
  markRunFilesUploaded: (_: unknown, { input }: { input: RunFilesInput }, ctx: Context) => {
    const run = writableRun(ctx, input);
    if (!run) throw new UserInputError(`run ${input.entityName}/${input.projectName}/${input.runName} not found`);
    const missing = input.files.filter((name) => !ctx.store.runFiles.byName(run.id, name));
    if (missing.length > 0) throw new UserInputError(`files not uploaded yet: ${missing.join(', ')}`);
    return { success: true };
  },
  deleteFiles: (_: unknown, { input }: { input: { files: string[]; projectId?: number | null; clientMutationId?: string | null } }, ctx: Context) => {
    const ids = input.files.map((gid) => {
      const id = decodeFileGid(gid);
      const row = id === undefined ? undefined : ctx.store.runFiles.byId(id);
      const run = row && ctx.store.runs.byId(row.run_id);
      const project = run && ctx.project(run.project_id);
      if (!row || !project || !ctx.store.canRead(ctx.viewer, project)) throw new UserInputError(`no file with id ${JSON.stringify(gid)}`);
      if (input.projectId != null && input.projectId !== project.id) {
        throw new UserInputError(`file ${JSON.stringify(gid)} is not in project ${input.projectId}`);
      }
      if (!ctx.canWrite(project.entity_id)) {
        throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot delete files in ${project.entity_name}/${project.name}`);
      }
      return row.id;
    });
    ctx.store.runFiles.delete(ids);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};
