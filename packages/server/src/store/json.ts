/**
 * W&B's JSON dialect. Its writers emit bare NaN, Infinity and -Infinity (and sometimes raw control
 * characters inside strings), which JSON.parse rejects. We keep payload text exactly as the client
 * sent it and derive a strict copy (non-finite numbers → null) for SQLite's JSON functions, which
 * reject NaN too.
 */
import { UserInputError } from '../errors';

/** Parses W&B JSON: standard JSON plus bare NaN/Infinity/-Infinity and raw control characters in strings. */
export function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return new LenientParser(text).parseDocument();
  }
}

const NON_FINITE = '\u0000wandb-nonfinite:';

/**
 * Serialises like W&B's writers: non-finite numbers become bare NaN / Infinity / -Infinity. Native
 * JSON.stringify does the work (a replacer marks non-finite numbers, which are unquoted after), so
 * it is fast enough for whole responses and million-row seeds.
 */
export function stringifyLenient(value: unknown): string {
  let found = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number' || Number.isFinite(v)) return v;
    found = true;
    return NON_FINITE + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
  }) as string | undefined;
  if (text === undefined) return 'null';
  return found ? text.replace(/"\\u0000wandb-nonfinite:(NaN|-?Infinity)"/g, '$1') : text;
}

/**
 * Serialises a whole HTTP answer. W&B's own clients decode the envelope with strict JSON parsers
 * (wandb-core uses Go's encoding/json), so non-finite numbers inside JSON-typed values such as
 * sampledHistory rows go out as the strings "NaN", "Infinity" and "-Infinity"; history lines,
 * which are JSON *strings*, keep their bare tokens.
 */
export function stringifyWire(value: unknown): string {
  // A replacer costs a JS call per value (most of a 500-run page's serialisation time); answers
  // rarely hold a non-finite number, so look for one first and use the native path without it.
  if (!mayHoldNonFinite(value)) return JSON.stringify(value) ?? 'null';
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v !== 'number' || Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity',
  ) ?? 'null';
}

/** True when `value` holds a non-finite number at any depth, or an object with toJSON (which could produce one). */
function mayHoldNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  if (Array.isArray(value)) {
    for (const v of value) if (mayHoldNonFinite(v)) return true;
    return false;
  }
  for (const k in value) if (mayHoldNonFinite((value as Record<string, unknown>)[k])) return true;
  return false;
}

/** A JSON object payload in both forms: `raw` as given, `strict` for SQL (non-finite numbers → null). */
export interface ObjectPayload {
  raw: string;
  strict: string;
  value: Record<string, unknown>;
}

/** Checks that `text` is a (lenient) JSON object; `what` names the field in the error. */
export function objectPayload(text: string, what: string): ObjectPayload {
  let value: unknown;
  try {
    value = parseLenient(text);
  } catch (err) {
    throw new UserInputError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserInputError(`${what} must be a JSON object`);
  }
  return { raw: text, strict: JSON.stringify(value), value: value as Record<string, unknown> };
}

/** Builds both forms from a JS value (which may hold NaN/Infinity). */
export function payloadFromValue(value: Record<string, unknown>): ObjectPayload {
  return { raw: stringifyLenient(value), strict: JSON.stringify(value), value };
}

class LenientParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected trailing characters');
    return value;
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} at position ${this.pos}`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (this.text.startsWith('NaN', this.pos)) return this.word('NaN', NaN);
    if (this.text.startsWith('Infinity', this.pos)) return this.word('Infinity', Infinity);
    if (this.text.startsWith('-Infinity', this.pos)) return this.word('-Infinity', -Infinity);
    if (this.text.startsWith('true', this.pos)) return this.word('true', true);
    if (this.text.startsWith('false', this.pos)) return this.word('false', false);
    if (this.text.startsWith('null', this.pos)) return this.word('null', null);
    return this.number();
  }

  private word<T>(word: string, value: T): T {
    this.pos += word.length;
    return value;
  }

  private number(): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!match) this.fail('unexpected token');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private string(): string {
    // Find the closing quote, then let JSON.parse decode escapes; raw control characters are escaped first.
    const start = this.pos;
    this.pos++;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') break;
      else this.pos++;
    }
    if (this.pos >= t.length) this.fail('unterminated string');
    this.pos++;
    const literal = t.slice(start, this.pos).replace(/[\u0000-\u001f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return JSON.parse(literal) as string;
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      out[key] = this.value();
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }
}
