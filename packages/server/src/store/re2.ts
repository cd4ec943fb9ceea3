/**
 * A linear-time matcher for RE2 syntax (the dialect W&B's Go backend gives `$regex`): a parser to
 * a small tree, a compiler to a Thompson NFA, and a set simulation over the text (Pike's VM without
 * captures, since a filter only asks "does it match"). Every step visits each instruction at most
 * once, so a match costs at most O(program size × text length) whatever the pattern: `(a+)+$`
 * cannot backtrack, because nothing does. As in RE2, backreferences and lookaround do not exist.
 */

/** Why a pattern was rejected; the caller turns it into a 400. */
export class RegexSyntaxError extends Error {}

/** Flags in effect while parsing; RE2's `U` (ungreedy) changes no match/no-match answer. */
export interface RegexFlags {
  /** Case-insensitive. */
  i: boolean;
  /** `^` and `$` also match at line breaks. */
  m: boolean;
  /** `.` also matches `\n`. */
  s: boolean;
}

/** Larger programs are rejected: matching costs up to program size per character of text. */
export const MAX_PROGRAM_SIZE = 10_000;
/** RE2's limit on `{n,m}` counts. */
const MAX_REPEAT = 1000;
/** Parenthesis nesting (the parser and compiler recurse on it). */
const MAX_NESTING = 200;

/** One character test: ranges and predicates (unions), then negation; folded tests try both cases. */
interface CharTest {
  ranges: number[]; // flat [lo, hi, lo, hi, …], inclusive
  preds: ((c: number) => boolean)[];
  negated: boolean;
  fold: boolean;
}

type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'wordb' | 'nwordb';

type Node =
  | { t: 'empty' }
  | { t: 'char'; test: CharTest }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }; // max -1: unbounded

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 9 || c === 10 || c === 12 || c === 13 || c === 32;

const PERL_CLASSES: Record<string, (c: number) => boolean> = { d: isDigit, w: isWord, s: isSpace };

const POSIX_CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  ascii: (c) => c <= 0x7f,
  blank: (c) => c === 9 || c === 32,
  cntrl: (c) => c <= 0x1f || c === 0x7f,
  digit: isDigit,
  graph: (c) => c >= 0x21 && c <= 0x7e,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 0x20 && c <= 0x7e,
  punct: (c) => (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e),
  space: (c) => isSpace(c) || c === 11,
  upper: (c) => c >= 65 && c <= 90,
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** `\pL`, `\p{Greek}`: a general category or a script, tested one character at a time by JS's tables. */
function unicodeClass(name: string): (c: number) => boolean {
  if (name === 'Any') return () => true;
  const source = /^[A-Z][a-z]?$/.test(name) ? `^\\p{${name}}$` : `^\\p{Script=${name}}$`;
  let re: RegExp;
  try {
    re = new RegExp(source, 'u');
  } catch {
    throw new RegexSyntaxError(`unknown Unicode class \\p{${name}}`);
  }
  return (c) => re.test(String.fromCodePoint(c));
}

