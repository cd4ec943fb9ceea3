/**
 * The Node entry of `@wandb-api/artifacts`: everything of the browser entry, plus downloads to the
 * local disk (downloadArtifact, downloadArtifactFile, verifyArtifact).
 * @module @wandb-api/artifacts/node
 */
// @wandb-api/artifacts for Node: everything of the browser entry, plus the downloads that write to
// the local disk (downloadArtifact, downloadArtifactFile, verifyArtifact). Reached through the
// `node` export condition, so browser bundles never see `fs`.
export * from './index.js';
export { downloadArtifact, downloadArtifactFile, verifyArtifact } from './download.node.js';
