// Per-attempt hooks for metrics and tracing (`createClient({ hooks })`).
import type { WandbError } from './errors.js';

/** One HTTP attempt as it starts. */
export interface RequestEvent {
  /** The GraphQL operation, when the request is one. */
  readonly operationName: string | undefined;
  /** The HTTP method. */
  readonly method: string;
  /** The URL without query or credentials (signed URLs lose their signature). */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry … */
  readonly attempt: number;
  /** Sent beside an earlier attempt whose body stalled (a hedge): the first to answer wins. */
  readonly hedge?: true;
}

/** One HTTP attempt as it ends (answered or failed). */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status; 0 when no response arrived (refused, reset, timeout). */
  readonly status: number;
  /** From sending to the end of the attempt (headers, and the body when it is read whole), in ms. */
  readonly durationMs: number;
  /** What failed, when the attempt failed (it may still be retried). */
  readonly error: WandbError | undefined;
}

/** Callbacks the client calls once per HTTP attempt; an exception thrown by one is logged and ignored. */
export interface RequestHooks {
  /** Before each attempt is sent. */
  onRequest?(event: RequestEvent): void;
  /** After each attempt, answered or not. */
  onResponse?(event: ResponseEvent): void;
}
