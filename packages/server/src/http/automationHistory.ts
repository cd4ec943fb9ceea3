/**
 * `GET /_automations/executions[?entity=<name>][&automation=<name>]` on the API origin: the execution
 * history of automations (what fired, what was sent, what the webhook answered) as a JSON list, oldest
 * first. W&B's API has no such read; this server adds it so webhook receivers and automation
 * definitions can be tested locally. Any API key may ask; it sees the entities it belongs to (a server
 * admin: all of them), and naming another entity is a 403.
 */
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/store';
import { canReadEntity } from '../store/triggers';
import { toExecution, triggerExecutions } from '../store/triggerExecutions';
import { authenticate } from './auth';
import type { Routed } from './pipeline';
import { errorReply, json } from './reply';

/** Where the history is served. */
export const EXECUTIONS_PATH = '/_automations/executions';

export function executionsRoute(store: Store, req: IncomingMessage): Routed {
  return {
    respond: () => {
      if (req.method !== 'GET') return errorReply(405, `${EXECUTIONS_PATH} answers GET only`);
      const auth = authenticate(store, req);
      if ('reply' in auth) return auth.reply;
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const entityName = query.get('entity');
      const filter: Parameters<ReturnType<typeof triggerExecutions>['list']>[0] = {};
      if (entityName) {
        const entity = store.entities.byName(entityName);
        if (!entity) return errorReply(404, `entity ${JSON.stringify(entityName)} not found`);
        if (!canReadEntity(store, auth.viewer, entity)) return errorReply(403, `permission denied: ${auth.viewer.username} is not a member of ${entityName}`);
        filter.entityId = entity.id;
      } else if (auth.viewer.admin !== 1) {
        filter.memberId = auth.viewer.id;
      }
      const automation = query.get('automation');
      if (automation !== null) filter.triggerName = automation;
      const rows = triggerExecutions(store).list(filter);
      return json(200, rows.map(toExecution));
    },
  };
}
