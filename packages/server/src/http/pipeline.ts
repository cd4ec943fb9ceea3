/**
 * The request flow both origins share: log → CORS/preflight → route inspects the request (the API
 * reads the body to learn the operation) → faults (before auth) → the route's answer.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { corsHeaders } from './cors';
import type { FaultOutcome, Faults } from './faults';
import { errorReply, reset, send, type Reply } from './reply';
import { newEntry, record, type RequestLogEntry } from './requestLog';

/** What a route learned about a request before faults apply, and how to answer it after. */
export interface Routed {
  operationName?: string | undefined;
  /** The answer; `fault` is the request's fault outcome, for routes that change their answer by it. */
  respond(fault?: FaultOutcome): Reply | Promise<Reply>;
}

export type Route = (req: IncomingMessage, path: string) => Routed | Promise<Routed>;

export interface PipelineDeps {
  origin: RequestLogEntry['origin'];
  faults: Faults;
  requests: RequestLogEntry[];
  /** The most entries `requests` keeps. */
  requestLogLimit: number;
  cors: boolean;
}

export function pipeline(deps: PipelineDeps, route: Route): RequestListener {
  let inFlight = 0;
  return (req, res) => {
    const entry = newEntry(deps.origin, req);
    entry.inFlight = ++inFlight;
    res.once('close', () => inFlight--);
    void handle(deps, route, req, res, entry);
  };
}

async function handle(deps: PipelineDeps, route: Route, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
  record(deps.requests, entry, deps.requestLogLimit);
  const cors = deps.cors ? corsHeaders(req) : {};
  try {
    if (req.method === 'OPTIONS') {
      send(res, entry, { status: 204, headers: cors, body: '' });
      return;
    }
    const routed = await route(req, entry.path);
    if (routed.operationName !== undefined) entry.operationName = routed.operationName;

    const fault = deps.faults.take({ path: entry.path, operationName: routed.operationName });
    if (fault && fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault?.reset) {
      reset(req, entry);
      return;
    }
    const reply =
      fault?.status !== undefined
        ? errorReply(fault.status, fault.message ?? `injected fault: HTTP ${fault.status}`)
        : fault?.html
          ? { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><title>Sign in</title>' }
          : await routed.respond(fault);
    if (fault?.resetAfter) {
      // Processed (a mutation applied), but the client never hears of it.
      reset(req, entry);
      return;
    }
    const headers = { ...cors, ...reply.headers };
    // Like W&B's API, an id per answer for clients to quote to support.
    if (deps.origin === 'api') headers['X-Wandb-Trace-Id'] = randomBytes(16).toString('hex');
    if (fault?.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
    send(res, entry, { ...reply, headers }, fault?.truncate ? 'truncate' : fault?.stall ? 'stall' : undefined);
  } catch (err) {
    if (res.headersSent || res.destroyed) return;
    console.error('[@wandb-api/server] request failed:', err);
    send(res, entry, { ...errorReply(500, `internal server error: ${(err as Error).message}`), headers: { ...cors, 'Content-Type': 'application/json' } });
  }
}
