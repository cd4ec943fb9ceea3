/** The search space of a sweep config: parameter parsing, W&B's grid order and size, random samples. */
import { describe, expect, it } from 'vitest';
import { Random } from '../src/random';
import {
  expectedRunCount,
  gridKeyOfConfig,
  gridOf,
  nextGridPoint,
  runArgs,
  sample,
  sweepParameters,
  type Distribution,
} from '../src/store/sweepSearch';

describe('sweepParameters', () => {
  it('flattens nested parameters depth first, keys sorted at every level, inferring distributions as W&B does', () => {
    const params = sweepParameters({
      zeta: { value: 1 },
      opt: { parameters: { lr: { min: 0.1, max: 0.5 }, beta: { values: [1, 2] } } },
      layers: { min: 1, max: 3 },
      act: { values: ['relu'], probabilities: [1] },
    });
    expect(params.map((p) => [p.path.join('.'), p.distribution.kind])).toEqual([
      ['act', 'categorical'],
      ['layers', 'int_uniform'],
      ['opt.beta', 'categorical'],
      ['opt.lr', 'uniform'],
      ['zeta', 'constant'],
    ]);
    expect(sweepParameters({ n: { distribution: 'q_normal' } })[0]!.distribution).toEqual({ kind: 'q_normal', mu: 0, sigma: 1, q: 1 });
  });

  it('refuses what W&B refuses: min >= max, probabilities that do not sum to 1, unknown distributions, empty specs', () => {
    expect(() => sweepParameters({ a: { min: 2, max: 1 } })).toThrow(/min 2 is not less than max 1/);
    expect(() => sweepParameters({ a: { values: [1, 2], probabilities: [0.5, 0.4] } })).toThrow(/sum to/);
    expect(() => sweepParameters({ a: { distribution: 'zipf' } })).toThrow(/unknown distribution/);
    expect(() => sweepParameters({ a: {} })).toThrow(/needs values/);
    expect(() => sweepParameters({ a: { values: [] } })).toThrow(/non-empty/);
    expect(() => sweepParameters(['a'])).toThrow(/mapping/);
  });
});

describe('the grid', () => {
  const params = sweepParameters({
    b: { values: ['x', 'y'] },
    a: { distribution: 'int_uniform', min: 1, max: 3 },
    c: { value: 'fixed' },
    q: { distribution: 'q_uniform', min: 0, max: 1, q: 0.5 },
  });

  it('is the product of the discrete axes in parameter order, the last axis fastest; constants stay out of the count', () => {
    const grid = gridOf(params);
    expect(grid.size).toBe(3 * 2 * 2);
    expect(grid.axes.map((a) => [a.parameter.path[0], a.values])).toEqual([
      ['a', [1, 2, 3]],
      ['b', ['x', 'y']],
      // numpy.arange(0, 1, 0.5): max excluded.
      ['q', [0, 0.5]],
    ]);
    const seen = new Set<string>();
    const order: unknown[] = [];
    for (let point = nextGridPoint(grid, seen); point; point = nextGridPoint(grid, seen)) {
      order.push(point);
      seen.add(JSON.stringify(point));
    }
    expect(order.slice(0, 3)).toEqual([
      [1, 'x', 0],
      [1, 'x', 0.5],
      [1, 'y', 0],
    ]);
    expect(order).toHaveLength(12);
  });

  it("keys a run's config (wrapped, nested under value) by its point; dict values keep only the grid's own keys", () => {
    const nested = gridOf(sweepParameters({ opt: { parameters: { beta: { values: [1, 2] } } }, d: { values: [{ k: 1 }, { k: 2 }] } }));
    const key = gridKeyOfConfig(nested, { opt: { value: { beta: 2, extra: true } }, d: { value: { k: 1, added: 'later' } }, _wandb: { value: {} } });
    expect(key).toBe(JSON.stringify([{ k: 1 }, 2]));
    expect(nextGridPoint(nested, new Set([key!]))).toEqual([{ k: 1 }, 1]);
    expect(gridKeyOfConfig(nested, { d: { value: { k: 1 } } })).toBeUndefined();
  });

  it('counts expected runs for grid sweeps only, and refuses a continuous axis', () => {
    expect(expectedRunCount('grid', params)).toBe(12);
    expect(expectedRunCount('random', params)).toBeNull();
    expect(() => gridOf(sweepParameters({ a: { min: 0.5, max: 1.5 } }))).toThrow(/grid search/);
    expect(() => gridOf(sweepParameters({ a: { values: [1, 2], probabilities: [0.5, 0.5] } }))).toThrow(/grid search/);
    expect(expectedRunCount('grid', sweepParameters({ a: { min: 0.5, max: 1.5 } }))).toBeNull();
  });

  it('builds agent args: nested paths become objects under value', () => {
    const [a, b] = sweepParameters({ opt: { parameters: { lr: { value: 0.1 }, beta: { value: 2 } } } });
    expect(runArgs([
      [a!, 2],
      [b!, 0.1],
    ])).toEqual({ opt: { value: { beta: 2, lr: 0.1 } } });
  });
});

describe('random samples', () => {
  const draw = (d: Distribution, n = 2000) => {
    const random = new Random(7);
    return Array.from({ length: n }, () => sample(d, () => random.next()) as number);
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('stays within bounds and lands where each distribution puts its mass', () => {
    const logValues = draw({ kind: 'log_uniform_values', min: 1e-4, max: 1e-1 });
    expect(Math.min(...logValues)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...logValues)).toBeLessThanOrEqual(1e-1);
    // Uniform in log space: about half the draws below the geometric middle.
    expect(logValues.filter((x) => x < Math.sqrt(1e-4 * 1e-1)).length / logValues.length).toBeCloseTo(0.5, 1);

    const ints = draw({ kind: 'int_uniform', min: 3, max: 5 });
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));

    const normal = draw({ kind: 'normal', mu: 10, sigma: 2 });
    expect(mean(normal)).toBeCloseTo(10, 0);

    const beta = draw({ kind: 'beta', a: 2, b: 6 });
    expect(Math.min(...beta)).toBeGreaterThan(0);
    expect(Math.max(...beta)).toBeLessThan(1);
    expect(mean(beta)).toBeCloseTo(0.25, 1);

    const quantized = draw({ kind: 'q_log_uniform_values', min: 1, max: 100, q: 5 });
    expect(quantized.every((x) => x % 5 === 0)).toBe(true);

    const inv = draw({ kind: 'inv_log_uniform_values', min: 0.01, max: 1 });
    expect(Math.min(...inv)).toBeGreaterThanOrEqual(0.01);
    expect(Math.max(...inv)).toBeLessThanOrEqual(1);

    const weighted = draw({ kind: 'categorical', values: [0, 1], probabilities: [0.9, 0.1] });
    expect(mean(weighted)).toBeCloseTo(0.1, 1);
  });
});
