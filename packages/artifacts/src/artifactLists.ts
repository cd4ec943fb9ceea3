// Lists of artifact versions: a collection's versions, and the artifacts a run logged or used.
import {
  type CallOptions,
  NotFoundError,
  Paginated,
  ValidationError,
  type WandbClient,
  resolveRunPath,
  checkPerPage,
  endCursorOf,
  supports,
} from '@wandb-api/core';
import { isRegistryProject, membershipName, parseArtifactPath } from './artifactPath.js';
import { type Artifact, resolveArtifactPath, toArtifact } from './artifact.js';
import { checkName } from './artifactTypes.js';
import { ProjectArtifactsDocument, RunInputArtifactsDocument, RunOutputArtifactsDocument } from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';
import { checkOrder } from './registryFilter.js';

/** Options of `listArtifacts`. */
export interface ListArtifactsOptions extends CallOptions {
  /** `+`/`-` then a field (`createdAt`, `versionIndex` …). Default: the server's order. */
  order?: string;
  /** Default 50. */
  perPage?: number;
  /** Keep only versions carrying every one of these tags (checked on each page, client side). */
  tags?: string | readonly string[];
}

/**
 * The committed versions of a collection (`[[entity/]project/]collection`), 50 per page;
 * `.count()` is the server's total (tags not applied, as Python's `len()`).
 * @example for await (const a of listArtifacts(client, 'model', 'demo/mnist-classifier/mnist-cnn')) console.log(a.version, a.aliases);
 */
export function listArtifacts(client: WandbClient, typeName: string, name: string, options: ListArtifactsOptions = {}): Paginated<Artifact> {
  checkName(typeName, 'artifact type');
  const parsed = parseArtifactPath(checkName(name, 'collection path'));
  const perPage = checkPerPage(options.perPage, 50);
  const order = checkOrder(options.order);
  const tags = options.tags === undefined ? [] : typeof options.tags === 'string' ? [options.tags] : [...options.tags];
  if (tags.some((t) => typeof t !== 'string')) throw new ValidationError('tags must be a string or a list of strings.');
  const hint = parsed.prefix !== undefined && isRegistryProject(parsed.project) ? parsed.prefix : undefined;
  const filters = JSON.stringify({ state: 'COMMITTED' });
  const load = async (cursor: string | null, signal: AbortSignal | undefined) => {
    const call = { ...options, signal };
    const where = await resolveArtifactPath(client, parsed, hint, call);
    const collection = membershipName(where);
    const vars = { entity: where.entity, project: where.project, type: typeName, collection, cursor, perPage, order, filters };
    // Servers without artifact TTLs and tags (W&B Server of 2023) get the older variant.
    const data = (await supports(client, ProjectArtifactsDocument, call))
      ? await client.request(ProjectArtifactsDocument, vars, call)
      : await client.request((await legacyDocuments()).ProjectArtifactsLegacyDocument, vars, call);
    const page = data.project?.artifactType?.artifactCollection?.artifacts;
    if (!data.project || !page) throw new NotFoundError(`Could not find collection '${collection}' of type '${typeName}' in ${where.entity}/${where.project}.`, { status: 404 });
    return { where, collection, page, organization: data.project.entity.organization?.name ?? null };
  };
  return new Paginated({
    signal: options.signal,
    idOf: (a) => a.id,
    // A page whose versions all miss the tags is empty and paging goes on (Python stops there).
    fetchPage: async (cursor, signal) => {
      const { where, collection, page, organization } = await load(cursor, signal);
      return {
        items: page.edges
          .flatMap((e) =>
            e?.node
              ? [toArtifact(client, e.node, { entity: where.entity, project: where.project, name: `${collection}:${e.version}`, version: e.version, organization })]
              : [],
          )
          .filter((a) => tags.every((t) => a.tags.includes(t))),
        cursor: endCursorOf(page),
        hasNextPage: page.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => (await load(null, signal)).page.totalCount,
  });
}

/**
 * Python's deprecated `artifact_versions(type_name, name)`: the same as `listArtifacts`.
 * @deprecated Use `listArtifacts`.
 * @example const versions = artifactVersions(client, 'model', 'demo/mnist-classifier/mnist-cnn');
 */
export function artifactVersions(client: WandbClient, typeName: string, name: string, options: Omit<ListArtifactsOptions, 'order' | 'tags'> = {}): Paginated<Artifact> {
  client.config.logger.warn('Api.artifact_versions(type_name, name) is deprecated, use Api.artifacts(type_name, name) instead.');
  return listArtifacts(client, typeName, name, options);
}

/** A run named by a path string, or an object that already knows where it lives. */
export type ArtifactRunLocator =
  | string
  | {
      /** The entity that owns the run's project. */
      readonly entity: string;
      /** The run's project. */
      readonly project: string;
      /** The short run id (`abc123`), not the display name. */
      readonly id: string;
    };

/** Options of `runLoggedArtifacts` and `runUsedArtifacts`. */
export interface RunArtifactsOptions extends CallOptions {
  /** Default 100 (Python's `per_page` of `logged_artifacts`/`used_artifacts`). */
  perPage?: number;
}

function runArtifacts(client: WandbClient, run: ArtifactRunLocator, direction: 'output' | 'input', options: RunArtifactsOptions): Paginated<Artifact> {
  const perPage = checkPerPage(options.perPage, 100);
  if (typeof run !== 'string' && (typeof run !== 'object' || run === null || !run.entity || !run.project || !run.id)) {
    throw new ValidationError('run must be a run path or an object with entity, project and id.');
  }
  const locate = async (call: CallOptions) =>
    typeof run === 'string' ? resolveRunPath(client, run, call) : { entity: run.entity, project: run.project, runId: run.id };
  const load = async (cursor: string | null, signal: AbortSignal | undefined) => {
    const call = { ...options, signal };
    const { entity, project, runId } = await locate(call);
    const vars = { entity, project, run: runId, cursor, perPage };
    const data =
      direction === 'output'
        ? await client.request(RunOutputArtifactsDocument, vars, call)
        : await client.request(RunInputArtifactsDocument, vars, call);
    const page = data.project?.run?.artifacts;
    if (!page) throw new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
    return page;
  };
  return new Paginated({
    signal: options.signal,
    idOf: (a) => a.id,
    fetchPage: async (cursor, signal) => {
      const page = await load(cursor, signal);
      return {
        // Placed in their source sequence; nodes without a project are skipped (as Python).
        items: page.edges.flatMap((e) =>
          e?.node?.artifactSequence.project ? [toArtifact(client, e.node, { entity: '', project: '', name: '' })] : [],
        ),
        cursor: endCursorOf(page),
        hasNextPage: page.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => (await load(null, signal)).totalCount,
  });
}

/**
 * The artifacts a run logged (Python's `run.logged_artifacts()`), 100 per page.
 * @example for await (const a of runLoggedArtifacts(client, 'demo/mnist-classifier/abc123')) console.log(a.name);
 */
export function runLoggedArtifacts(client: WandbClient, run: ArtifactRunLocator, options: RunArtifactsOptions = {}): Paginated<Artifact> {
  return runArtifacts(client, run, 'output', options);
}

/**
 * The artifacts a run used (Python's `run.used_artifacts()`), 100 per page.
 * @example const used = await runUsedArtifacts(client, run).toArray();
 */
export function runUsedArtifacts(client: WandbClient, run: ArtifactRunLocator, options: RunArtifactsOptions = {}): Paginated<Artifact> {
  return runArtifacts(client, run, 'input', options);
}
