/**
 * The server fires automations: the mutations and the file stream report what happened (an alias
 * added, a version linked or created, a tag added or removed, a run's state changed, history logged),
 * and this module finds the enabled triggers watching that scope, checks their filters (a metric
 * condition edge-triggers once per run until it stops holding), and runs their action: a webhook POST
 * with W&B's payload variables substituted, handed to the dispatcher (http/webhooks.ts) so the request
 * that caused it never waits; a Slack notification is recorded but not sent; DoNothing is recorded.
 * Every firing lands in the execution history (triggerExecutions.ts) with secrets masked.
 */
import { artifactNodeGid } from '../artifactIds';
import { artifactStore } from './artifacts';
import { integrations } from './integrations';
import { parseLenient } from './json';
import type { ProjectRow } from './projects';
import type { RunRow } from './runs';
import { secrets } from './secrets';
import type { Store } from './store';
import { storePart } from './storePart';
import { evaluateMetric, type FilterDocument, matchesFilter, parseEventFilter, valuesNeeded } from './triggerFilters';
import { triggerExecutions } from './triggerExecutions';
import { triggers, type TriggerRow } from './triggers';

/** An artifact mutation that may fire automations. */
export interface ArtifactEvent {
  type: 'ADD_ARTIFACT_ALIAS' | 'ADD_ARTIFACT_TAG' | 'REMOVE_ARTIFACT_TAG' | 'ADD_COLLECTION_TAG' | 'REMOVE_COLLECTION_TAG' | 'CREATE_ARTIFACT' | 'LINK_MODEL' | 'UNLINK_ARTIFACT';
  /** The collection it happened in: the aliased collection, the portfolio linked into, the sequence of a new version. */
  collectionId: number;
  /** The version (none for collection tags). */
  artifactId: number | null;
  /** The alias added (ADD_ARTIFACT_ALIAS). */
  alias?: string;
  /** The tag added or removed. */
  tag?: string;
  /** The user whose request did it (`${event_author}`). */
  authorId: number;
}

/** What changed in a run: its state (from `stateBefore`) and/or the history rows logged. */
export interface RunChange {
  /** The state before the write ('' for a new run). */
  stateBefore?: string;
  /** The history rows the write logged, in step order. */
  logged?: readonly Record<string, unknown>[];
}

/** A webhook request to make; the dispatcher records its outcome on the execution. */
export interface WebhookJob {
  executionId: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The integration's signing secret: the body's HMAC-SHA256 goes in X-Wandb-Signature. */
  signingKey?: string;
}

/** Sends webhook requests without blocking the caller (http/webhooks.ts; set by startServer). */
export interface Dispatcher {
  send(job: WebhookJob): void;
}

/** W&B's name of an event type in payloads (`LINK_MODEL` reads `LINK_ARTIFACT`). */
const EVENT_NAMES: Readonly<Record<string, string>> = { LINK_MODEL: 'LINK_ARTIFACT' };

/** W&B's coarse run states: what RUN_STATE automations watch. */
function coarseState(state: string): string | null {
  if (state === 'running') return 'RUNNING';
  if (state === 'finished') return 'FINISHED';
  if (state === 'failed' || state === 'crashed' || state === 'killed') return 'FAILED';
  return null;
}

const MASK = '***';

/** Runs `work`, reporting (not throwing) what fails: the write that set it off has committed. */
function guard(work: () => void): void {
  try {
    work();
  } catch (err) {
    console.error('[@wandb-api/server] automation evaluation failed:', err);
  }
}
const VARIABLE = /\$\{([^}]+)\}/g;

