// The one bounded pool (in-process work: its order, bound and stopping rules).
import { describe, expect, it } from 'vitest';
import { AbortError, ValidationError, pool } from '@wandb-api/core';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pool', () => {
  it('yields in input order by default, never running more than `concurrency` workers', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const value of pool([30, 5, 20, 1, 10], async (ms) => {
      peak = Math.max(peak, ++running);
      await delay(ms);
      running--;
      return ms;
    }, { concurrency: 2 })) out.push(value);
    expect(out).toEqual([30, 5, 20, 1, 10]);
    expect(peak).toBe(2);
  });

  it('asks a concurrency function before each start (a limit that adapts)', async () => {
    let running = 0;
    const peaks: number[] = [];
    let limit = 1;
    for await (const _ of pool([5, 5, 5, 5, 5, 5, 5], async (ms) => {
      peaks.push(++running);
      await delay(ms);
      running--;
      limit = 3; // the limit grows once the first work is done
    }, { concurrency: () => limit }));
    expect(peaks[0]).toBe(1);
    expect(Math.max(...peaks)).toBe(3);
  });

  it('with runAhead, the other workers go on while the first item is slow; results still come in order', async () => {
    for (const [runAhead, startedWhileSlow] of [
      [0, [0, 1]],
      [3, [0, 1, 2, 3, 4]],
    ] as const) {
      let release!: () => void;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const started: number[] = [];
      const results = pool([0, 1, 2, 3, 4, 5, 6, 7], async (i) => {
        started.push(i);
        await (i === 0 ? slow : delay(1));
        return i;
      }, { concurrency: 2, runAhead });
      const first = results.next();
      await delay(30);
      // Never more than 2 at work, at most 2 + runAhead results held.
      expect(started).toEqual(startedWhileSlow);
      release();
      const out = [(await first).value];
      for await (const value of results) out.push(value);
      expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    await expect(pool([1], async (x) => x, { concurrency: 1, runAhead: -1 }).next()).rejects.toBeInstanceOf(ValidationError);
  });

  it('unordered, yields as workers finish', async () => {
    const out: number[] = [];
    for await (const value of pool([30, 5], async (ms) => (await delay(ms), ms), { concurrency: 2, ordered: false })) out.push(value);
    expect(out).toEqual([5, 30]);
  });

  it('starts nothing after the caller stops, and aborts the running workers first', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    for await (const value of pool([0, 1, 2, 3, 4], async (i, signal) => {
      started.push(i);
      signal.addEventListener('abort', () => aborted.push(i));
      if (i > 0) await delay(50);
      return i;
    }, { concurrency: 2 })) {
      expect(value).toBe(0);
      break;
    }
    await delay(80);
    expect(started).toEqual([0, 1]);
    expect(aborted).toEqual([1]);
  });

  it("throws the first failure, or AbortError when the caller's signal fires; a bad concurrency is a ValidationError", async () => {
    const failing = pool([1, 2], async (i) => {
      if (i === 2) throw new Error('boom');
      await delay(20);
      return i;
    }, { concurrency: 2 });
    await expect((async () => { for await (const _ of failing); })()).rejects.toThrow('boom');
    const controller = new AbortController();
    const stopped = pool([1], (_, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))), { concurrency: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect((async () => { for await (const _ of stopped); })()).rejects.toBeInstanceOf(AbortError);
    await expect(pool([1], async (i) => i, { concurrency: 0 }).next()).rejects.toBeInstanceOf(ValidationError);
  });
});
