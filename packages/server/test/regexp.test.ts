import { describe, expect, it } from 'vitest';
import { UserInputError } from '../src/errors';
import { compileRe2, MAX_PROGRAM_SIZE } from '../src/store/re2';
import { compileRegExp } from '../src/store/regexp';

const NO_FLAGS = { i: false, m: false, s: false };

// Patterns whose meaning is the same in RE2 and JS: the matcher must agree with JS RegExp on every text.
const SHARED: string[] = [
  'abc', '^abc', 'abc$', '^$', 'a|b|c', '^(al|ga)', 'a*', 'a+b', 'ab?c', 'a{2}', 'a{2,}', 'a{1,3}b', '(ab)+$',
  '[a-c]+', '[^a-c]', '[ab-]', '[-a]', '\\d+', '\\D', '\\w+$', '\\W', '\\s', '\\S+', '\\bfoo\\b', '\\Bo',
  '.', 'a.c', '(?:ab|cd)e', 'x(a|)y', '()', '(a*)*', '(a|b)*c', '[\\d_]+', '\\.', '\\x41', '\\t',
  'é', '[à-ÿ]+', '😀', '^.$', 'a{0}', '(a{2}){2}', 'colou?r', '^[A-Z][a-z]+\\d*$', 'a\\|b', '[.]', '\\$',
];
const TEXTS = [
  '', 'a', 'abc', 'xabcx', 'ab', 'aab', 'aaab', 'ac', 'abab', 'c', 'b', ']', '-', 'foo bar', 'foobar', 'A1_x',
  'Aé', '\t', ' ', 'x y', 'xy', 'xay', 'color', 'colour', 'Hello42', '😀', 'a.c', 'abx', '$', 'a|b', '☺', 'AAAA',
];

describe('RE2 matcher', () => {
  for (const pattern of SHARED) {
    it(`agrees with JS RegExp on /${pattern}/`, () => {
      const ours = compileRe2(pattern, NO_FLAGS);
      const js = new RegExp(pattern, 'u');
      for (const text of TEXTS) expect([text, ours.test(text)]).toEqual([text, js.test(text)]);
    });
  }

  it('case folding, flags and RE2 semantics where JS differs', () => {
    const t = (p: string, text: string, flags = NO_FLAGS) => compileRe2(p, flags).test(text);
    expect(t('ONE', 'a-one', { ...NO_FLAGS, i: true })).toBe(true);
    expect(t('(?i)^E-', 'e-five')).toBe(true);
    expect(t('a(?i)b', 'aB')).toBe(true);
    expect(t('a(?i)b', 'AB')).toBe(false);
    expect(t('(?i:a)b', 'Ab')).toBe(true);
    expect(t('(?i:a)b', 'AB')).toBe(false);
    expect(t('(?i)[^a]', 'A')).toBe(false);
    expect(t('(?i)é', 'É')).toBe(true);
    // $ is the end of the text without m (JS and Perl also match before a final newline).
    expect(t('a$', 'a\n')).toBe(false);
    expect(t('(?m)a$', 'a\nb')).toBe(true);
    expect(t('^b', 'a\nb')).toBe(false);
    expect(t('^b', 'a\nb', { ...NO_FLAGS, m: true })).toBe(true);
    expect(t('a.b', 'a\nb')).toBe(false);
    expect(t('(?s)a.b', 'a\nb')).toBe(true);
    expect(t('\\Aab\\z', 'ab')).toBe(true);
    expect(t('(?P<x>a)b', 'ab')).toBe(true);
    expect(t('[[:alpha:]]+[[:digit:]]', 'ab1')).toBe(true);
    expect(t('[[:^alpha:]]', 'ab')).toBe(false);
    expect(t('\\pL+', 'héllo')).toBe(true);
    expect(t('\\p{Greek}', 'λ')).toBe(true);
    expect(t('\\PL', 'abc')).toBe(false);
    expect(t('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(t('\\Qa.b\\E', 'axb')).toBe(false);
    expect(t('\\012', '\n')).toBe(true);
    expect(t('\\x{263a}', '☺')).toBe(true);
    expect(t('[]a]', ']')).toBe(true); // a leading ] is literal (in JS, [] is an empty class)
    expect(t('a{,2}', 'a{,2}')).toBe(true); // not a repeat in RE2: literal text
  });

  it('rejects what RE2 rejects, with a reason', () => {
    const bad: [string, RegExp][] = [
      ['(', /missing \)/],
      ['a)', /unexpected \)/],
      ['[a', /missing \]/],
      ['*a', /missing argument/],
      ['a**', /bad repetition/],
      ['(a)\\1', /backreferences/],
      ['(?=a)', /lookaround/],
      ['(?<!a)b', /lookaround/],
      ['\\Z', /invalid escape/],
      ['a{1001}', /invalid repeat count/],
      ['[z-a]', /invalid range/],
      ['\\p{Nope}', /unknown Unicode class/],
      ['((a{1000}){1000})', /pattern too large/],
    ];
    for (const [pattern, reason] of bad) expect(() => compileRe2(pattern, NO_FLAGS), pattern).toThrow(reason);
    expect(() => compileRegExp('(a)\\1')).toThrow(UserInputError);
    expect(() => compileRegExp('a', 'x')).toThrow(/unsupported \$regex option/);
    expect(() => compileRegExp('a'.repeat(20_000))).toThrow(/longer than/);
  });

  it('takes linear time on patterns that make backtracking engines explode', () => {
    // Each takes a backtracking engine seconds on a name of a few dozen characters.
    const re = compileRegExp('^(([a-z])+.)+[A-Z]([a-z])+$');
    expect(compileRegExp('^(\\w+\\s?)*$').test(`${'a'.repeat(10_000)}!`)).toBe(false);
    const text = 'a'.repeat(10_000);
    const started = performance.now();
    for (let k = 0; k < 20; k++) expect(re.test(text)).toBe(false);
    expect(compileRegExp('(a+)+$').test('a'.repeat(5000))).toBe(true);
    expect(compileRegExp('^(a+)+$').test(`${'a'.repeat(5000)}!`)).toBe(false);
    // Generous: the work is ~20 × 10,000 characters × a few dozen instructions.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('bounds the program a pattern may compile to', () => {
    expect(() => compileRe2(`a{1000}b{1000}`, NO_FLAGS)).not.toThrow();
    expect(() => compileRe2('(a{1000}){11}', NO_FLAGS)).toThrow(new RegExp(`at most ${MAX_PROGRAM_SIZE}`));
  });
});
