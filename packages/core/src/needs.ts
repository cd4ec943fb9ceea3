// A generated document names, on a `#needs` line, what it uses of W&B's schema beyond April 2023
// (scripts/pure-documents.mjs). Small on purpose: the probe behind it (capabilities.ts) loads only
// when a document has needs.
import type { WandbClient } from './client.js';
import type { CallOptions } from './transport.js';

/**
 * What a generated document needs beyond W&B's schema of April 2023: schema coordinates from its
 * `#needs` line (`Run.parquetHistory`, `Project.sweeps(filters:)`, a type name); empty for most.
 * @example needsOf(RunParquetHistoryDocument) // ['Run.parquetHistory']
 */
export function needsOf(document: { toString(): string }): string[] {
  return /^(?:#\w+\n)?#needs ([^\n]+)/.exec(document.toString())?.[1]!.split(' ') ?? [];
}

/**
 * Whether the server has everything `document` needs (its schema probed once per client): how a
 * function picks between an operation and its older variant.
 * @example const data = (await supports(client, ProjectsDocument)) ? await client.request(ProjectsDocument, vars) : await client.request(ProjectsLegacyDocument, vars);
 */
export async function supports(client: WandbClient, document: { toString(): string }, options?: CallOptions): Promise<boolean> {
  const needs = needsOf(document);
  return !needs.length || !(await (await import('./capabilities.js')).missingOf(client, needs, options)).length;
}

/**
 * Throws UnsupportedError (naming what is missing and the server's version) when the server lacks
 * any of `needs`: schema coordinates such as an input field a caller's option would set
 * (`PushToRunQueueByNameInput.priority`). Nothing is sent when it has them all but the probe (once per client).
 * @example if (options.priority !== undefined) await checkSupport(client, 'pushToRunQueue with a priority', ['PushToRunQueueByNameInput.priority']);
 */
export async function checkSupport(client: WandbClient, what: string, needs: readonly string[], options?: CallOptions): Promise<void> {
  if (needs.length) await (await import('./capabilities.js')).checkNeeds(client, what, needs, options);
}
