// What a server's schema has of the parts W&B changed across server versions, probed once per
// client: introspection of the few types whose fields changed (operations/core/ServerProbe.graphql).
// Documents that use such parts are marked `#needs` and what they need is listed by operation name
// in generated/needs.ts (scripts/pure-documents.mjs); the client checks it here before sending. Loaded on demand (client.ts, needs.ts): a client talking
// only through documents without needs never loads it.
import type { WandbClient } from './client.js';
import { BadRequestError, GraphQLError, UnsupportedError } from './errors.js';
import { NEEDS } from './generated/needs.js';
import { type ProbedTypeFragment, ServerProbeDocument, ServerVersionDocument } from './generated/probe.js';
import type { CallOptions } from './transport.js';

/** A probed type: its fields (or input fields) with their arguments; null when the server has no such type. */
type ProbedType = ReadonlyMap<string, ReadonlySet<string>> | null;

/**
 * The probed parts of the server's schema (cached per client). Undefined when the server refused
 * introspection: then nothing is known, and every document is sent as it is.
 */
function probe(client: WandbClient, options?: CallOptions): Promise<ReadonlyMap<string, ProbedType> | undefined> {
  return client.memo(
    'capabilities',
    async (signal) => {
      try {
        const data = await client.request(ServerProbeDocument, {}, { signal });
        // Fields with their arguments; input fields (without any) for input types.
        const fieldsOf = (type: ProbedTypeFragment | null): ProbedType =>
          type &&
          new Map([
            ...(type.fields ?? []).map((field) => [field.name, new Set(field.args.map((arg) => arg.name))] as const),
            ...(type.inputFields ?? []).map((field) => [field.name, new Set<string>()] as const),
          ]);
        return new Map(Object.entries(data).map(([name, type]) => [name, fieldsOf(type)]));
      } catch (error) {
        // Introspection turned off: an answer with errors (or a 400), the one case this fallback is for.
        if (error instanceof GraphQLError || error instanceof BadRequestError) return undefined;
        throw error;
      }
    },
    options,
  );
}

/**
 * Whether the probed schema has `coordinate`: `Type.field`, `Type.field(arg:)` or a type name. A
 * type that was not probed, or a server that refused the probe, counts as having it.
 */
function has(types: ReadonlyMap<string, ProbedType> | undefined, coordinate: string): boolean {
  const [, type = '', field, arg] = /^(\w+)(?:\.(\w+)(?:\((\w+):\))?)?$/.exec(coordinate) ?? [];
  const probed = types?.get(type);
  if (probed === undefined) return true;
  if (probed === null) return false;
  if (field === undefined) return true;
  const args = probed.get(field);
  return !!args && (arg === undefined || args.has(arg));
}

/** The server's version (`serverInfo.latestLocalVersionInfo`), or null when it does not tell. Cached per client. */
export function getServerVersion(client: WandbClient, options?: CallOptions): Promise<string | null> {
  return client.memo(
    'serverVersion',
    async (signal) => {
      try {
        return (await client.request(ServerVersionDocument, {}, { signal })).serverInfo?.latestLocalVersionInfo?.versionOnThisInstanceString ?? '';
      } catch (error) {
        if (error instanceof GraphQLError || error instanceof BadRequestError) return '';
        throw error;
      }
    },
    options,
  ).then((version) => version || null);
}

/** Which of `needs` (coordinates, or an operation marked `#needs` by name) the server lacks; none when it refused the probe. */
export async function missingOf(client: WandbClient, needs: readonly string[] | string, options?: CallOptions): Promise<string[]> {
  const types = await probe(client, options);
  return (typeof needs === 'string' ? (NEEDS[needs] ?? []) : needs).filter((need) => !has(types, need));
}

/**
 * Throws UnsupportedError, naming what is missing and the server's version, when the server lacks
 * any of `needs` (coordinates, or an operation marked `#needs` by name); `what` says what needed
 * them ("GraphQL Runs", "createRunQueue" …).
 */
export async function checkNeeds(client: WandbClient, what: string, needs: readonly string[] | string, options?: CallOptions): Promise<void> {
  const missing = await missingOf(client, needs, options);
  if (!missing.length) return;
  const serverVersion = await getServerVersion(client, options);
  throw new UnsupportedError(
    `${what} needs ${missing.join(', ')}, which this server${serverVersion ? ` (version ${serverVersion})` : ''} lacks. Please upgrade the server, or use a newer one such as https://wandb.ai.`,
    { missing, serverVersion },
  );
}
