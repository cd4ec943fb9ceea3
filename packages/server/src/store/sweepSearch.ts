/**
 * The search space of a sweep, as W&B's local controller reads a sweep config's `parameters`: each
 * parameter (nested `parameters` flattened to a path, keys sorted at every level) with its
 * distribution; the grid in order (the cartesian product of the discrete parameters, the last one
 * varying fastest); and random samples. Pure functions: the controller (sweepController.ts) keeps state.
 */
import { UserInputError } from '../errors';

/** One parameter's distribution, with W&B's defaults filled in. */
export type Distribution =
  | { kind: 'constant'; value: unknown }
  | { kind: 'categorical'; values: readonly unknown[]; probabilities?: readonly number[] }
  | { kind: 'int_uniform'; min: number; max: number }
  | { kind: 'uniform' | 'log_uniform' | 'log_uniform_values' | 'inv_log_uniform' | 'inv_log_uniform_values'; min: number; max: number }
  | { kind: 'q_uniform' | 'q_log_uniform' | 'q_log_uniform_values'; min: number; max: number; q: number }
  | { kind: 'normal' | 'log_normal'; mu: number; sigma: number }
  | { kind: 'q_normal' | 'q_log_normal'; mu: number; sigma: number; q: number }
  | { kind: 'beta'; a: number; b: number }
  | { kind: 'q_beta'; a: number; b: number; q: number };

/** A parameter: its path in the run config (`['optimizer', 'lr']` for a nested one) and its distribution. */
export interface SweepParameter {
  readonly path: readonly string[];
  readonly distribution: Distribution;
}

/** A run's parameters as the agent command carries them: `{ top: { value } }`, nested values as objects. */
export type RunArgs = Record<string, { value: unknown }>;

/** A uniform random number in [0, 1). */
export type Uniform = () => number;

const MIN_MAX_KINDS = new Set(['int_uniform', 'uniform', 'log_uniform', 'log_uniform_values', 'inv_log_uniform', 'inv_log_uniform_values']);
const Q_MIN_MAX_KINDS = new Set(['q_uniform', 'q_log_uniform', 'q_log_uniform_values']);
const NORMAL_KINDS = new Set(['normal', 'log_normal']);
const Q_NORMAL_KINDS = new Set(['q_normal', 'q_log_normal']);

const invalid = (path: readonly string[], why: string) => new UserInputError(`sweep parameter ${path.join('.')}: ${why}`);

function num(spec: Record<string, unknown>, key: string, path: readonly string[], fallback?: number): number {
  const v = spec[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(path, `${key} must be a number`);
  return v;
}

function bounds(spec: Record<string, unknown>, path: readonly string[]): { min: number; max: number } {
  const min = num(spec, 'min', path);
  const max = num(spec, 'max', path);
  if (min >= max) throw invalid(path, `min ${min} is not less than max ${max}`);
  return { min, max };
}

/** The distribution of one parameter spec; undefined when the spec is a nested `parameters` block. */
function distributionOf(spec: Record<string, unknown>, path: readonly string[]): Distribution | undefined {
  const given = spec.distribution;
  if (given !== undefined && typeof given !== 'string') throw invalid(path, 'distribution must be a string');
  // W&B's schema: without a distribution, values → categorical, min/max → int_uniform or uniform, value → constant.
  const kind =
    given ??
    (Array.isArray(spec.values)
      ? spec.probabilities === undefined
        ? 'categorical'
        : 'categorical_w_probabilities'
      : 'min' in spec || 'max' in spec
        ? Number.isInteger(spec.min) && Number.isInteger(spec.max)
          ? 'int_uniform'
          : 'uniform'
        : 'value' in spec
          ? 'constant'
          : undefined);
  if (kind === undefined) {
    if ('parameters' in spec) return undefined;
    throw invalid(path, 'needs values, value, min/max, a distribution or nested parameters');
  }
  if (kind === 'constant') {
    if (!('value' in spec)) throw invalid(path, 'a constant needs value');
    return { kind, value: spec.value };
  }
  if (kind === 'categorical' || kind === 'categorical_w_probabilities') {
    const { values, probabilities } = spec;
    if (!Array.isArray(values) || values.length === 0) throw invalid(path, 'values must be a non-empty list');
    if (probabilities === undefined) return { kind: 'categorical', values };
    if (!Array.isArray(probabilities) || probabilities.length !== values.length || probabilities.some((p) => typeof p !== 'number' || p < 0)) {
      throw invalid(path, 'probabilities must be one non-negative number per value');
    }
    const sum = (probabilities as number[]).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-8) throw invalid(path, `probabilities sum to ${sum}, not 1`);
    return { kind: 'categorical', values, probabilities: probabilities as number[] };
  }
  if (kind === 'int_uniform') {
    const { min, max } = bounds(spec, path);
    if (!Number.isInteger(min) || !Number.isInteger(max)) throw invalid(path, 'int_uniform needs integer min and max');
    return { kind, min, max };
  }
  if (MIN_MAX_KINDS.has(kind)) {
    const { min, max } = bounds(spec, path);
    if ((kind === 'log_uniform_values' || kind === 'inv_log_uniform_values') && min <= 0) throw invalid(path, `${kind} needs min > 0`);
    return { kind: kind as 'uniform', min, max };
  }
  if (Q_MIN_MAX_KINDS.has(kind)) {
    const { min, max } = bounds(spec, path);
    const q = num(spec, 'q', path, 1);
    if (q <= 0) throw invalid(path, 'q must be positive');
    return { kind: kind as 'q_uniform', min, max, q };
  }
  if (NORMAL_KINDS.has(kind)) return { kind: kind as 'normal', mu: num(spec, 'mu', path, 0), sigma: num(spec, 'sigma', path, 1) };
  if (Q_NORMAL_KINDS.has(kind)) {
    return { kind: kind as 'q_normal', mu: num(spec, 'mu', path, 0), sigma: num(spec, 'sigma', path, 1), q: num(spec, 'q', path, 1) };
  }
  if (kind === 'beta') return { kind, a: num(spec, 'a', path, 1), b: num(spec, 'b', path, 1) };
  if (kind === 'q_beta') return { kind, a: num(spec, 'a', path, 1), b: num(spec, 'b', path, 1), q: num(spec, 'q', path, 1) };
  throw invalid(path, `unknown distribution ${JSON.stringify(kind)}`);
}

