/**
 * Run history fields: `history` (JSON lines, a step window, sampled), `sampledHistory` (parsed rows
 * per spec, holding all of the spec's keys), `events` (system metrics), `parquetHistory` (a parquet
 * export of the rows below an export point plus the later rows as live data). Row values may be NaN or
 * ±Infinity: JSON-string rows (`history`, `events`) keep the bare tokens in their text, while the
 * HTTP reply writes them as the strings "NaN"/"Infinity"/"-Infinity" inside JSON-typed values
 * (`sampledHistory`, `liveData`), as W&B does: its clients decode the envelope with strict JSON
 * parsers (stringifyWire; the table in the server README).
 */
import { UserInputError } from '../errors';
import { parseLenient } from '../store/json';
import type { SampleSpec } from '../store/history';
import type { RunRow } from '../store/store';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

const DEFAULT_SAMPLES = 500;

function checkSamples(samples: number | null | undefined): number {
  if (samples == null) return DEFAULT_SAMPLES;
  if (samples < 0) throw new UserInputError(`samples must be ≥ 0, got ${samples}`);
  return samples;
}

const isStep = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One spec string `{"keys": [...], "samples": n, "minStep"?: a, "maxStep"?: b}` checked and decoded. */
function parseSpec(text: string): SampleSpec {
  let spec: unknown;
  try {
    spec = parseLenient(text);
  } catch (err) {
    throw new UserInputError(`sampledHistory spec is not valid JSON: ${(err as Error).message}`);
  }
  const s = spec as Partial<Record<'keys' | 'samples' | 'minStep' | 'maxStep', unknown>> | null;
  if (!s || typeof s !== 'object') throw new UserInputError('a sampledHistory spec must be a JSON object');
  // W&B's sweep agent asks with the spec "{}": no keys, no rows.
  if (s.keys === undefined) s.keys = [];
  if (!Array.isArray(s.keys) || !s.keys.every((k) => typeof k === 'string')) {
    throw new UserInputError('a sampledHistory spec needs "keys": a list of strings');
  }
  if (s.samples !== undefined && (!isStep(s.samples) || s.samples < 0)) throw new UserInputError('spec "samples" must be a number ≥ 0');
  if (s.minStep != null && !isStep(s.minStep)) throw new UserInputError('spec "minStep" must be a number');
  if (s.maxStep != null && !isStep(s.maxStep)) throw new UserInputError('spec "maxStep" must be a number');
  return {
    keys: s.keys as string[],
    samples: s.samples === undefined ? DEFAULT_SAMPLES : Math.floor(s.samples as number),
    ...(isStep(s.minStep) ? { minStep: Math.ceil(s.minStep) } : {}),
    ...(isStep(s.maxStep) ? { maxStep: Math.floor(s.maxStep) } : {}),
  };
}

export const RunHistory: TypeResolvers = {
  history: (r: RunRow, args: { minStep?: number | null; maxStep?: number | null; samples?: number | null }, ctx: Context) =>
    ctx.store.history.rows(r.id, { minStep: args.minStep, maxStep: args.maxStep, samples: checkSamples(args.samples) }),
  sampledHistory: (r: RunRow, args: { specs: string[] }, ctx: Context) =>
    args.specs.map((text) => {
      const spec = parseSpec(text);
      return spec.keys.length === 0 ? [] : ctx.store.history.sampled(r.id, spec);
    }),
  events: (r: RunRow, args: { samples?: number | null }, ctx: Context) => ctx.store.history.events(r.id, checkSamples(args.samples)),
  // Rows below the export point come as one parquet file behind a signed storage URL (no
  // credentials); the rest is liveData. Without an export every row is live, and W&B's clients
  // fall back to history/sampledHistory for all of it.
  parquetHistory: (r: RunRow, args: { liveKeys: string[] }, ctx: Context) => {
    const exported = ctx.store.historyExports.forRun(r, ctx.store.historyExportPolicy);
    return {
      parquetUrls: exported ? [ctx.links.directUrl(exported.blob.md5Hex)] : [],
      // Resolved only when selected: for a run without an export it lists every row.
      liveData: () => ctx.store.history.live(r.id, args.liveKeys, exported?.endStep ?? 0),
    };
  },
};
