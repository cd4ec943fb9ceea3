import { describe, expect, it } from 'vitest';
import { objectPayload, parseLenient, stringifyLenient } from '../src/store/json';

describe('W&B JSON', () => {
  it('parses bare NaN/Infinity and raw control characters', () => {
    expect(parseLenient('{"a": NaN, "b": [Infinity, -Infinity], "c": "x\ty", "d": -1.5e3, "e": null}')).toEqual({
      a: NaN, b: [Infinity, -Infinity], c: 'x\ty', d: -1500, e: null,
    });
    expect(() => parseLenient('{"a": nan}')).toThrow(SyntaxError);
    expect(() => parseLenient('{"a": 1} x')).toThrow(SyntaxError);
  });

  it('writes non-finite numbers as bare tokens', () => {
    expect(stringifyLenient({ a: NaN, b: [Infinity, -Infinity, 1], c: { d: 'x' }, u: undefined })).toBe('{"a":NaN,"b":[Infinity,-Infinity,1],"c":{"d":"x"}}');
  });

  it('keeps raw text and derives a strict copy', () => {
    const p = objectPayload('{"a": NaN, "b": 2}', 'summary');
    expect(p.raw).toBe('{"a": NaN, "b": 2}');
    expect(p.strict).toBe('{"a":null,"b":2}');
    expect(() => objectPayload('[]', 'summary')).toThrow(/must be a JSON object/);
  });
});
