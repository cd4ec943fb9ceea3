import {
  type CallOptions,
  NotFoundError,
  Paginated,
  type ProjectPath,
  ValidationError,
  type WandbClient,
  parseJsonObject,
  parsePath,
  parseProjectPath,
  resolveProjectPath,
  checkPerPage,
} from '@wandb-api/core';
import { GetViewDocument, ProjectViewsDocument, ReportCountDocument, type ViewFieldsFragment } from './generated/graphql.js';

/** A W&B report (a saved view of type "runs"). */
export interface Report {
  /** The view's global id (base64, with its `=` padding). */
  readonly id: string;
  /** The view's name (an internal id-like name). */
  readonly name: string | null;
  /** The report's title. */
  readonly displayName: string | null;
  /** The report's description. */
  readonly description: string | null;
  /** The author, as the server shows them. */
  readonly user: {
    /** The author's login name. */
    readonly username: string | null;
    /** The author's avatar URL. */
    readonly photoUrl: string | null;
    /** The author's email, when the server shows it. */
    readonly email: string | null;
  } | null;
  /** The report spec, decoded (NaN and ±Infinity kept as numbers); `{}` when absent. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The report's sections: `spec.panelGroups`, or `[]`. */
  readonly sections: readonly unknown[];
  /** When the report was created (ISO 8601). */
  readonly createdAt: string;
  /** When the report last changed (ISO 8601). */
  readonly updatedAt: string | null;
  /** The entity of the report's project. */
  readonly entity: string;
  /** The report's project. */
  readonly project: string;
  /** `<app>/<entity>/<project>/reports/<slug>--<id without '='>`; null without a display name. */
  readonly url: string | null;
}

/**
 * The URL slug of a report title, as W&B builds it: every non-word character becomes `-`, runs of `-`
 * collapse, `-` is trimmed at both ends, then the result is percent-encoded.
 * @example reportSlug('LR search: results & notes') // 'LR-search-results-notes'
 */
export function reportSlug(displayName: string): string {
  // \p{L}\p{N}_ is Python's Unicode-aware \w (JS's \w is ASCII-only).
  const slug = displayName.replace(/[^\p{L}\p{N}\p{M}_]/gu, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  return encodeURIComponent(slug);
}

function reportUrl(client: WandbClient, entity: string, project: string, displayName: string | null, id: string): string | null {
  if (!entity || !project || !displayName || !id) return null;
  return `${client.config.appUrl}${encodeURIComponent(entity)}/${encodeURIComponent(project)}/reports/${reportSlug(displayName)}--${id.replace(/=/g, '')}`;
}

function toReport(client: WandbClient, node: ViewFieldsFragment, entity: string, project: string): Report {
  const spec = parseJsonObject(node.spec);
  return {
    id: node.id,
    name: node.name,
    displayName: node.displayName,
    description: node.description,
    user: node.user ? { username: node.user.username, photoUrl: node.user.photoUrl, email: node.user.email } : null,
    spec,
    sections: Array.isArray(spec.panelGroups) ? spec.panelGroups : [],
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    entity,
    project,
    url: reportUrl(client, entity, project, node.displayName, node.id),
  };
}

export interface ListReportsOptions extends CallOptions {
  /** Only the report with this name (the view's `name`, not its title). */
  name?: string;
  /** Reports per request. Default 50. */
  perPage?: number;
}

/**
 * The reports of a project, paged on the last edge's cursor. `.count()` is the server's total for the
 * name filter (Python's `len` counts only what it has loaded).
 * @example for await (const r of listReports(client, 'acme/mnist')) console.log(r.displayName, r.url);
 */
export function listReports(client: WandbClient, path?: string | ProjectPath, options: ListReportsOptions = {}): Paginated<Report> {
  const perPage = checkPerPage(options.perPage, 50);
  if (options.name !== undefined && (typeof options.name !== 'string' || !options.name)) {
    throw new ValidationError('name must be a non-empty string.');
  }
  const parsed = typeof path === 'string' ? parseProjectPath(path) : path;
  const viewName = options.name ?? null;
  const where = (signal: AbortSignal | undefined) => resolveProjectPath(client, parsed, { ...options, signal });
  return new Paginated<Report>({
    signal: options.signal,
    idOf: (report) => report.id,
    fetchPage: async (cursor, signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(ProjectViewsDocument, { entity, project, cursor, perPage, viewName }, { ...options, signal });
      const views = data.project?.allViews;
      if (!data.project || !views) throw new NotFoundError(`Project ${project} does not exist under entity ${entity}.`, { status: 404 });
      return {
        items: views.edges.flatMap((e) => (e.node ? [toReport(client, e.node, entity, project)] : [])),
        cursor: views.edges.at(-1)?.cursor ?? null,
        hasNextPage: views.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(ReportCountDocument, { entity, project, viewName }, { ...options, signal });
      if (!data.project) throw new NotFoundError(`Project ${project} does not exist under entity ${entity}.`, { status: 404 });
      return data.project.allViews?.totalCount ?? 0;
    },
  });
}

/**
 * One report by its path or app URL (`entity/project/reports/Title--ID`); the `=` padding report
 * URLs strip is restored. Unlike Python, which builds an empty report from the path, this loads it:
 * NotFoundError when no report of that project has the id.
 * @example const report = await getReport(client, 'https://wandb.ai/acme/mnist/reports/LR-search--Vmlldzo0NTY');
 */
export async function getReport(client: WandbClient, path: string, options?: CallOptions): Promise<Report> {
  const parsed = parsePath(path);
  if (parsed.kind !== 'report') throw new ValidationError(`Invalid report path '${path}', should be ENTITY/PROJECT/reports/Name--ID`);
  const { entity, project, reportId } = parsed;
  const view = (await client.request(GetViewDocument, { id: reportId }, options)).view;
  if (!view || view.entityName !== entity || view.projectName !== project) {
    throw new NotFoundError(`Could not find report ${reportId} in ${entity}/${project}.`, { status: 404 });
  }
  return toReport(client, view, entity, project);
}
