// The only module that imports js-yaml, loaded with import() by sweeps.ts. It is a build entry of its own so it
// lands in its own dist file: js-yaml does not declare itself side-effect free, so a bundler keeps
// it wherever its import sits, and here that is only where sweeps are used (listRuns alone stays small).
import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * Parses a sweep's YAML config (plain data only: the core schema, so dates stay strings); anything
 * but a mapping, or invalid YAML, gives `{}`.
 * @example parseSweepConfig('method: grid\nmetric: {name: loss}') // { method: 'grid', metric: { name: 'loss' } }
 */
export function parseSweepConfig(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = load(text, { schema: CORE_SCHEMA });
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
