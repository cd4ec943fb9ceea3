import { describe, expect, it } from 'vitest';
import { parseJson, parseJsonObject, stringifyJson, unwrapConfig, wrapConfig } from '@wandb-api/core';

describe('tolerant JSON', () => {
  it('reads bare NaN, Infinity and -Infinity as numbers', () => {
    const value = parseJson('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [1, NaN], "e": "NaN inside a string"}') as Record<string, unknown>;
    expect(value.a).toBeNaN();
    expect(value.b).toBe(Number.POSITIVE_INFINITY);
    expect(value.c).toBe(Number.NEGATIVE_INFINITY);
    expect((value.d as number[])[1]).toBeNaN();
    expect(value.e).toBe('NaN inside a string');
  });

  it('keeps escaped quotes and tolerates raw control characters in strings', () => {
    expect(parseJson('{"q": "say \\"Infinity\\"", "t": "a\tb"}')).toEqual({ q: 'say "Infinity"', t: 'a\tb' });
  });

  it('still rejects real garbage', () => {
    expect(() => parseJson('{"a": }')).toThrow();
  });

  it('parseJsonObject gives {} for null, empty and non-objects', () => {
    expect(parseJsonObject(null)).toEqual({});
    expect(parseJsonObject('')).toEqual({});
    expect(parseJsonObject('[1]')).toEqual({});
    expect(parseJsonObject('{"x":1}')).toEqual({ x: 1 });
  });

  it('writes non-finite numbers as bare tokens and round-trips them', () => {
    const text = stringifyJson({ loss: Number.NaN, best: Number.POSITIVE_INFINITY, worst: -Infinity, ok: 1 });
    expect(text).toBe('{"loss":NaN,"best":Infinity,"worst":-Infinity,"ok":1}');
    const back = parseJson(text) as Record<string, number>;
    expect(back.loss).toBeNaN();
    expect(back.best).toBe(Infinity);
    expect(stringifyJson({ s: 'NaN' })).toBe('{"s":"NaN"}');
  });
});

describe('config unwrapping', () => {
  it('unwraps {value, desc} once and hides W&B internal keys from config', () => {
    const { config, rawConfig } = unwrapConfig({
      lr: { value: 0.1, desc: null },
      optimizer: { value: { name: 'adam', value: 3 }, desc: 'opt' },
      plain: 5,
      _wandb: { value: { cli_version: '0.28' } },
      wandb_version: 1,
    });
    expect(config).toEqual({ lr: 0.1, optimizer: { name: 'adam', value: 3 }, plain: 5 });
    expect(rawConfig._wandb).toEqual({ cli_version: '0.28' });
    expect(rawConfig.wandb_version).toBe(1);
  });

  it('wraps back every key', () => {
    expect(wrapConfig({ lr: 0.1 })).toEqual({ lr: { value: 0.1, desc: null } });
  });
});
