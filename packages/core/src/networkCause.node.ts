// Why a fetch failed, from the codes Node's fetch (undici) puts deep in the error's `cause`. The
// browser entry has none of this: a browser's fetch says only "Failed to fetch".
import type { NetworkCause } from './config.js';

/**
 * The network cause of a fetch failure, short (`ECONNREFUSED 127.0.0.1:29999`), whether it
 * proves the request never left (refused, DNS, TLS, a port fetch refuses), and whether it was a
 * kept-alive connection the server had closed (httpFetch's `staleConnection`).
 */
export const networkCause: NetworkCause = (error) => {
  const stale = (error as { staleConnection?: boolean } | undefined)?.staleConnection === true;
  let deepest = error as { message?: string; code?: string; cause?: unknown } | undefined;
  while (deepest?.cause && typeof deepest.cause === 'object') deepest = deepest.cause as typeof deepest;
  const code = deepest?.code ?? '';
  const message = String(deepest?.message ?? error).replace(/^(connect|getaddrinfo) /, '');
  return {
    detail: code && !message.includes(code) ? `${code}: ${message}` : message,
    stale,
    unsent: /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$|CERT|TLS|SSL/.test(code) || message === 'bad port',
  };
};
