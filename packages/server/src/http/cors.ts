/**
 * CORS for browser clients. The Origin is echoed (with Vary) so requests work with or without
 * credentials mode; Authorization must be listed explicitly, a wildcard does not cover it.
 * Retry-After is exposed so browser clients can honour it.
 */
import type { IncomingMessage } from 'node:http';

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'User-Agent', 'Use-Admin-Privileges', 'X-WANDB-USERNAME', 'X-WANDB-USER-EMAIL'];

export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  const allowed = new Set(ALLOWED_HEADERS);
  // Also allow whatever extra headers the client declares (W&B clients can add custom ones).
  if (requested) for (const h of requested.split(',')) if (h.trim()) allowed.add(h.trim());
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
    'Access-Control-Allow-Headers': [...allowed].join(', '),
    'Access-Control-Expose-Headers': 'Retry-After, Content-Length, Content-Range, ETag, X-Wandb-Trace-Id',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
