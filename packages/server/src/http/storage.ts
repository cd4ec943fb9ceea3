/**
 * The storage origin: a second port standing in for signed blob URLs. It refuses any request that
 * carries an Authorization header, which is how tests prove W&B credentials never leak to storage.
 */
import type { IncomingMessage } from 'node:http';
import type { Routed } from './pipeline';
import { errorReply } from './reply';

export function storageRoute() {
  return (req: IncomingMessage, path: string): Routed => {
    if (req.headers.authorization !== undefined) {
      return {
        respond: () =>
          errorReply(400, 'credentials must not be sent to storage URLs: this request carried an Authorization header'),
      };
    }
    if (req.method === 'GET' && path.startsWith('/blob/')) {
      const name = decodeURIComponent(path.slice('/blob/'.length));
      return { respond: () => ({ status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: `blob:${name}` }) };
    }
    return { respond: () => errorReply(404, `not found: ${req.method} ${path}`) };
  };
}
