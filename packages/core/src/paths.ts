// The W&B path grammar (as the Python client parses it), plus app URLs such as
// https://wandb.ai/entity/project/runs/id, which Python rejects. Parsing is pure: defaults for a
// missing entity or project are filled in by the caller (see `resolve*` in client.ts).
import { ValidationError } from './errors.js';

/** A parsed project path; a missing entity is filled in later by `resolveProjectPath`. */
export interface ProjectPath {
  /** The entity (user or team), when the path names one. */
  entity?: string;
  /** The project name. */
  project: string;
}

/** A parsed run path; missing parts are filled in later by `resolveRunPath`. */
export interface RunPath {
  /** The entity (user or team), when the path names one. */
  entity?: string;
  /** The project, when the path names one. */
  project?: string;
  /** The run's id (the short one in its URL). */
  runId: string;
}

/** What `fromPath` can point at. */
export type ParsedPath =
  | ({
      /** What the path points at. */
      kind: 'project';
    } & ProjectPath)
  | ({
      /** What the path points at. */
      kind: 'run';
    } & RunPath)
  | ({
      /** What the path points at. */
      kind: 'sweep';
    } & SweepPath)
  | ({
      /** What the path points at. */
      kind: 'report';
    } & ReportPath);

/** A parsed sweep path; missing parts are filled in by the caller. */
export interface SweepPath {
  /** The entity (user or team), when the path names one. */
  entity?: string;
  /** The project, when the path names one. */
  project?: string;
  /** The sweep's id. */
  sweepId: string;
}

/** A parsed report path (`entity/project/reports/Title--ID`). */
export interface ReportPath {
  /** The entity (user or team). */
  entity: string;
  /** The project name. */
  project: string;
  /** The report's id, with the base64 `=` padding the URL strips restored. */
  reportId: string;
  /** The title part of the URL, dashes as spaces. */
  displayName: string;
}

function invalid(input: string, why: string): ValidationError {
  return new ValidationError(`Invalid path: '${input}' (${why})`);
}

function checkPart(input: string, part: string | undefined, what: string): string {
  const value = (part ?? '').trim();
  if (!value) throw invalid(input, `missing ${what}`);
  // W&B project names may hold spaces (`wandb.init(project="my project")`); entities and ids may not.
  const refused = what === 'project' ? /[\0-\x1f?#]/ : /[\s\0-\x1f?#]/;
  if (refused.test(value)) throw invalid(input, `${what} '${value}' contains characters W&B names cannot hold`);
  return value;
}

/**
 * The segments of a path, or of an app URL (`entity/project/runs/id`), dropping the host, the
 * query, the fragment and the page tabs after the object (`/overview`, `/logs`, `/workspace` …).
 */
function segmentsOf(input: string): string[] {
  if (typeof input !== 'string') throw new ValidationError(`A path must be a string, got ${typeof input}.`);
  const text = input.trim();
  if (!/^https?:\/\//i.test(text)) return text.replace(/^[/\s]+|[/\s]+$/g, '').split('/');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(input, 'not a valid URL');
  }
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length < 2) throw invalid(input, 'the URL names no project');
  return segments.slice(0, segments.length > 3 && /^(runs|sweeps|reports|groups)$/.test(segments[2]!) ? 4 : 2);
}

/**
 * Parses a project path: `project`, `entity/project`, or an app URL of the project.
 * @example parseProjectPath('my-team/mnist') // { entity: 'my-team', project: 'mnist' }
 */
export function parseProjectPath(input: string): ProjectPath {
  const parts = segmentsOf(input);
  if (parts.length === 1) return { project: checkPart(input, parts[0], 'project') };
  if (parts.length === 2) return { entity: checkPart(input, parts[0], 'entity'), project: checkPart(input, parts[1], 'project') };
  throw invalid(input, 'expected "project" or "entity/project"');
}

/**
 * Parses a run path. Accepted forms: `entity/project/runs/id`, `entity/project/id`,
 * `entity/project:id`, `project/id`, `project:id`, `id`, and app URLs of a run.
 * @example parseRunPath('https://wandb.ai/acme/mnist/runs/abc123') // { entity: 'acme', project: 'mnist', runId: 'abc123' }
 */