/** Replaces `${name}` in every string of a JSON value (unknown names stay as written). */
function substitute(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return value.replace(VARIABLE, (whole, name: string) => vars.get(name) ?? whole);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

export class AutomationEvents {
  /** Where webhook requests go; without one (a store outside a server) they are recorded as SKIPPED. */
  dispatcher: Dispatcher | undefined;

  constructor(private readonly store: Store) {}

  /** An artifact mutation happened (after it committed). Never throws: a failing automation must not fail the write. */
  artifact(event: ArtifactEvent): void {
    guard(() => this.#artifact(event));
  }

  /** The aliases a version has now, in every collection (what `aliasesAdded` compares with). */
  aliasSnapshot(artifactId: number): ReadonlySet<string> {
    return new Set(artifactStore(this.store).aliasesOfArtifact(artifactId).map((a) => `${a.collection_id}:${a.alias}`));
  }

  /** Fires ADD_ARTIFACT_ALIAS for every alias the version has now and had not at `before`. */
  aliasesAdded(artifactId: number, before: ReadonlySet<string>, authorId: number): void {
    guard(() => {
      for (const a of artifactStore(this.store).aliasesOfArtifact(artifactId)) {
        if (!before.has(`${a.collection_id}:${a.alias}`)) this.#artifact({ type: 'ADD_ARTIFACT_ALIAS', collectionId: a.collection_id, artifactId, alias: a.alias, authorId });
      }
    });
  }

  /** Fires ADD_ARTIFACT_TAG / REMOVE_ARTIFACT_TAG for the version's tags that changed since `before`, in each collection holding it. */
  artifactTagsChanged(artifactId: number, before: readonly string[], authorId: number): void {
    guard(() => {
      const arts = artifactStore(this.store);
      const now = arts.artifactTags(artifactId).map((t) => t.name);
      const collections = arts.membershipsOfArtifact(artifactId).map((m) => m.collection_id);
      for (const [type, tags] of [['ADD_ARTIFACT_TAG', now.filter((t) => !before.includes(t))], ['REMOVE_ARTIFACT_TAG', before.filter((t) => !now.includes(t))]] as const) {
        for (const tag of tags) for (const collectionId of collections) this.#artifact({ type, collectionId, artifactId, tag, authorId });
      }
    });
  }

  /** Fires ADD_COLLECTION_TAG / REMOVE_COLLECTION_TAG for the collection's tags that changed since `before`. */
  collectionTagsChanged(collectionId: number, before: readonly string[], authorId: number): void {
    guard(() => {
      const now = artifactStore(this.store).collectionTags(collectionId).map((t) => t.name);
      for (const tag of now.filter((t) => !before.includes(t))) this.#artifact({ type: 'ADD_COLLECTION_TAG', collectionId, artifactId: null, tag, authorId });
      for (const tag of before.filter((t) => !now.includes(t))) this.#artifact({ type: 'REMOVE_COLLECTION_TAG', collectionId, artifactId: null, tag, authorId });
    });
  }

  #artifact(event: ArtifactEvent): void {
    const arts = artifactStore(this.store);
    const collection = arts.collectionById(event.collectionId);
    if (!collection) return;
    const watching = triggers(this.store).watching(event.type, collection.project_id, [collection.id]);
    if (watching.length === 0) return;
    const project = this.store.projects.byId(collection.project_id) as ProjectRow;
    const artifact = event.artifactId === null ? undefined : arts.artifactById(event.artifactId);
    const aliases = artifact ? arts.aliasesOf(collection.id, artifact.id).map((a) => a.alias) : [];
    const tags = artifact ? arts.artifactTags(artifact.id).map((t) => t.name) : arts.collectionTags(collection.id).map((t) => t.name);
    // ADD_ARTIFACT_ALIAS filters on the alias added, tag events on the tag; the others on the version's aliases and tags.
    const doc: FilterDocument =
      event.type === 'ADD_ARTIFACT_ALIAS' ? { alias: event.alias } : event.tag !== undefined ? { tag: event.tag } : { alias: aliases, tag: tags };
    // A version unlinked from the collection reads as its version in its own sequence.
    const membership = artifact ? (arts.membership(collection.id, artifact.id) ?? arts.membership(artifact.sequence_id, artifact.id)) : undefined;
    const home = membership && membership.collection_id !== collection.id ? arts.collectionById(membership.collection_id) : collection;
    const homeProject = home && home.project_id !== project.id ? (this.store.projects.byId(home.project_id) as ProjectRow) : project;
    const vars: Record<string, string> = {
      ...this.common(event.type, event.authorId, project),
      artifact_collection_name: collection.name,
      alias: event.alias ?? '',
      tag: event.tag ?? '',
      artifact_version: artifact ? `wandb-artifact://_id/${artifactNodeGid('Artifact', artifact.id)}` : '',
      artifact_version_string: membership && home ? `${homeProject.entity_name}/${homeProject.name}/${home.name}:v${membership.version_index}` : '',
    };
    const metadata = artifact?.metadata ? (parseLenient(artifact.metadata) as Record<string, unknown>) : {};
    for (const [key, value] of Object.entries(metadata ?? {})) vars[`artifact_metadata.${key}`] = typeof value === 'string' ? value : JSON.stringify(value);
    for (const t of watching) {
      const filter = parseEventFilter(t.event_type, t.event_filter);
      if (filter.kind === 'artifact' && matchesFilter(doc, filter.filter)) this.fire(t, vars);
    }
  }

  /**
   * A run changed (after the write committed): its state moved from `stateBefore`, and/or the history
   * rows `logged` were written (in step order).
   */
  run(run: RunRow, authorId: number, change: RunChange): void {
    guard(() => this.#run(run, authorId, change));
  }

  #run(run: RunRow, authorId: number, change: RunChange): void {
    const project = this.store.projects.byId(run.project_id) as ProjectRow;
    const before = change.stateBefore === undefined ? undefined : coarseState(change.stateBefore);
    const now = coarseState(run.state);
    const base = { ...this.common('', authorId, project), run_id: run.name, run_name: run.display_name ?? run.name, run_state: now ?? run.state.toUpperCase() };
    if (change.stateBefore !== undefined && now !== null && now !== before) {
      for (const t of triggers(this.store).watching('RUN_STATE', project.id, [])) {
        const filter = parseEventFilter(t.event_type, t.event_filter);
        if (filter.kind === 'state' && filter.states.includes(now) && matchesFilter(this.runDocument(run), filter.runFilter)) {
          this.fire(t, { ...base, event_type: 'RUN_STATE' });
        }
      }
    }
    if (!change.logged?.length) return;
    for (const type of ['RUN_METRIC', 'RUN_METRIC_CHANGE', 'RUN_METRIC_ZSCORE']) {
      for (const t of triggers(this.store).watching(type, project.id, [])) {
        const filter = parseEventFilter(t.event_type, t.event_filter);
        if (filter.kind !== 'metric' || !matchesFilter(this.runDocument(run), filter.runFilter)) continue;
        const { name } = filter.metric;
        // Each row logged is evaluated in turn (as if logged alone): a crossing inside a batch counts.
        const fresh = change.logged.filter((row) => typeof row[name] === 'number' && Number.isFinite(row[name])).length;
        if (fresh === 0) continue;
        const values = this.latestValues(run.id, name, valuesNeeded(filter.metric) + fresh - 1);
        for (let k = fresh - 1; k >= 0; k--) {
          const result = evaluateMetric(filter.metric, values.slice(0, values.length - k));
          if (!result) continue;
          const was = triggers(this.store).swapRunMatch(t.id, run.id, result.met);
          if (result.met && !was) this.fire(t, { ...base, event_type: type, metric_name: name, metric_value: String(result.value) });
        }
      }
    }
  }

  private common(type: string, authorId: number, project: ProjectRow): Record<string, string> {
    return {
      event_type: EVENT_NAMES[type] ?? type,
      event_author: this.store.users.byId(authorId)?.username ?? '',
      entity_name: project.entity_name,
      project_name: project.name,
    };
  }

  /** The run fields run filters name (`display_name` is what Python's RunEvent.name filters on). */
  private runDocument(run: RunRow): FilterDocument {
    return {
      name: run.name,
      display_name: run.display_name ?? run.name,
      state: run.state,
      username: run.user_id === null ? undefined : this.store.users.byId(run.user_id)?.username,
      tags: JSON.parse(run.tags) as string[],
      group: run.group_name ?? undefined,
      job_type: run.job_type ?? undefined,
    };
  }

  /** The metric's last `count` finite values, oldest first (rows without it are skipped). */
  private latestValues(runId: number, name: string, count: number): number[] {
    const needle = `%${JSON.stringify(name).replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = this.store.db
      .prepare("SELECT row FROM history WHERE run_id = ? AND row LIKE ? ESCAPE '\\' ORDER BY step DESC LIMIT ?")
      .pluck()
      .all(runId, needle, count * 4) as string[];
    const values: number[] = [];
    for (const text of rows) {
      const value = (parseLenient(text) as Record<string, unknown>)[name];
      if (typeof value === 'number' && Number.isFinite(value)) values.push(value);
      if (values.length === count) break;
    }
    return values.reverse();
  }

  /** Runs the trigger's action for an event and records the execution. */
  private fire(t: TriggerRow, vars: Record<string, string>): void {
    const executions = triggerExecutions(this.store);
    const base = { triggerId: t.id, eventType: t.event_type, actionType: t.action_type };
    const config = JSON.parse(t.action_config) as Record<string, string | null>;
    if (t.action_type === 'NO_OP') {
      executions.start({ ...base, event: JSON.stringify(vars), state: 'SUCCEEDED', request: null });
      return;
    }
    const integration = integrations(this.store).byId(t.integration_id as number);
    if (!integration) return;
    if (t.action_type === 'NOTIFICATION') {
      const variables = new Map(Object.entries(vars));
      const request = { channel: integration.channel_name, title: substitute(config.title ?? '', variables), message: substitute(config.message ?? '', variables), severity: config.severity };
      const id = executions.start({ ...base, event: JSON.stringify(vars), state: 'SKIPPED', request: JSON.stringify(request) });
      executions.finish(id, { state: 'SKIPPED', error: 'Slack notifications are recorded, not sent, by this server' });
      return;
    }
    // The integration's secrets: the access token as ${ACCESS_TOKEN} and the Bearer header, the
    // signing secret by its own name and as the HMAC key (http/webhooks.ts signs the body sent).
    const values = secrets(this.store).values(integration.entity_id);
    const token = integration.access_token_ref ? values.get(integration.access_token_ref) : undefined;
    const secret = integration.secret_ref ? values.get(integration.secret_ref) : undefined;
    const real = new Map(Object.entries(vars));
    const masked = new Map(real);
    if (token !== undefined) {
      real.set('ACCESS_TOKEN', token);
      masked.set('ACCESS_TOKEN', MASK);
    }
    if (secret !== undefined && integration.secret_ref) {
      real.set(integration.secret_ref, secret);
      masked.set(integration.secret_ref, MASK);
    }
    const template = config.requestPayload ? (JSON.parse(config.requestPayload) as unknown) : {};
    const body = JSON.stringify(substitute(template, real));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const request = {
      url: integration.url_endpoint,
      headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${MASK}` },
      body: JSON.stringify(substitute(template, masked)),
    };
    const id = executions.start({ ...base, event: JSON.stringify(vars), state: this.dispatcher ? 'PENDING' : 'SKIPPED', request: JSON.stringify(request) });
    if (!this.dispatcher) {
      executions.finish(id, { state: 'SKIPPED', error: 'no dispatcher: the store runs outside a server' });
      return;
    }
    this.dispatcher.send({ executionId: id, url: integration.url_endpoint as string, headers, body, ...(secret === undefined ? {} : { signingKey: secret }) });
  }
}

/**
 * The automation engine of a Store.
 * @example automationEvents(store).artifact({ type: 'ADD_ARTIFACT_ALIAS', collectionId, artifactId, alias: 'prod', authorId: viewer.id })
 */
export const automationEvents: (store: Store) => AutomationEvents = storePart((store) => new AutomationEvents(store));
