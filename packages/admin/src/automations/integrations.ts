// Integrations automations send to (Slack channels and generic webhooks), and the entity secrets
// webhooks name for their Bearer token and signature. Team admins create and delete them; members
// list integrations; secret values never come back from the server.
import { type CallOptions, Paginated, ValidationError, type WandbClient, checkPerPage, resolveEntity, endCursorOf } from '@wandb-api/core';
import {
  CreateGenericWebhookIntegrationDocument,
  DeleteIntegrationDocument,
  EntitySecretsDocument,
  InsertSecretDocument,
  type IntegrationsByEntityQuery,
  IntegrationsByEntityDocument,
} from '../generated/graphql.js';

/** A generic webhook integration (Python's WebhookIntegration). */
export interface WebhookIntegration {
  /** Tells webhooks from Slack integrations. */
  readonly type: 'webhook';
  /** The integration's id. */
  readonly id: string;
  /** Its name. */
  readonly name: string;
  /** The URL W&B POSTs to. */
  readonly urlEndpoint: string;
}

/** A Slack channel integration (Python's SlackIntegration). */
export interface SlackIntegration {
  /** Tells Slack integrations from webhooks. */
  readonly type: 'slack';
  /** The integration's id. */
  readonly id: string;
  /** The Slack workspace. */
  readonly teamName: string;
  /** The channel. */
  readonly channelName: string;
}

/** Any integration. */
export type Integration = WebhookIntegration | SlackIntegration;

/** Options of the integration listings. */
export interface ListIntegrationsOptions extends CallOptions {
  /** Per request (default 50, as Python). */
  perPage?: number;
}

type IntegrationNode = NonNullable<NonNullable<IntegrationsByEntityQuery['entity']>['integrations']>['edges'][number]['node'];

function toIntegration(node: IntegrationNode): Integration | null {
  if (node?.__typename === 'GenericWebhookIntegration') return { type: 'webhook', id: node.id, name: node.name, urlEndpoint: node.urlEndpoint };
  if (node?.__typename === 'SlackIntegration') return { type: 'slack', id: node.id, teamName: node.teamName, channelName: node.channelName };
  return null;
}

function listOf<T extends Integration>(client: WandbClient, entity: string | undefined, options: ListIntegrationsOptions, keep: (i: Integration) => i is T): Paginated<T> {
  const perPage = checkPerPage(options.perPage, 50);
  return new Paginated({
    signal: options.signal,
    idOf: (i) => i.id,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const resolved = await resolveEntity(client, entity, call);
      const data = await client.request(IntegrationsByEntityDocument, { entity: resolved, cursor, perPage }, call);
      const connection = data.entity?.integrations;
      if (!connection) throw new ValidationError(`Could not list the integrations of '${resolved}'.`);
      return {
        items: connection.edges.flatMap((e) => {
          const i = toIntegration(e.node);
          return i && keep(i) ? [i] : [];
        }),
        cursor: endCursorOf(connection),
        hasNextPage: connection.pageInfo.hasNextPage,
      };
    },
  });
}

/**
 * The integrations of an entity (default: the configured one, else the viewer's): Slack and webhooks.
 * @example for await (const i of listIntegrations(client, 'vision-team')) console.log(i.type, i.id);
 */
export function listIntegrations(client: WandbClient, entity?: string, options: ListIntegrationsOptions = {}): Paginated<Integration> {
  return listOf(client, entity, options, (i): i is Integration => true);
}

/**
 * The webhook integrations of an entity.
 * @example const hook = (await listWebhookIntegrations(client, 'vision-team').toArray()).find((h) => h.name === 'ci');
 */
export function listWebhookIntegrations(client: WandbClient, entity?: string, options: ListIntegrationsOptions = {}): Paginated<WebhookIntegration> {
  return listOf(client, entity, options, (i): i is WebhookIntegration => i.type === 'webhook');
}

/**
 * The Slack integrations of an entity.
 * @example const [slack] = await listSlackIntegrations(client, 'vision-team').toArray({ limit: 1 });
 */
