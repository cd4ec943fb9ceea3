/**
 * The base URL a client reached the server by, so every URL the server hands out (file `url`s,
 * signed `directUrl`s, upload URLs, parquet exports, manifests) works from where the client stands,
 * also behind a reverse proxy:
 * 1. the configured public URL (StartServerOptions.publicUrl / --public-url), else
 * 2. `X-Forwarded-Proto` / `X-Forwarded-Host` / `X-Forwarded-Port` / `X-Forwarded-Prefix` (the first
 *    value of each; a proxy that sets none but keeps `Host` works too), else
 * 3. the request's `Host` header, else the address the server listens on.
 * Trust model: this is a test server and trusts these headers from anyone, as a server behind a
 * proxy that sets them does. Malformed values are ignored, never copied into a URL.
 */
import type { IncomingMessage } from 'node:http';

/** The path under the API origin where the storage routes are also served (behind a proxy). */
export const STORAGE_MOUNT = '/storage';

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PREFIX = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/;

/** The first value of a (possibly repeated, comma-separated) header. */
function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const head = text?.split(',')[0]?.trim();
  return head ? head : undefined;
}

/** A URL without its trailing slash; an Error naming the option when it is not http(s). */
export function checkPublicUrl(url: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${option} must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
    throw new Error(`${option} must be an http(s) URL without query or fragment, got ${JSON.stringify(url)}`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

/** What a request says about how it was reached. */
export interface RequestBase {
  /** e.g. `https://wandb.example.com/prefix`, no trailing slash. */
  base: string;
  /** The host name alone (no port), as the client wrote it. */
  hostname: string;
  /** Whether a proxy stood between (forwarded headers, or a Host port other than the one listened on). */
  proxied: boolean;
}

/** The base URL of `req` from its forwarded headers or Host; `listening` (http://host:port) when it says nothing usable. */
export function requestBase(req: IncomingMessage, listening: string): RequestBase {
  const own = new URL(listening);
  const forwardedProto = first(req.headers['x-forwarded-proto'])?.toLowerCase();
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : undefined;
  const forwardedHost = first(req.headers['x-forwarded-host']);
  const hostHeader = first(req.headers.host);
  let host = [forwardedHost, hostHeader].find((h) => h !== undefined && HOST.test(h));
  const port = first(req.headers['x-forwarded-port']);
  if (host && forwardedHost && port && /^\d{1,5}$/.test(port) && !/:\d+$/.test(host)) {
    const defaultPort = (proto ?? 'http') === 'https' ? '443' : '80';
    if (port !== defaultPort) host = `${host}:${port}`;
  }
  const prefix = first(req.headers['x-forwarded-prefix'])?.replace(/\/+$/, '');
  const usablePrefix = prefix && PREFIX.test(prefix) && !prefix.split('/').some((p) => p === '.' || p === '..') ? prefix : '';
  const forwarded = proto !== undefined || (forwardedHost !== undefined && host === forwardedHost) || usablePrefix !== '';
  if (!host) return { base: `${proto ?? 'http'}://${own.host}${usablePrefix}`, hostname: own.hostname, proxied: forwarded };
  const url = new URL(`${proto ?? 'http'}://${host}`);
  // Straight to our port: no proxy, whatever name the client used (localhost, 127.0.0.1, a LAN name).
  const direct = !forwarded && (url.port || '80') === (own.port || '80');
  return { base: `${url.protocol}//${url.host}${usablePrefix}`, hostname: url.hostname, proxied: !direct };
}
