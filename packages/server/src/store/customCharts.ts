/**
 * Custom chart presets (Vega specs an entity saves for `wandb.plot_table`), keyed by entity and name;
 * their id is `entity/name`, as Python's Api.create_custom_chart returns it. SQL only; permissions are
 * the resolvers' (graphql/customCharts.ts).
 */
import { ConflictError, NotFoundError, UserInputError } from '../errors';
import type { Db } from './db';
import { parseLenient } from './json';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

export interface CustomChartRow {
  id: number;
  entity_id: number;
  entity_name: string;
  name: string;
  display_name: string;
  type: string;
  access: string;
  spec: string;
  user_id: number;
  created_at: string;
  updated_at: string | null;
}

/** What createCustomChart stores. */
export interface NewCustomChart {
  entityId: number;
  name: string;
  displayName: string;
  type: string;
  access: string;
  spec: string;
  userId: number;
}

const SELECT = 'SELECT c.*, e.name AS entity_name FROM custom_charts c JOIN entities e ON e.id = c.entity_id';

/** Chart names as W&B validates them (gorilla.ValidateCustomChartName): letters, digits, '-', '_', '.', '/'. */
function checkChartName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$/.test(name)) throw new UserInputError(`invalid chart name ${JSON.stringify(name)}`);
}

/** PRIVATE or PUBLIC, any case. */
function checkAccess(access: string): string {
  const upper = access.toUpperCase();
  if (upper !== 'PRIVATE' && upper !== 'PUBLIC') throw new UserInputError(`invalid access ${JSON.stringify(access)}: PRIVATE or PUBLIC`);
  return upper;
}

/** The spec must be a JSON object (a Vega or Vega-Lite spec). */
function checkSpec(spec: string): void {
  let value: unknown;
  try {
    value = parseLenient(spec);
  } catch {
    throw new UserInputError('the chart spec must be JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserInputError('the chart spec must be a JSON object');
}

export class CustomCharts {
  constructor(private readonly db: Db) {}

  create(input: NewCustomChart): CustomChartRow {
    checkChartName(input.name);
    checkSpec(input.spec);
    if (input.type !== 'vega2') throw new UserInputError(`invalid chart type ${JSON.stringify(input.type)}: vega2`);
    if (this.byName(input.entityId, input.name)) throw new ConflictError(`a chart named ${JSON.stringify(input.name)} exists already`);
    const { id } = this.db
      .prepare(
        'INSERT INTO custom_charts (entity_id, name, display_name, type, access, spec, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(input.entityId, input.name, input.displayName, input.type, checkAccess(input.access), input.spec, input.userId, wandbTime()) as { id: number };
    return this.byRowId(id) as CustomChartRow;
  }

  update(chart: CustomChartRow, patch: { displayName?: string | null; type?: string | null; access?: string | null; spec?: string | null }): CustomChartRow {
    if (patch.spec != null) checkSpec(patch.spec);
    if (patch.type != null && patch.type !== 'vega2') throw new UserInputError(`invalid chart type ${JSON.stringify(patch.type)}: vega2`);
    this.db
      .prepare('UPDATE custom_charts SET display_name = ?, type = ?, access = ?, spec = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.displayName ?? chart.display_name,
        patch.type ?? chart.type,
        patch.access == null ? chart.access : checkAccess(patch.access),
        patch.spec ?? chart.spec,
        wandbTime(),
        chart.id,
      );
    return this.byRowId(chart.id) as CustomChartRow;
  }

  delete(chart: CustomChartRow): void {
    this.db.prepare('DELETE FROM custom_charts WHERE id = ?').run(chart.id);
  }

  byRowId(id: number): CustomChartRow | undefined {
    return this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CustomChartRow | undefined;
  }

  byName(entityId: number, name: string): CustomChartRow | undefined {
    return this.db.prepare(`${SELECT} WHERE c.entity_id = ? AND c.name = ?`).get(entityId, name) as CustomChartRow | undefined;
  }

  /** A chart the caller names; NotFoundError when there is none. */
  require(entityId: number, name: string): CustomChartRow {
    const chart = this.byName(entityId, name);
    if (!chart) throw new NotFoundError(`custom chart ${JSON.stringify(name)} not found`);
    return chart;
  }

  /** One page of an entity's charts of a type, by id. */
  list(entityId: number, type: string, first: number, afterId: number): { rows: CustomChartRow[]; hasNextPage: boolean } {
    const rows = this.db
      .prepare(`${SELECT} WHERE c.entity_id = ? AND c.type = ? AND c.id > ? ORDER BY c.id LIMIT ?`)
      .all(entityId, type, afterId, first + 1) as CustomChartRow[];
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}

/**
 * The custom charts of a Store.
 * @example customCharts(store).byName(team.id, 'bar-chart')
 */
export const customCharts: (store: Store) => CustomCharts = storePart((store) => new CustomCharts(store.db));
