/**
 * Injected failures for reliability tests and benchmarks. Every matching rule applies in order:
 * latencies add up, and the first rule with an outcome (reset, resetAfter, status, truncate, stall, html)
 * decides the answer.
 * `rate` draws from a seeded PRNG so a test sees the same sequence every run.
 */
import { Random } from '../random';

/** One injected fault: what to do to matching requests, how often and how many times. */
export interface FaultRule {
  /** Answer with this status (and a small JSON error body) instead of handling the request. */
  status?: number;
  /** The error message of the injected status's body (default `injected fault: HTTP <status>`), e.g. a GraphQL validation error to act as an older server. */
  message?: string;
  /** Seconds, sent as Retry-After. Without `status` it implies 429. */
  retryAfter?: number;
  /** Delay before answering (or before the other outcome). */
  latencyMs?: number;
  /** Destroy the socket without answering (the request is not processed). */
  reset?: boolean;
  /** Process the request (a mutation is applied), then destroy the socket without answering. */
  resetAfter?: boolean;
  /** Send the headers and half the body, then destroy the socket. */
  truncate?: boolean;
  /** Send the headers and half the body, then nothing more: the connection stays open, silent. */
  stall?: boolean;
  /** Answer 200 with an HTML page, as a proxy or a web app does where the API should be. */
  html?: boolean;
  /** Probability in 0..1 that a matching request is hit; default 1. */
  rate?: number;
  /** Apply at most this many times, then the rule is spent. */
  count?: number;
  /** Only requests running this GraphQL operation. */
  operationName?: string;
  /** Request path; default '/graphql'. A trailing '*' matches a prefix ('/blob/*'). */
  path?: string;
  /**
   * Answer GraphQL with every `pageInfo.endCursor` null while the edges keep their cursors, as some
   * W&B-compatible servers do. Applies with the other rules (it decides no outcome of its own).
   */
  nullEndCursor?: boolean;
  /**
   * Run GraphQL documents without these arguments wherever they pass them, as a server that ignores
   * them would: `['after']` pages from the start every time, `['first']` uses its own page size.
   * Applies with the other rules.
   */
  ignoreArguments?: readonly string[];
}

export interface FaultOutcome {
  latencyMs: number;
  status?: number;
  message?: string;
  retryAfter?: number;
  reset: boolean;
  resetAfter: boolean;
  truncate: boolean;
  stall: boolean;
  html: boolean;
  /** GraphQL answers get null endCursors (FaultRule.nullEndCursor). */
  nullEndCursor: boolean;
  /** Arguments GraphQL documents run without (FaultRule.ignoreArguments). */
  ignoreArguments: readonly string[];
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/**
 * The fault rules of a running server.
 * @example
 * server.faults.add({ status: 503, count: 2, path: '/graphql' });
 */
export class Faults {
  private active: ActiveRule[] = [];
  private random: Random;

  constructor(rules: readonly FaultRule[] = [], seed = 1) {
    this.random = new Random(seed);
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule; it applies to the next matching requests. */
  add(rule: FaultRule): void {
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError('fault rate must be in 0..1');
    this.active.push({ rule: { ...rule }, remaining: rule.count ?? Infinity });
  }

  /** Removes every rule. */
  clear(): void {
    this.active = [];
  }

  /** The rules still in force (spent ones are dropped). */
  get rules(): readonly FaultRule[] {
    return this.active.map((a) => a.rule);
  }

  /** Restarts the `rate` sequence, for tests that need a known draw order. */
  reseed(seed: number): void {
    this.random = new Random(seed);
  }

  /** Consumes the rules that hit this request; undefined when none does. */
  take(request: { path: string; operationName?: string | undefined }): FaultOutcome | undefined {
    let outcome: FaultOutcome | undefined;
    for (const active of [...this.active]) {
      const { rule } = active;
      if (!pathMatches(rule.path ?? '/graphql', request.path)) continue;
      if (rule.operationName !== undefined && rule.operationName !== request.operationName) continue;
      if (rule.rate !== undefined && rule.rate < 1 && this.random.next() >= rule.rate) continue;
      if (--active.remaining <= 0) this.active.splice(this.active.indexOf(active), 1);
      outcome ??= { latencyMs: 0, reset: false, resetAfter: false, truncate: false, stall: false, html: false, nullEndCursor: false, ignoreArguments: [] };
      outcome.latencyMs += rule.latencyMs ?? 0;
      outcome.nullEndCursor ||= rule.nullEndCursor ?? false;
      outcome.ignoreArguments = [...outcome.ignoreArguments, ...(rule.ignoreArguments ?? [])];
      if (rule.reset || rule.resetAfter || rule.status !== undefined || rule.truncate || rule.stall || rule.html || rule.retryAfter !== undefined) {
        outcome.reset = rule.reset ?? false;
        outcome.resetAfter = rule.resetAfter ?? false;
        outcome.truncate = rule.truncate ?? false;
        outcome.stall = rule.stall ?? false;
        outcome.html = rule.html ?? false;
        if (rule.status !== undefined || rule.retryAfter !== undefined) outcome.status = rule.status ?? 429;
        if (rule.retryAfter !== undefined) outcome.retryAfter = rule.retryAfter;
        if (rule.message !== undefined) outcome.message = rule.message;
        break;
      }
    }
    return outcome;
  }
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}
