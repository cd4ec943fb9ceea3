import type { IncomingMessage } from 'node:http';
import type { Store, UserRow } from '../store/store';
import { errorReply, type Reply } from './reply';

/** W&B API-key auth: `Authorization: Basic base64("api:<key>")`; the key is the password. */
export function apiKeyFrom(header: string | undefined): string | undefined {
  const match = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon >= 0 ? decoded.slice(colon + 1) : '';
  return key || undefined;
}

/** Federated identity: `Authorization: Bearer <access token from POST /oidc/token>`. */
export function bearerTokenFrom(header: string | undefined): string | undefined {
  return (header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]) || undefined;
}

/**
 * The user whose API key (or access token) a request carries, or the 401 reply to send: one rule
 * for every route on the API origin (GraphQL, run files, artifact fallback URLs, the file stream).
 */
export function authenticate(store: Store, req: IncomingMessage): { viewer: UserRow } | { reply: Reply } {
  const token = bearerTokenFrom(req.headers.authorization);
  if (token !== undefined) {
    const viewer = store.accessTokens?.viewerOf(token);
    return viewer ? { viewer } : { reply: errorReply(401, 'the access token is invalid or has expired: exchange the identity token again at /oidc/token') };
  }
  const key = apiKeyFrom(req.headers.authorization);
  const viewer = key === undefined ? undefined : store.authenticate(key);
  if (viewer) return { viewer };
  const message = key === undefined ? 'authentication required: send Authorization: Basic base64("api:<API key>")' : 'the API key you provided is invalid';
  return { reply: errorReply(401, message) };
}