export function parseRunPath(input: string): RunPath {
  return parseObjectPath(input, 'runs');
}

/** Parses a sweep path; the same forms as a run path with `sweeps`. */
export function parseSweepPath(input: string): SweepPath {
  const { runId, ...rest } = parseObjectPath(input, 'sweeps');
  return { ...rest, sweepId: runId };
}

function parseObjectPath(input: string, kind: 'runs' | 'sweeps'): RunPath {
  let parts = segmentsOf(input);
  if (parts.length === 4) {
    if (parts[2] !== kind) throw invalid(input, `expected entity/project/${kind}/id`);
    parts = [parts[0] ?? '', parts[1] ?? '', parts[3] ?? ''];
  }
  const last = parts[parts.length - 1] ?? '';
  const colon = last.indexOf(':');
  if (colon >= 0) parts = [...parts.slice(0, -1), last.slice(0, colon), last.slice(colon + 1)];
  const what = kind === 'runs' ? 'run id' : 'sweep id';
  switch (parts.length) {
    case 1:
      return { runId: checkPart(input, parts[0], what) };
    case 2:
      return { project: checkPart(input, parts[0], 'project'), runId: checkPart(input, parts[1], what) };
    case 3:
      return {
        entity: checkPart(input, parts[0], 'entity'),
        project: checkPart(input, parts[1], 'project'),
        runId: checkPart(input, parts[2], what),
      };
    default:
      throw invalid(input, `expected entity/project/${kind}/id`);
  }
}

/** Restores the base64 `=` padding that report URLs strip (Python leaves it off and cannot load them). */
function padBase64(id: string): string {
  return /^[A-Za-z0-9+/_-]+$/.test(id) && id.length % 4 !== 0 ? id + '='.repeat(4 - (id.length % 4)) : id;
}

function parseReportSegment(input: string, segment: string): { reportId: string; displayName: string } {
  const split = segment.split('--');
  if (split.length > 2) throw new ValidationError(`Invalid report path '${input}': expected Name--ID.`);
  if (split.length === 1) {
    if (segment.includes('-')) throw new ValidationError(`Invalid report path '${input}', should be team/project/reports/Name--XXXX`);
    return { reportId: padBase64(segment), displayName: '' };
  }
  const [name = '', id = ''] = split;
  if (!id) throw new ValidationError(`Invalid report path '${input}': the report id is missing.`);
  return { reportId: padBase64(id), displayName: decodeURIComponent(name).replace(/-/g, ' ') };
}

/**
 * Decides what a path points at, as `Api.fromPath` does: 1–2 parts are a project, 3 parts a
 * run, 4 parts a run, sweep or report by the third part; app URLs are accepted too.
 * @example parsePath('acme/mnist/sweeps/x1y2') // { kind: 'sweep', entity: 'acme', project: 'mnist', sweepId: 'x1y2' }
 */
export function parsePath(input: string): ParsedPath {
  const parts = segmentsOf(input);
  if (parts.length <= 2) return { kind: 'project', ...parseProjectPath(parts.join('/')) };
  if (parts.length === 3) return { kind: 'run', ...parseRunPath(parts.join('/')) };
  if (parts.length === 4) {
    const type = parts[2] ?? '';
    const entity = checkPart(input, parts[0], 'entity');
    const project = checkPart(input, parts[1], 'project');
    const id = checkPart(input, parts[3], 'id');
    if (type.startsWith('run')) return { kind: 'run', entity, project, runId: id };
    if (type.startsWith('sweep')) return { kind: 'sweep', entity, project, sweepId: id };
    if (type.startsWith('report')) return { kind: 'report', entity, project, ...parseReportSegment(input, id) };
  }
  throw new ValidationError(
    `Invalid path '${input}', should be ENTITY/PROJECT/TYPE/ID where TYPE is runs, sweeps, or reports`,
  );
}