/** The parameters of a sweep config, flattened depth first with keys sorted at every level (W&B's order). */
export function sweepParameters(parameters: unknown): SweepParameter[] {
  const out: SweepParameter[] = [];
  const walk = (block: unknown, prefix: readonly string[]): void => {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      throw new UserInputError(`sweep ${prefix.length ? `parameter ${prefix.join('.')}` : 'config'}: parameters must be a mapping`);
    }
    for (const key of Object.keys(block).sort()) {
      const path = [...prefix, key];
      const spec = (block as Record<string, unknown>)[key];
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalid(path, 'must be a mapping');
      const distribution = distributionOf(spec as Record<string, unknown>, path);
      if (distribution) out.push({ path, distribution });
      else walk((spec as { parameters: unknown }).parameters, path);
    }
  };
  if (parameters !== undefined) walk(parameters, []);
  return out;
}

/** The values a parameter takes on the grid; undefined when it is not discrete (grid search refuses it). */
function gridValues(d: Distribution): readonly unknown[] | undefined {
  switch (d.kind) {
    case 'categorical':
      return d.probabilities ? undefined : d.values;
    case 'int_uniform':
      return Array.from({ length: d.max - d.min + 1 }, (_, i) => d.min + i);
    case 'q_uniform': {
      // numpy.arange(min, max, q): max excluded.
      const n = Math.max(0, Math.ceil((d.max - d.min) / d.q));
      return Array.from({ length: n }, (_, i) => d.min + i * d.q);
    }
    default:
      return undefined;
  }
}

/** A sweep's grid: the discrete parameters (constants stay fixed) and how many points they span. */
export interface Grid {
  readonly axes: readonly { readonly parameter: SweepParameter; readonly values: readonly unknown[] }[];
  readonly size: number;
}

/** The grid of a grid sweep; a UserInputError names a parameter grid search cannot enumerate. */
export function gridOf(parameters: readonly SweepParameter[]): Grid {
  const axes = [];
  for (const parameter of parameters) {
    if (parameter.distribution.kind === 'constant') continue;
    const values = gridValues(parameter.distribution);
    if (!values) {
      throw invalid(parameter.path, 'grid search needs categorical values (without probabilities), int_uniform, q_uniform or a constant');
    }
    axes.push({ parameter, values });
  }
  return { axes, size: axes.reduce((n, a) => n * a.values.length, 1) };
}

/** JSON with object keys sorted: equal values give equal text (the identity of a grid point). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * The grid point a run's config stands on (wrapped W&B-style: `{ top: { value } }`), or undefined
 * when it lacks one of the axes. Dict values keep only the keys the grid's own values use, so keys a
 * run adds at runtime do not make it a new point (as W&B's grid search).
 */
