/**
 * Artifact uploads on the storage origin: the signed PUT URLs createArtifactFiles and
 * createArtifactManifest hand out, as a bucket's presigned URLs.
 * - PUT /artifact-upload/<artifact id>/<md5 hex>?expires&sig: one file's bytes. Their MD5 must be the
 *   one in the path, and the `Content-MD5` header's when sent, else 400 BadDigest (as S3/GCS answer);
 * - PUT /artifact-manifest/<artifact id>?expires&sig: the manifest JSON of a pending version.
 * Only a PENDING version takes uploads (409 otherwise). No credentials: storage.ts refuses any
 * request with an Authorization header before routing here.
 */
import type { IncomingMessage } from 'node:http';
import { artifactStore } from '../store/artifacts';
import { receiveManifest, recordUpload } from '../store/artifactVersions';
import { putStreamedBlob } from '../store/blobUploads';
import type { Store } from '../store/store';
import type { FileLinks } from './fileLinks';
import type { Routed } from './pipeline';
import { errorReply, type Reply } from './reply';

const FILE_PREFIX = '/artifact-upload/';
const MANIFEST_PREFIX = '/artifact-manifest/';

function signedPut(links: FileLinks, path: string): string {
  return `${links.storageOrigin}${path}?${links.signer.query('PUT', path, links.ttlMs)}`;
}

/**
 * The signed PUT URL for one file (by its hex MD5) of a pending version.
 * @example artifactFileUploadUrl(ctx.links, artifact.id, md5Hex)
 */
export function artifactFileUploadUrl(links: FileLinks, artifactId: number, md5Hex: string): string {
  return signedPut(links, `${FILE_PREFIX}${artifactId}/${md5Hex}`);
}

/**
 * The signed PUT URL for the manifest of a pending version.
 * @example artifactManifestUploadUrl(ctx.links, artifact.id)
 */
export function artifactManifestUploadUrl(links: FileLinks, artifactId: number): string {
  return signedPut(links, `${MANIFEST_PREFIX}${artifactId}`);
}

/** The PUT routes above; undefined when `path` is not one. `signed` checks the signature (undefined = ok). */
export function artifactUploadRoute(store: Store, req: IncomingMessage, path: string, signed: (path: string) => Reply | undefined): Routed | undefined {
  if (req.method !== 'PUT') return undefined;
  let artifactId: number;
  let md5Hex: string | undefined;
  const file = new RegExp(`^${FILE_PREFIX}(\\d+)/([0-9a-f]{32})$`).exec(path);
  const manifest = new RegExp(`^${MANIFEST_PREFIX}(\\d+)$`).exec(path);
  if (file) [artifactId, md5Hex] = [Number(file[1]), file[2]];
  else if (manifest) artifactId = Number(manifest[1]);
  else return undefined;
  return {
    respond: async () => {
      const denied = signed(path);
      if (denied) return denied;
      const artifact = artifactStore(store).artifactById(artifactId);
      if (!artifact) return errorReply(404, `no artifact for upload ${path}`);
      if (artifact.state !== 'PENDING') return errorReply(409, `artifact ${artifactId} is ${artifact.state}: only a pending version takes uploads`);
      const header = req.headers['content-md5'];
      const result = await putStreamedBlob(store.blobs, req, { md5Hex, contentMd5: typeof header === 'string' ? header : undefined });
      if ('refused' in result) return errorReply(400, result.refused);
      // Re-read: the version may have been committed while the body streamed in.
      if (artifactStore(store).artifactById(artifactId)?.state !== 'PENDING') return errorReply(409, `artifact ${artifactId} was committed during the upload`);
      if (md5Hex) recordUpload(store, artifactId, result.blob.md5Hex);
      else receiveManifest(store, artifactId, result.blob.md5Hex);
      return { status: 200, headers: { ETag: `"${result.blob.md5Hex}"` }, body: '' };
    },
  };
}
