// Artifact manifests (version 1): the list of entries (path → digest, size, reference …). The
// server gives a signed URL to the manifest JSON; it is fetched without W&B credentials.
import { type CallOptions, NotFoundError, ValidationError, WandbError, type WandbClient, parseJson } from '@wandb-api/core';
import type { Artifact } from './artifact.js';
import { FetchArtifactManifestDocument } from './generated/graphql.js';

/** One entry of a manifest (Python's ArtifactManifestEntry). */
export interface ManifestEntry {
  /** The POSIX path inside the artifact (the manifest key). */
  readonly path: string;
  /** Base64 MD5 for stored files; ETag, URI … for references. */
  readonly digest: string;
  /** The URI of a reference entry (`s3://…`, `https://…`, `wandb-artifact://…`); null for stored files. */
  readonly ref: string | null;
  /** The global id of the version that first uploaded the bytes (later versions reuse them). */
  readonly birthArtifactId: string | null;
  /** Bytes; null when unknown (references need not say). */
  readonly size: number | null;
  /** Free-form data the logger attached (`{}` when none). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A decoded manifest. */
export interface ArtifactManifest {
  /** The manifest format; only version 1 exists. */
  readonly version: 1;
  /** How stored files are laid out (`wandb-storage-policy-v1`). */
  readonly storagePolicy: string;
  /** `{ storageLayout: 'V1' | 'V2', storageRegion? }`. */
  readonly storagePolicyConfig: Readonly<Record<string, unknown>>;
  /** Entries in manifest order. */
  readonly entries: readonly ManifestEntry[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Decodes manifest JSON text (Python's `ArtifactManifestV1.from_manifest_json`).
 * @example const manifest = parseManifest('{"version":1,"storagePolicy":"wandb-storage-policy-v1","storagePolicyConfig":{},"contents":{}}');
 */
export function parseManifest(text: string): ArtifactManifest {
  let json: unknown;
  try {
    json = parseJson(text);
  } catch (error) {
    throw new WandbError(`Invalid manifest JSON: ${(error as Error).message}`);
  }
  if (!isObject(json) || !('version' in json)) throw new WandbError('Invalid manifest format. Must contain version field.');
  if (json.version !== 1) throw new WandbError('Invalid manifest version.');
  if (json.storagePolicy !== 'wandb-storage-policy-v1') throw new WandbError(`Failed to find storage policy '${String(json.storagePolicy)}'`);
  const contents = isObject(json.contents) ? json.contents : {};
  const entries: ManifestEntry[] = [];
  for (const [path, raw] of Object.entries(contents)) {
    if (!isObject(raw) || typeof raw.digest !== 'string') throw new WandbError(`Invalid manifest entry '${path}': no digest.`);
    entries.push({
      path,
      digest: raw.digest,
      ref: typeof raw.ref === 'string' ? raw.ref : null,
      birthArtifactId: typeof raw.birthArtifactID === 'string' ? raw.birthArtifactID : null,
      size: typeof raw.size === 'number' ? raw.size : null,
      extra: isObject(raw.extra) ? raw.extra : {},
    });
  }
  return {
    version: 1,
    storagePolicy: json.storagePolicy,
    storagePolicyConfig: isObject(json.storagePolicyConfig) ? json.storagePolicyConfig : {},
    entries,
  };
}

/**
 * The manifest of a version: one GraphQL request for its signed URL, one GET of the JSON.
 * @example const { entries } = await getManifest(client, artifact); console.log(entries.length);
 */
export async function getManifest(client: WandbClient, artifact: Pick<Artifact, 'id' | 'name'>, options?: CallOptions): Promise<ArtifactManifest> {
  if (!artifact || typeof artifact.id !== 'string' || !artifact.id) throw new ValidationError('artifact must be an Artifact with an id.');
  const data = await client.request(FetchArtifactManifestDocument, { id: artifact.id }, options);
  const url = data.artifact?.currentManifest?.file.directUrl;
  if (!url) throw new NotFoundError(`Failed to fetch artifact manifest of '${artifact.name}'.`, { status: 404 });
  // client.fetch attaches credentials only under the API base URL; signed URLs get none.
  const response = await client.fetch(url, { method: 'GET' }, options);
  return parseManifest(await response.text());
}

/**
 * The entries of a version's manifest (for downloads and listings).
 * @example for (const entry of await listManifestEntries(client, artifact)) console.log(entry.path, entry.size);
 */
export async function listManifestEntries(client: WandbClient, artifact: Pick<Artifact, 'id' | 'name'>, options?: CallOptions): Promise<readonly ManifestEntry[]> {
  return (await getManifest(client, artifact, options)).entries;
}

/**
 * One entry by path; like Python, a path without a match also tries W&B media names
 * (`<name>.<type>.json`, e.g. `predictions.table.json`). Missing: NotFoundError.
 * @example const entry = await getEntry(client, artifact, 'train/0.png');
 */
export async function getEntry(
  client: WandbClient,
  artifact: Pick<Artifact, 'id' | 'name'>,
  name: string,
  options?: CallOptions & { manifest?: ArtifactManifest },
): Promise<ManifestEntry> {
  if (typeof name !== 'string' || !name) throw new ValidationError(`Invalid entry path '${String(name)}'.`);
  const manifest = options?.manifest ?? (await getManifest(client, artifact, options));
  const exact = manifest.entries.find((e) => e.path === name);
  if (exact) return exact;
  const media = manifest.entries.find((e) => e.path.startsWith(`${name}.`) && e.path.endsWith('.json') && /^[\w-]+$/.test(e.path.slice(name.length + 1, -'.json'.length)));
  if (media) return media;
  throw new NotFoundError(`Path not contained in artifact: ${name}`, { status: 404 });
}

/** Compares by Unicode code point (Python's str order), not by UTF-16 unit as `<` does. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000–U+FFFF.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The manifest digest W&B stores as the artifact's `digest`: hex MD5 of `wandb-artifact-manifest-v1\n`
 * and one `<path>:<digest>\n` line per entry, sorted by path in code-point order (UTF-8).
 * @example computeManifestDigest(await getManifest(client, artifact)) === artifact.digest
 */
export async function computeManifestDigest(manifest: Pick<ArtifactManifest, 'entries'>): Promise<string> {
  const entries = [...manifest.entries].sort((a, b) => compareCodePoints(a.path, b.path));
  let text = 'wandb-artifact-manifest-v1\n';
  for (const e of entries) text += `${e.path}:${e.digest}\n`;
  return (await import('./md5.js')).md5Hex(text); // loaded on first use: see md5.ts
}
