// W&B sends JSON payloads (config, summary, history rows, metadata, report specs) as strings that
// may hold the bare tokens NaN, Infinity and -Infinity, and occasionally raw control characters.
// One tolerant decoder for all of them; one encoder that writes those tokens back.

const SENTINEL = '\u0000wandb:';
const TOKENS: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

/**
 * Rewrites bare non-finite tokens into sentinel strings and escapes raw control characters, by
 * matching whole strings (left as they are but for control characters) and bare tokens.
 */
function normalise(text: string): string {
  return text.replace(/"(?:[^"\\]|\\[\s\S])*"?|-?Infinity|NaN/g, (match) =>
    match[0] === '"'
      ? match.replace(/\\[\s\S]|[\0-\x1f]/g, (ch) => (ch[1] ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`))
      : JSON.stringify(SENTINEL + match),
  );
}

function revive(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(SENTINEL) ? (TOKENS[value.slice(SENTINEL.length)] ?? value) : value;
}

/**
 * Parses W&B JSON text, accepting NaN, Infinity and -Infinity as numbers.
 * @example parseJson('{"loss": NaN}') // { loss: NaN }
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(normalise(text), revive);
  }
}

/** Parses a JSON object string; null, empty or non-object text gives `{}`. */
export function parseJsonObject(text: string | null | undefined): Record<string, unknown> {
  const value = text ? parseJson(text) : {};
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Serialises a value as W&B does: non-finite numbers become bare NaN / Infinity / -Infinity tokens.
 * @example stringifyJson({ loss: Infinity }) // '{"loss":Infinity}'
 */
export function stringifyJson(value: unknown): string {
  let found = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      found = true;
      return SENTINEL + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    }
    return v;
  });
  if (!found || text === undefined) return text ?? 'null';
  return text.replace(/"\\u0000wandb:(-?Infinity|NaN)"/g, '$1');
}

/** Keys W&B keeps in a run's config for itself; hidden from `config`, kept in `rawConfig`. */
export const INTERNAL_CONFIG_KEYS: readonly string[] = ['_wandb', 'wandb_version'];

/**
 * Unwraps a server config `{key: {value, desc}}` into `{key: value}` once. Entries that are not
 * wrapped stay as they are. `config` leaves out W&B's internal keys; `rawConfig` has everything.
 */
export function unwrapConfig(raw: Record<string, unknown>): {
  /** The config without W&B's internal keys. */
  config: Record<string, unknown>;
  /** Every key, internal ones included. */
  rawConfig: Record<string, unknown>;
} {
  const config: Record<string, unknown> = {};
  const rawConfig: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(raw)) {
    const value = typeof entry === 'object' && entry !== null && !Array.isArray(entry) && 'value' in entry ? (entry as { value: unknown }).value : entry;
    rawConfig[key] = value;
    if (!INTERNAL_CONFIG_KEYS.includes(key)) config[key] = value;
  }
  return { config, rawConfig };
}

/** One config entry in the server's form. */
export interface WrappedConfigValue {
  /** The value. */
  value: unknown;
  /** The description; always null from this SDK. */
  desc: null;
}

/** Wraps a plain config back into the server's `{key: {value, desc: null}}` form. */
export function wrapConfig(config: Record<string, unknown>): Record<string, WrappedConfigValue> {
  const out: Record<string, WrappedConfigValue> = {};
  for (const [key, value] of Object.entries(config)) out[key] = { value, desc: null };
  return out;
}
