// Shared helpers for integration tests: a fresh in-memory server per test file, and clients with
// short retry timings so failure paths finish quickly.
import { createServer as createNetServer } from 'node:net';
import { type ClientOptions, type Clock, createClient, throwIfAborted, type WandbClient } from '@wandb-api/core';
import { type LocalServer, type StartServerOptions, startServer } from '@wandb-api/server';

export async function startTestServer(options: StartServerOptions = {}): Promise<LocalServer> {
  return startServer({ port: 0, memory: true, seed: 'empty', ...options });
}

/** A client for the server with fast retries; its own env keeps the machine's WANDB_* and netrc out. */
export function testClient(server: { url: string; apiKey: string }, options: ClientOptions = {}): WandbClient {
  return createClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    env: { NETRC: '/nonexistent/netrc' },
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 200,
    maxRetryTimeMs: 5_000,
    ...options,
  });
}

/** Requests the server saw for one GraphQL operation. */
export function requestsFor(server: LocalServer, operationName: string) {
  return server.requests.filter((r) => r.operationName === operationName);
}

/** Runs `call` (a throw counts too) and returns how many requests the server saw meanwhile. */
export async function requestsDuring(server: LocalServer, call: () => unknown): Promise<number> {
  const before = server.requests.length;
  try {
    await call();
  } catch {
    // counted either way: bad input must fail before any request
  }
  return server.requests.length - before;
}

/** A clock tests drive (`createClient({ clock })`): backoff sleeps pass at once, timers fire on `advance`. */
export interface TestClock extends Clock {
  /** Moves time forward, firing the timers that fall due. */
  advance(ms: number): void;
  /** Every backoff the client slept, in ms, in order. */
  readonly sleeps: number[];
  /** Timers set and not yet fired or cleared. */
  readonly pending: number;
  /** The delays (ms) those timers were set with, in the order they were set. */
  readonly delays: number[];
}

/** A TestClock starting at 0. A backoff sleep records its delay and moves time forward by it. */
export function testClock(): TestClock {
  let now = 0;
  let timers: { at: number; ms: number; callback: () => void }[] = [];
  const sleeps: number[] = [];
  const advance = (ms: number) => {
    now += ms;
    for (let due = timers.find((t) => t.at <= now); due; due = timers.find((t) => t.at <= now)) {
      timers = timers.filter((t) => t !== due);
      due.callback();
    }
  };
  return {
    now: () => now,
    async sleep(ms, signal) {
      throwIfAborted(signal);
      sleeps.push(ms);
      advance(ms);
    },
    setTimeout(callback, ms) {
      const timer = { at: now + ms, ms, callback };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t !== handle);
    },
    advance,
    sleeps,
    get pending() {
      return timers.length;
    },
    get delays() {
      return timers.map((t) => t.ms);
    },
  };
}

/** Resolves once `condition` holds (polled every 5 ms; fails the test after 5 s). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A loopback port nothing listens on (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
