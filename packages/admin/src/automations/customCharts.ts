// Custom chart presets: Vega-Lite specs an entity saves for `wandb.plot_table` (Python's
// Api.create_custom_chart), read back and deleted by their id `entity/name`.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient, parseJson } from '@wandb-api/core';
import { CreateCustomChartDocument, CustomChartDocument, DeleteCustomChartDocument } from '../generated/graphql.js';
import { type JsonObject, checkJson } from './actions.js';

/** What createCustomChart needs (Python's create_custom_chart arguments). */
export interface NewCustomChart {
  /** The entity (user or team) that owns it. */
  entity: string;
  /** Its name, unique in the entity. */
  name: string;
  /** The name the app shows. */
  displayName: string;
  /** `vega2`: a Vega-Lite spec. */
  specType?: 'vega2';
  /** `private` (the entity's members) or `public`. */
  access: 'private' | 'public';
  /** The spec, as an object or JSON text. */
  spec: JsonObject | string;
}

/** A saved custom chart preset. */
export interface CustomChart {
  /** `entity/name`, what `wandb.plot_table(vega_spec_name=…)` takes. */
  readonly id: string;
  /** Its name. */
  readonly name: string;
  /** The name the app shows. */
  readonly displayName: string;
  /** `vega2`. */
  readonly specType: string;
  /** `private` or `public`. */
  readonly access: 'private' | 'public';
  /** The spec. */
  readonly spec: JsonObject;
  /** The owning entity. */
  readonly entity: string;
  /** Who created it. */
  readonly createdBy: string | null;
  /** When it was created (ISO 8601, UTC). */
  readonly createdAt: string;
  /** When it last changed; null if never. */
  readonly updatedAt: string | null;
}

function specText(spec: JsonObject | string): string {
  let value: unknown = spec;
  if (typeof spec === 'string') {
    try {
      value = JSON.parse(spec);
    } catch {
      throw new ValidationError('The chart spec text is not JSON.');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('A chart spec must be a JSON object.');
  return typeof spec === 'string' ? spec : JSON.stringify(checkJson(value, 'spec'));
}

/**
 * Saves a custom chart preset and returns its id, `entity/name` (members of the entity).
 * @example const id = await createCustomChart(client, { entity: 'acme', name: 'bars', displayName: 'Bars', access: 'private', spec: { mark: 'bar' } });
 */
export async function createCustomChart(client: WandbClient, chart: NewCustomChart, options?: CallOptions): Promise<string> {
  for (const key of ['entity', 'name', 'displayName'] as const) {
    if (typeof chart?.[key] !== 'string' || chart[key].trim() === '') throw new ValidationError(`A custom chart needs ${key}.`);
  }
  const specType = chart.specType ?? 'vega2';
  if (specType !== 'vega2') throw new ValidationError(`Unknown spec type ${JSON.stringify(specType)}: vega2.`);
  if (chart.access !== 'private' && chart.access !== 'public') throw new ValidationError(`Access must be 'private' or 'public', got ${JSON.stringify(chart.access)}.`);
  const data = await client.request(
    CreateCustomChartDocument,
    { entity: chart.entity, chartName: chart.name, displayName: chart.displayName, chartType: specType, access: chart.access.toUpperCase(), spec: specText(chart.spec) },
    options,
  );
  if (!data.createCustomChart) throw new ValidationError(`The server created no chart '${chart.name}'.`);
  return data.createCustomChart.chart.id;
}

function splitId(id: string): [string, string] {
  const slash = typeof id === 'string' ? id.indexOf('/') : -1;
  if (slash <= 0 || slash === id.length - 1) throw new ValidationError(`A custom chart id is 'entity/name', got ${JSON.stringify(id)}.`);
  return [id.slice(0, slash), id.slice(slash + 1)];
}

/**
 * One custom chart by id (`entity/name`); NotFoundError when missing or private to others.
 * @example const chart = await getCustomChart(client, 'acme/bars');
 */
export async function getCustomChart(client: WandbClient, id: string, options?: CallOptions): Promise<CustomChart> {
  splitId(id);
  const data = await client.request(CustomChartDocument, { id }, options);
  const c = data.customChart;
  if (!c) throw new NotFoundError(`Custom chart '${id}' not found.`, { status: 404 });
  return {
    id: c.id,
    name: c.name,
    displayName: c.displayName,
    specType: c.type,
    access: c.access.toLowerCase() === 'public' ? 'public' : 'private',
    spec: parseJson(c.spec) as JsonObject,
    entity: c.entity.name,
    createdBy: c.user.username ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * Deletes a custom chart (its creator or the entity's admins); NotFoundError when missing.
 * @example await deleteCustomChart(client, 'acme/bars');
 */
export async function deleteCustomChart(client: WandbClient, id: string, options?: CallOptions): Promise<void> {
  const [entity, name] = splitId(id);
  await client.request(DeleteCustomChartDocument, { entity, name }, options);
}
