/**
 * Integrations automations send to: generic webhooks (a name, a URL, and the names of the entity
 * secrets used as Bearer token and signing key) and Slack channels (stored, never called: this server
 * has no Slack). SQL only; permissions are the resolvers' (graphql/automations.ts).
 */
import { ConflictError, UserInputError } from '../errors';
import type { Db } from './db';
import { secrets } from './secrets';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

export type IntegrationKind = 'GENERIC_WEBHOOK' | 'SLACK';

export interface IntegrationRow {
  id: number;
  entity_id: number;
  kind: IntegrationKind;
  name: string | null;
  url_endpoint: string | null;
  secret_ref: string | null;
  access_token_ref: string | null;
  team_name: string | null;
  channel_name: string | null;
  created_by: number | null;
  created_at: string;
}

/** What createGenericWebhookIntegration stores. */
export interface NewWebhook {
  entityId: number;
  name: string;
  urlEndpoint: string;
  secretRef?: string | null | undefined;
  accessTokenRef?: string | null | undefined;
  createdBy: number;
}

/** Only http(s) URLs: the server POSTs to them when an automation fires. */
export function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserInputError(`invalid urlEndpoint ${JSON.stringify(url)}: not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UserInputError(`invalid urlEndpoint ${JSON.stringify(url)}: only http and https`);
}

export class Integrations {
  constructor(
    private readonly db: Db,
    private readonly store: Store,
  ) {}

  /** A generic webhook; its secret references must name secrets of the entity. */
  createWebhook(input: NewWebhook): IntegrationRow {
    const name = input.name.trim();
    if (name === '' || name.length > 255) throw new UserInputError('a webhook needs a name of 1–255 characters');
    checkWebhookUrl(input.urlEndpoint);
    for (const ref of [input.secretRef, input.accessTokenRef]) {
      if (ref && !secrets(this.store).exists(input.entityId, ref)) throw new UserInputError(`secret ${JSON.stringify(ref)} does not exist in this entity`);
    }
    if (this.db.prepare("SELECT 1 FROM integrations WHERE entity_id = ? AND kind = 'GENERIC_WEBHOOK' AND name = ?").get(input.entityId, name)) {
      throw new ConflictError(`a webhook named ${JSON.stringify(name)} exists already`);
    }
    return this.db
      .prepare(
        `INSERT INTO integrations (entity_id, kind, name, url_endpoint, secret_ref, access_token_ref, created_by, created_at)
         VALUES (?, 'GENERIC_WEBHOOK', ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(input.entityId, name, input.urlEndpoint, input.secretRef || null, input.accessTokenRef || null, input.createdBy, wandbTime()) as IntegrationRow;
  }

  /** A Slack channel, as W&B keeps it after its OAuth flow (a fixture here: nothing is ever posted). */
  createSlack(input: { entityId: number; teamName: string; channelName: string; createdBy?: number | null }): IntegrationRow {
    if (!input.teamName || !input.channelName) throw new UserInputError('a Slack integration needs a team and a channel name');
    return this.db
      .prepare(`INSERT INTO integrations (entity_id, kind, team_name, channel_name, created_by, created_at) VALUES (?, 'SLACK', ?, ?, ?, ?) RETURNING *`)
      .get(input.entityId, input.teamName, input.channelName, input.createdBy ?? null, wandbTime()) as IntegrationRow;
  }

  byId(id: number): IntegrationRow | undefined {
    return this.db.prepare('SELECT * FROM integrations WHERE id = ?').get(id) as IntegrationRow | undefined;
  }

  /** One page of the entity's integrations, oldest first, keyset-paged on the id. */
  list(entityId: number, first: number, afterId: number): { rows: IntegrationRow[]; hasNextPage: boolean } {
    const rows = this.db.prepare('SELECT * FROM integrations WHERE entity_id = ? AND id > ? ORDER BY id LIMIT ?').all(entityId, afterId, first + 1) as IntegrationRow[];
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /** Deletes an integration no automation uses (W&B refuses to orphan an automation's action). */
  delete(id: number): void {
    const used = this.db.prepare('SELECT name FROM triggers WHERE integration_id = ? ORDER BY id LIMIT 1').get(id) as { name: string } | undefined;
    if (used) throw new UserInputError(`the integration is used by automation ${JSON.stringify(used.name)}: delete or change it first`);
    this.db.prepare('DELETE FROM integrations WHERE id = ?').run(id);
  }
}

/**
 * The integrations of a Store.
 * @example integrations(store).createSlack({ entityId: team.id, teamName: 'acme', channelName: '#alerts' })
 */
export const integrations: (store: Store) => Integrations = storePart((store) => new Integrations(store.db, store));