export function gridKeyOfConfig(grid: Grid, config: Record<string, unknown>): string | undefined {
  const point: unknown[] = [];
  for (const { parameter, values } of grid.axes) {
    const [top, ...rest] = parameter.path;
    let value: unknown = config[top as string];
    for (const key of ['value', ...rest]) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    const known = new Set(values.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [])));
    if (known.size > 0 && value && typeof value === 'object' && !Array.isArray(value)) {
      value = Object.fromEntries(Object.entries(value).filter(([k]) => known.has(k)));
    }
    point.push(value);
  }
  return canonical(point);
}

/** The first grid point, in order, whose key is not in `seen`; undefined when the grid is exhausted. */
export function nextGridPoint(grid: Grid, seen: ReadonlySet<string>): unknown[] | undefined {
  for (let index = 0; index < grid.size; index++) {
    const point: unknown[] = new Array(grid.axes.length);
    let rest = index;
    for (let i = grid.axes.length - 1; i >= 0; i--) {
      const values = (grid.axes[i] as Grid['axes'][number]).values;
      point[i] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    if (!seen.has(canonical(point))) return point;
  }
  return undefined;
}

/** A standard normal sample (Box-Muller). */
function gaussian(uniform: Uniform): number {
  const u = 1 - uniform(); // (0, 1]: log(0) is not a number
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** A Gamma(shape, 1) sample (Marsaglia-Tsang; shape < 1 boosted). */
function gamma(shape: number, uniform: Uniform): number {
  if (shape < 1) return gamma(shape + 1, uniform) * Math.pow(1 - uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = gaussian(uniform);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

const quantize = (x: number, q: number): number => Math.round(x / q) * q;

/** One random value of a parameter. */
export function sample(d: Distribution, uniform: Uniform): unknown {
  const between = (min: number, max: number) => min + uniform() * (max - min);
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'categorical': {
      if (!d.probabilities) return d.values[Math.floor(uniform() * d.values.length)];
      const x = uniform();
      let cumulative = 0;
      for (const [i, p] of d.probabilities.entries()) {
        cumulative += p;
        if (x < cumulative) return d.values[i];
      }
      return d.values.at(-1);
    }
    case 'int_uniform':
      return d.min + Math.floor(uniform() * (d.max - d.min + 1));
    case 'uniform':
      return between(d.min, d.max);
    case 'q_uniform':
      return quantize(between(d.min, d.max), d.q);
    case 'log_uniform':
      return Math.exp(between(d.min, d.max));
    case 'log_uniform_values':
      return Math.exp(between(Math.log(d.min), Math.log(d.max)));
    case 'q_log_uniform':
      return quantize(Math.exp(between(d.min, d.max)), d.q);
    case 'q_log_uniform_values':
      return quantize(Math.exp(between(Math.log(d.min), Math.log(d.max))), d.q);
    case 'inv_log_uniform':
      return Math.exp(-between(d.min, d.max));
    case 'inv_log_uniform_values':
      return Math.exp(-between(-Math.log(d.max), -Math.log(d.min)));
    case 'normal':
      return d.mu + d.sigma * gaussian(uniform);
    case 'q_normal':
      return quantize(d.mu + d.sigma * gaussian(uniform), d.q);
    case 'log_normal':
      return Math.exp(d.mu + d.sigma * gaussian(uniform));
    case 'q_log_normal':
      return quantize(Math.exp(d.mu + d.sigma * gaussian(uniform)), d.q);
    case 'beta':
    case 'q_beta': {
      const x = gamma(d.a, uniform);
      const value = x / (x + gamma(d.b, uniform));
      return d.kind === 'q_beta' ? quantize(value, d.q) : value;
    }
  }
}

/** Agent-command args from parameter values (in `parameters` order): nested paths become objects under `{ value }`. */
export function runArgs(entries: readonly (readonly [SweepParameter, unknown])[]): RunArgs {
  const tree: Record<string, unknown> = {};
  for (const [{ path }, value] of entries) {
    let node = tree;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      node = (child && typeof child === 'object' ? child : (node[key] = {})) as Record<string, unknown>;
    }
    node[path.at(-1) as string] = value;
  }
  return Object.fromEntries(Object.entries(tree).map(([k, value]) => [k, { value }]));
}

/** The runs a grid sweep expects: the grid's size; null for other methods (or a grid it cannot enumerate). */
export function expectedRunCount(method: string, parameters: readonly SweepParameter[]): number | null {
  if (method !== 'grid') return null;
  try {
    return gridOf(parameters).size;
  } catch {
    return null;
  }
}