const negate = (f: (c: number) => boolean) => (c: number) => !f(c);

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private flags: RegexFlags,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.pos < this.src.length) throw new RegexSyntaxError(`unexpected ) at offset ${this.pos}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const saved = { ...this.flags }; // inline flags like (?i) last to the end of the group
    const items = [this.concatenation()];
    while (this.peek() === '|') {
      this.pos++;
      items.push(this.concatenation());
    }
    this.flags = saved;
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) {
      const atom = this.atom();
      if (atom) items.push(this.repetitions(atom));
    }
    return items.length === 0 ? { t: 'empty' } : items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
  }

  /** One atom, or undefined for a construct that only changed flags. */
  private atom(): Node | undefined {
    const ch = this.src[this.pos] as string;
    switch (ch) {
      case '(':
        return this.group();
      case '.':
        this.pos++;
        return { t: 'char', test: { ranges: this.flags.s ? [] : [10, 10], preds: [], negated: true, fold: false } };
      case '^':
        this.pos++;
        return { t: 'assert', kind: this.flags.m ? 'bol' : 'bot' };
      case '$':
        this.pos++;
        return { t: 'assert', kind: this.flags.m ? 'eol' : 'eot' };
      case '[':
        return { t: 'char', test: this.bracket() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new RegexSyntaxError(`missing argument to repetition operator ${ch}`);
      case '{':
        if (this.repeatBounds(this.pos)) throw new RegexSyntaxError('missing argument to repetition operator {');
        this.pos++;
        return this.literal(123);
      default: {
        const c = this.src.codePointAt(this.pos) as number;
        this.pos += c > 0xffff ? 2 : 1;
        return this.literal(c);
      }
    }
  }

  private literal(c: number): Node {
    return { t: 'char', test: { ranges: [c, c], preds: [], negated: false, fold: this.flags.i } };
  }

  private group(): Node | undefined {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1);
      if (/^(?:=|!|<=|<!)/.test(rest)) throw new RegexSyntaxError('lookaround (?=, (?!, (?<=, (?<!) is not supported (RE2 syntax)');
      if (rest.startsWith('P=')) throw new RegexSyntaxError('backreferences are not supported (RE2 syntax)');
      const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        this.pos += 1 + named[0].length;
        return this.groupBody(start);
      }
      // (?:…), (?i), (?i-s:…); flags only in RE2's set.
      const flagged = /^([imsU]*(?:-[imsU]+)?)([:)])/.exec(rest);
      if (!flagged || (flagged[1] === '' && flagged[2] === ')')) throw new RegexSyntaxError(`invalid or unsupported group syntax at offset ${start}`);
      this.pos += 1 + flagged[0].length;
      const flags = this.applyFlags(flagged[1] as string);
      if (flagged[2] === ')') {
        this.flags = flags; // (?i): for the rest of the enclosing group
        return undefined;
      }
      const outer = this.flags;
      this.flags = flags;
      const node = this.groupBody(start);
      this.flags = outer;
      return node;
    }
    return this.groupBody(start);
  }

  private applyFlags(spec: string): RegexFlags {
    const flags = { ...this.flags };
    let on = true;
    for (const f of spec) {
      if (f === '-') on = false;
      else if (f === 'i' || f === 'm' || f === 's') flags[f] = on;
    }
    return flags;
  }

  private groupBody(start: number): Node {
    if (++this.depth > MAX_NESTING) throw new RegexSyntaxError(`groups nested more than ${MAX_NESTING} deep`);
    const node = this.alternation();
    this.depth--;
    if (this.peek() !== ')') throw new RegexSyntaxError(`missing ) for the group at offset ${start}`);
    this.pos++;
    return node;
  }

  /** `{n}`, `{n,}` or `{n,m}` at `at`, or undefined when the text there is not one (then `{` is literal, as in RE2). */
  private repeatBounds(at: number): { min: number; max: number; length: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(at, at + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max !== -1 && max < min)) throw new RegexSyntaxError(`invalid repeat count ${m[0]} (at most ${MAX_REPEAT})`);
    return { min, max, length: m[0].length };
  }

  private repetitions(atom: Node): Node {
    let node = atom;
    let last: string | undefined;
    for (;;) {
      const ch = this.peek();
      let min: number;
      let max: number;
      let length = 1;
      if (ch === '*') [min, max] = [0, -1];
      else if (ch === '+') [min, max] = [1, -1];
      else if (ch === '?') [min, max] = [0, 1];
      else if (ch === '{') {
        const bounds = this.repeatBounds(this.pos);
        if (!bounds) return node;
        ({ min, max, length } = bounds);
      } else return node;
      // RE2 rejects a repetition of a repetition (`a**`), but allows one lazy `?`.
      if (last !== undefined) throw new RegexSyntaxError(`bad repetition operator ${last}${ch}`);
      last = ch;
      this.pos += length;
      if (this.peek() === '?') this.pos++; // lazy: same matches
      node = { t: 'rep', node, min, max };
    }
  }

  private escape(): Node {
    const start = this.pos;
    this.pos++; // backslash
    const ch = this.peek();
    if (ch === undefined) throw new RegexSyntaxError('trailing backslash');
    switch (ch) {
      case 'A':
        this.pos++;
        return { t: 'assert', kind: 'bot' };
      case 'z':
        this.pos++;
        return { t: 'assert', kind: 'eot' };
      case 'b':
        this.pos++;
        return { t: 'assert', kind: 'wordb' };
      case 'B':
        this.pos++;
        return { t: 'assert', kind: 'nwordb' };
      case 'Q': {
        const end = this.src.indexOf('\\E', this.pos + 1);
        const text = this.src.slice(this.pos + 1, end === -1 ? undefined : end);
        this.pos = end === -1 ? this.src.length : end + 2;
        const items = [...text].map((s) => this.literal(s.codePointAt(0) as number));
        return items.length === 0 ? { t: 'empty' } : items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
      }
    }
    this.pos = start;
    return { t: 'char', test: this.classEscapeOrChar(false) };
  }

  /** A backslash escape that stands for one character or a class (inside or outside brackets). */
  private classEscapeOrChar(inBracket: boolean): CharTest {
    this.pos++; // backslash
    const ch = this.src[this.pos] as string;
    const fold = this.flags.i;
    const single = (c: number): CharTest => ({ ranges: [c, c], preds: [], negated: false, fold });
    const lower = ch.toLowerCase();
    if (lower === 'd' || lower === 'w' || lower === 's') {
      this.pos++;
      const pred = PERL_CLASSES[lower] as (c: number) => boolean;
      return { ranges: [], preds: [ch === lower ? pred : negate(pred)], negated: false, fold: false };
    }
    if (ch === 'p' || ch === 'P') {
      this.pos++;
      let name: string;
      if (this.peek() === '{') {
        const end = this.src.indexOf('}', this.pos);
        if (end === -1) throw new RegexSyntaxError('missing } in \\p{…}');
        name = this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else {
        name = this.src[this.pos] ?? '';
        if (!name) throw new RegexSyntaxError('missing class name after \\p');
        this.pos++;
      }
      let neg = ch === 'P';
      if (name.startsWith('^')) [name, neg] = [name.slice(1), !neg];
      const pred = unicodeClass(name);
      return { ranges: [], preds: [neg ? negate(pred) : pred], negated: false, fold: false };
    }
    if (ch === 'x') {
      const m = /^x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.src.slice(this.pos));
      if (!m) throw new RegexSyntaxError('invalid \\x escape: use \\x41 or \\x{10FFFF}');
      const c = parseInt((m[1] ?? m[2]) as string, 16);
      if (c > 0x10ffff) throw new RegexSyntaxError('\\x{…} beyond U+10FFFF');
      this.pos += m[0].length;
      return single(c);
    }
    if (ch >= '0' && ch <= '7') {
      // RE2: \0, \012 are octal; a lone \1–\7 would be a backreference.
      const m = /^[0-7]{1,3}/.exec(this.src.slice(this.pos)) as RegExpExecArray;
      if (ch !== '0' && m[0].length === 1) throw new RegexSyntaxError('backreferences are not supported (RE2 syntax)');
      this.pos += m[0].length;
      return single(parseInt(m[0], 8));
    }
    if (ch === '8' || ch === '9') throw new RegexSyntaxError('backreferences are not supported (RE2 syntax)');
    if (ch in SIMPLE_ESCAPES) {
      this.pos++;
      return single(SIMPLE_ESCAPES[ch] as number);
    }
    // Any punctuation may be escaped; letters and digits only as above (RE2 rejects \Z, \k, \y …).
    const c = this.src.codePointAt(this.pos) as number;
    if (c < 0x80 && !/[A-Za-z0-9]/.test(ch)) {
      this.pos++;
      return single(c);
    }
    throw new RegexSyntaxError(`invalid escape \\${ch}${inBracket ? ' in a character class' : ''}`);
  }

  private bracket(): CharTest {
    const start = this.pos;
    this.pos++; // [
    const test: CharTest = { ranges: [], preds: [], negated: false, fold: this.flags.i };
    if (this.peek() === '^') {
      test.negated = true;
      this.pos++;
    }
    let first = true;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new RegexSyntaxError(`missing ] for the class at offset ${start}`);
      if (ch === ']' && !first) {
        this.pos++;
        return test;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos, this.pos + 12));
      if (posix) {
        const pred = POSIX_CLASSES[posix[2] as string];
        if (!pred) throw new RegexSyntaxError(`unknown POSIX class [:${posix[2]}:]`);
        test.preds.push(posix[1] ? negate(pred) : pred);
        this.pos += posix[0].length;
        continue;
      }
      const lo = this.classChar(test);
      if (lo === undefined) continue;
      // A range a-z; a '-' before ']' is literal.
      if (this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.src[this.pos + 1] !== undefined) {
        this.pos++;
        const hi = this.classChar(test);
        if (hi === undefined) throw new RegexSyntaxError('a class like \\d cannot end a range');
        if (hi < lo) throw new RegexSyntaxError(`invalid range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`);
        test.ranges.push(lo, hi);
      } else test.ranges.push(lo, lo);
    }
  }

  /** One character in brackets, or undefined after adding a class escape such as \d to `test`. */
  private classChar(test: CharTest): number | undefined {
    if (this.peek() === '\\') {
      const inner = this.classEscapeOrChar(true);
      if (inner.preds.length > 0) {
        test.preds.push(...inner.preds);
        return undefined;
      }
      return inner.ranges[0] as number;
    }
    const c = this.src.codePointAt(this.pos) as number;
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }
}

// ---- program

const Op = { Char: 0, Split: 1, Jmp: 2, Assert: 3, Match: 4 } as const;
type Op = (typeof Op)[keyof typeof Op];

interface Inst {
  op: Op;
  x: number; // next (Char, Jmp, Assert) or first branch (Split)
  y: number; // second branch (Split)
  test?: CharTest;
  kind?: AssertKind;
}

/** Instructions a node compiles to, computed before expanding repeats so huge counts fail fast. */
function size(node: Node): number {
  switch (node.t) {
    case 'empty':
      return 0;
    case 'char':
    case 'assert':
      return 1;
    case 'cat':
      return node.items.reduce((n, item) => n + size(item), 0);
    case 'alt':
      return node.items.reduce((n, item) => n + size(item) + 2, 0);
    case 'rep': {
      const s = size(node.node);
      return s * node.min + (node.max === -1 ? s + 2 : (s + 1) * (node.max - node.min));
    }
  }
}

class Compiler {
  readonly prog: Inst[] = [];

  private emit(inst: Inst): number {
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  compile(node: Node): void {
    switch (node.t) {
      case 'empty':
        return;
      case 'char':
        this.emit({ op: Op.Char, x: this.prog.length + 1, y: 0, test: node.test });
        return;
      case 'assert':
        this.emit({ op: Op.Assert, x: this.prog.length + 1, y: 0, kind: node.kind });
        return;
      case 'cat':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt': {
        // split L1, next; L1: a; jmp end; next: split L2, … ; last: z
        const jumps: number[] = [];
        node.items.forEach((item, i) => {
          if (i < node.items.length - 1) {
            const split = this.emit({ op: Op.Split, x: this.prog.length + 1, y: 0 });
            this.compile(item);
            jumps.push(this.emit({ op: Op.Jmp, x: 0, y: 0 }));
            (this.prog[split] as Inst).y = this.prog.length;
          } else this.compile(item);
        });
        for (const j of jumps) (this.prog[j] as Inst).x = this.prog.length;
        return;
      }
      case 'rep': {
        const { min, max } = node;
        for (let i = 0; i < min; i++) this.compile(node.node);
        if (max === -1) {
          // L: split body, end; body; jmp L
          const split = this.emit({ op: Op.Split, x: this.prog.length + 1, y: 0 });
          this.compile(node.node);
          this.emit({ op: Op.Jmp, x: split, y: 0 });
          (this.prog[split] as Inst).y = this.prog.length;
          return;
        }
        // Optional copies nested: (x(x(x)?)?)?
        const splits: number[] = [];
        for (let i = min; i < max; i++) {
          splits.push(this.emit({ op: Op.Split, x: this.prog.length + 1, y: 0 }));
          this.compile(node.node);
        }
        for (const s of splits) (this.prog[s] as Inst).y = this.prog.length;
        return;
      }
    }
  }
}

/** The lower- and upper-case forms of c (c itself where a case change is not one character). */
function foldedVariants(c: number): [number, number] {
  if (c < 128) {
    if (c >= 65 && c <= 90) return [c + 32, c];
    if (c >= 97 && c <= 122) return [c, c - 32];
    return [c, c];
  }
  const one = (s: string): number => (s.length === 1 || (s.length === 2 && (s.codePointAt(0) as number) > 0xffff) ? (s.codePointAt(0) as number) : c);
  const s = String.fromCodePoint(c);
  return [one(s.toLowerCase()), one(s.toUpperCase())];
}

function inTest(test: CharTest, c: number): boolean {
  const { ranges, preds } = test;
  for (let k = 0; k < ranges.length; k += 2) if (c >= (ranges[k] as number) && c <= (ranges[k + 1] as number)) return true;
  for (const p of preds) if (p(c)) return true;
  return false;
}

function charMatches(test: CharTest, c: number, lower: number, upper: number): boolean {
  const hit = inTest(test, c) || (test.fold && ((lower !== c && inTest(test, lower)) || (upper !== c && inTest(test, upper))));
  return hit !== test.negated;
}

/** A compiled pattern; `test` answers whether it matches anywhere in the text. */
export interface Re2Pattern {
  readonly source: string;
  test(text: string): boolean;
}

/** Parses and compiles an RE2 pattern; throws RegexSyntaxError for bad or unsupported syntax, or a program too large. */
export function compileRe2(source: string, flags: RegexFlags): Re2Pattern {
  const tree = new Parser(source, { ...flags }).parse();
  const estimate = size(tree);
  if (estimate > MAX_PROGRAM_SIZE) throw new RegexSyntaxError(`pattern too large (${estimate} instructions; at most ${MAX_PROGRAM_SIZE})`);
  const compiler = new Compiler();
  compiler.compile(tree);
  compiler.prog.push({ op: Op.Match, x: 0, y: 0 });
  const prog = compiler.prog;
  return { source, test: (text) => run(prog, text) };
}

/** The set simulation: `clist` holds the Char instructions alive before the current character. */
function run(prog: readonly Inst[], text: string): boolean {
  const n = prog.length;
  let clist = new Int32Array(n);
  let nlist = new Int32Array(n);
  let ccount = 0;
  let ncount = 0;
  const seen = new Int32Array(n); // generation stamps: an instruction enters a list once per step
  const stack = new Int32Array(2 * n + 1); // each instruction is expanded once per step and pushes at most two
  let generation = 0;

  // Context for assertions at the current position: the previous and the next character (-1 at the edges).
  let prev = -1;
  let next = -1;
  const assertHolds = (kind: AssertKind): boolean => {
    switch (kind) {
      case 'bot':
        return prev === -1;
      case 'eot':
        return next === -1;
      case 'bol':
        return prev === -1 || prev === 10;
      case 'eol':
        return next === -1 || next === 10;
      case 'wordb':
        return (prev !== -1 && isWord(prev)) !== (next !== -1 && isWord(next));
      case 'nwordb':
        return (prev !== -1 && isWord(prev)) === (next !== -1 && isWord(next));
    }
  };
  /** Adds pc and everything reachable without consuming a character to nlist; true on reaching Match. */
  const add = (pc: number): boolean => {
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const at = stack[--sp] as number;
      if (seen[at] === generation) continue;
      seen[at] = generation;
      const inst = prog[at] as Inst;
      switch (inst.op) {
        case Op.Match:
          return true;
        case Op.Char:
          nlist[ncount++] = at;
          break;
        case Op.Jmp:
          stack[sp++] = inst.x;
          break;
        case Op.Split:
          stack[sp++] = inst.y;
          stack[sp++] = inst.x;
          break;
        case Op.Assert:
          if (assertHolds(inst.kind as AssertKind)) stack[sp++] = inst.x;
          break;
      }
    }
    return false;
  };

  let i = 0;
  next = text.length > 0 ? (text.codePointAt(0) as number) : -1;
  generation++;
  if (add(0)) return true;
  for (;;) {
    [clist, nlist] = [nlist, clist];
    ccount = ncount;
    ncount = 0;
    if (next === -1) return false;
    const c = next;
    const [lower, upper] = foldedVariants(c);
    i += c > 0xffff ? 2 : 1;
    prev = c;
    next = i < text.length ? (text.codePointAt(i) as number) : -1;
    generation++;
    for (let k = 0; k < ccount; k++) {
      const inst = prog[clist[k] as number] as Inst;
      if (charMatches(inst.test as CharTest, c, lower, upper) && add(inst.x)) return true;
    }
    // Unanchored search: a match may also start here.
    if (add(0)) return true;
  }
}
