// The facade's local-disk functions in Node: those of the subpackages' Node entries (reached through
// the `node` export condition). The facade's Node entry (dist/node.*, see tsup.config.ts) and the
// tests (vitest.config.ts) are built with this module in place of ./local.ts.
export { downloadFile, syncTensorboard, uploadFilePath } from '@wandb-api/runs';
export { downloadArtifact, downloadArtifactFile, verifyArtifact } from '@wandb-api/artifacts';
