// The older variants of this package's operations (operations/artifacts/legacy), for servers without what
// W&B added to its schema after April 2023: loaded on first use, so no bundle carries them up front.

/**
 * The older variants' documents, loaded on demand.
 * @example const data = await client.request((await legacyDocuments()).ArtifactByNameLegacyDocument, vars);
 */
export const legacyDocuments = () => import('./generated/legacy.js');
