// A generated document that uses what W&B added to its schema after April 2023 is marked `#needs`;
// what it needs is listed by operation name in generated/needs.ts (scripts/pure-documents.mjs).
// Small on purpose: the list and the probe behind it (capabilities.ts) load only when a marked
// document is used.
import type { WandbClient } from './client.js';
import type { CallOptions } from './transport.js';

/** The probe, loaded on first use (client.ts uses it too). */
export const capabilities = () => import('./capabilities.js');

/** The operation a generated document marked `#needs` runs, or undefined for one that needs nothing newer. */
const markedOperation = (document: { toString(): string }) => /^(?:#\w+\s*)?#needs\s*(?:query|mutation)\s*(\w+)/.exec(document.toString())?.[1];

/**
 * Whether the server has everything `document` needs (its schema probed once per client): how a
 * function picks between an operation and its older variant.
 * @example const data = (await supports(client, ProjectsDocument)) ? await client.request(ProjectsDocument, vars) : await client.request(ProjectsLegacyDocument, vars);
 */
export async function supports(client: WandbClient, document: { toString(): string }, options?: CallOptions): Promise<boolean> {
  const operation = markedOperation(document);
  return !operation || !(await (await capabilities()).missingOf(client, operation, options)).length;
}

/**
 * Throws UnsupportedError (naming what is missing and the server's version) when the server lacks
 * what `needs` names: a document's needs, or schema coordinates such as an input field a caller's
 * option would set (`PushToRunQueueByNameInput.priority`). Sends nothing but the probe (once per client).
 * @example if (options.priority !== undefined) await checkSupport(client, 'pushToRunQueue with a priority', ['PushToRunQueueByNameInput.priority']);
 */
export async function checkSupport(client: WandbClient, what: string, needs: readonly string[] | { toString(): string }, options?: CallOptions): Promise<void> {
  const wanted = Array.isArray(needs) ? needs : markedOperation(needs);
  if (wanted?.length) await (await capabilities()).checkNeeds(client, what, wanted, options);
}
