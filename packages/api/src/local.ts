// The facade's local-disk functions in a browser, which has no local disk: each one rejects with a
// ValidationError saying what to use instead. The facade's Node entry is built with ./local.node.ts
// in this module's place (tsup.config.ts), so the browser entry never names a Node-only export.
// Each stub has the type of the function it stands for, so the two modules cannot drift apart.
import { ValidationError } from '@wandb-api/core';
import type * as node from './local.node.js';

/** A function that rejects with a ValidationError: `what` needs Node; in a browser use `instead`. */
const needsNode =
  (what: string, instead?: string) =>
  (): Promise<never> =>
    Promise.reject(new ValidationError(`${what} and needs Node${instead ? `; in a browser use ${instead}` : ''}.`));

const RUN_FILES = 'fetchFileBytes / uploadFile from @wandb-api/runs';
const ARTIFACT_FILES = 'artifactFileStream from @wandb-api/artifacts';

export const downloadFile: typeof node.downloadFile = needsNode('downloadFile reads or writes local files', RUN_FILES);
export const uploadFilePath: typeof node.uploadFilePath = needsNode('uploadFilePath reads or writes local files', RUN_FILES);
export const syncTensorboard: typeof node.syncTensorboard = needsNode('syncTensorboard reads local TensorBoard folders');
export const downloadArtifact: typeof node.downloadArtifact = needsNode('downloadArtifact writes local files', ARTIFACT_FILES);
export const downloadArtifactFile: typeof node.downloadArtifactFile = needsNode('downloadArtifactFile writes local files', ARTIFACT_FILES);
export const verifyArtifact: typeof node.verifyArtifact = needsNode('verifyArtifact writes local files', ARTIFACT_FILES);