export function listSlackIntegrations(client: WandbClient, entity?: string, options: ListIntegrationsOptions = {}): Paginated<SlackIntegration> {
  return listOf(client, entity, options, (i): i is SlackIntegration => i.type === 'slack');
}

/** What createWebhookIntegration needs. */
export interface NewWebhookIntegration {
  /** The entity (default: the configured one, else the viewer's). */
  entity?: string;
  /** Its name, unique in the entity. */
  name: string;
  /** The http(s) URL W&B POSTs to. */
  urlEndpoint: string;
  /** The name of an entity secret that signs each request (X-Wandb-Signature). */
  secretRef?: string;
  /** The name of an entity secret sent as `Authorization: Bearer`. */
  accessTokenRef?: string;
}

/**
 * Creates a generic webhook integration (team admins); ConflictError when the name is taken.
 * @example const hook = await createWebhookIntegration(client, { entity: 'vision-team', name: 'ci', urlEndpoint: 'https://ci.example.com/hook', accessTokenRef: 'CI_TOKEN' });
 */
export async function createWebhookIntegration(client: WandbClient, input: NewWebhookIntegration, options?: CallOptions): Promise<WebhookIntegration> {
  if (!input || typeof input.name !== 'string' || input.name.trim() === '') throw new ValidationError('A webhook integration needs a name.');
  let url: URL;
  try {
    url = new URL(input.urlEndpoint);
  } catch {
    throw new ValidationError(`Invalid urlEndpoint ${JSON.stringify(input.urlEndpoint)}: not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError(`Invalid urlEndpoint ${JSON.stringify(input.urlEndpoint)}: http or https only.`);
  const entityName = await resolveEntity(client, input.entity, options);
  const data = await client.request(
    CreateGenericWebhookIntegrationDocument,
    {
      input: {
        entityName,
        name: input.name,
        urlEndpoint: input.urlEndpoint,
        ...(input.secretRef === undefined ? {} : { secretRef: input.secretRef }),
        ...(input.accessTokenRef === undefined ? {} : { accessTokenRef: input.accessTokenRef }),
      },
    },
    options,
  );
  const made = data.result ? toIntegration(data.result.integration as IntegrationNode) : null;
  if (made?.type !== 'webhook') throw new ValidationError('The server created no webhook integration.');
  return made;
}

/**
 * Deletes an integration no automation uses (team admins).
 * @example await deleteIntegration(client, hook);
 */
export async function deleteIntegration(client: WandbClient, integration: Pick<Integration, 'id'> | string, options?: CallOptions): Promise<void> {
  const id = typeof integration === 'string' ? integration : integration?.id;
  if (typeof id !== 'string' || id === '') throw new ValidationError('deleteIntegration needs an integration or its id.');
  await client.request(DeleteIntegrationDocument, { id }, options);
}

/**
 * Sets an entity secret (created or replaced; team admins). Webhooks name secrets as their access
 * token or signing key; the value stays on the server.
 * @example await setSecret(client, 'vision-team', 'CI_TOKEN', process.env.CI_TOKEN!);
 */
export async function setSecret(client: WandbClient, entity: string, name: string, value: string, options?: CallOptions): Promise<void> {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ValidationError(`Invalid secret name ${JSON.stringify(name)}: letters, digits and '_'.`);
  if (typeof value !== 'string' || value === '') throw new ValidationError('A secret value must be a non-empty string.');
  const entityName = await resolveEntity(client, entity, options);
  await client.request(InsertSecretDocument, { entityName, secretName: name, secretValue: value }, options);
}

/**
 * The names of an entity's secrets (team admins; values never leave the server).
 * @example console.log(await listSecrets(client, 'vision-team')); // ['CI_TOKEN']
 */
export async function listSecrets(client: WandbClient, entity?: string, options?: CallOptions): Promise<string[]> {
  const entityName = await resolveEntity(client, entity, options);
  const data = await client.request(EntitySecretsDocument, { entity: entityName }, options);
  if (!data.entity) throw new ValidationError(`Could not find entity '${entityName}'.`);
  return data.entity.secrets.map((s) => s.name);
}
