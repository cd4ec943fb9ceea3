// Parity of artifacts and registries: properties of versions (by alias, by version, registry
// links), files and manifests, types, collections, version lists with tags, registry searches
// with filters — then writes from each client (save + link) read back by both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, Artifact, ArtifactCollection, Registry } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
});
afterAll(async () => {
  await p?.stop();
});

const props = (a: Artifact) => ({
  id: a.id,
  entity: a.entity,
  project: a.project,
  name: a.name,
  qualified_name: a.qualifiedName,
  version: a.version,
  source_entity: a.sourceEntity,
  source_project: a.sourceProject,
  source_name: a.sourceName,
  source_version: a.sourceVersion,
  source_qualified_name: a.sourceQualifiedName,
  is_link: a.isLink,
  type: a.type,
  description: a.description,
  metadata: a.metadata,
  aliases: [...a.aliases].sort(),
  tags: [...a.tags].sort(),
  ttl: a.ttl,
  state: a.state,
  size: a.size,
  digest: a.digest,
  commit_hash: a.commitHash,
  file_count: a.fileCount,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
  history_step: a.historyStep,
  url: a.url,
});
const coll = (c: ArtifactCollection) => ({
  name: c.name,
  type: c.type,
  entity: c.entity,
  project: c.project,
  description: c.description,
  tags: [...c.tags].sort(),
  is_sequence: c.isSequence,
});
const registry = (r: Registry) => ({
  name: r.name,
  full_name: r.fullName,
  entity: r.entity,
  organization: r.organization,
  description: r.description,
  visibility: r.visibility,
  allow_all_artifact_types: r.allowAllArtifactTypes,
  artifact_types: [...r.artifactTypes].sort(),
});
const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
/** Python sorts tuples; ours are arrays compared the same way (by JSON text, enough for these). */
const sortRows = (rows: unknown[][]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function ours(): Promise<unknown> {
  const paths = [
    `${P}/mnist-cnn:best`,
    `${P}/mnist-cnn:v1`,
    'mnist-classifier/mnist-dataset:latest',
    `${P}/mnist-dataset:v0`,
    'demo-org/wandb-registry-model/mnist-models:production',
    'wandb-registry-model/mnist-models:v0',
    'wandb-registry-model/mnist-models:py-link',
    'wandb-registry-model/mnist-models:ts-link',
  ];
  const artifacts: Record<string, unknown> = {};
  for (const path of paths) artifacts[path] = await attempt(async () => props(await api.artifact(path)));
  const exists: Record<string, boolean> = {};
  for (const path of [`${P}/mnist-cnn:v9`, `${P}/mnist-cnn:v3`, `${P}/nope:latest`]) exists[path] = await api.artifactExists(path);
  const samples = await api.artifact(`${P}/mnist-samples:v0`);
  const ds = await api.artifact(`${P}/mnist-dataset:v2`);
  const manifest: Record<string, unknown> = {};
  for (const e of (await ds.manifest()).entries) manifest[e.path] = { digest: e.digest, ref: e.ref, size: e.size };
  const cols = api.artifactCollections(P, 'dataset');
  const cnn = await api.artifactCollection('model', `${P}/mnist-cnn`);
  const versions = api.artifacts('model', `${P}/mnist-cnn`);
  return normalize({
    artifacts,
    exists,
    type_mismatch: await attempt(async () => (await api.artifact(`${P}/mnist-cnn:v1`, 'dataset')).name),
    files: { count: await samples.files().count(), names: (await samples.files({ perPage: 64 }).toArray()).map((f) => f.name).sort() },
    dataset_files: sortRows((await ds.files().toArray()).map((f) => [f.name, f.size, f.md5])),
    manifest,
    types: (await api.artifactTypes(P).toArray()).map((t) => t.name).sort(),
    type_collections: (await (await api.artifactType('model', P)).collections().toArray()).map((c) => c.name).sort(),
    collections: { count: await cols.count(), items: byName(await cols.toArray()).map(coll) },
    collection: coll(cnn),
    collection_aliases: (await cnn.aliases()).sort(),
    collection_exists: [await api.artifactCollectionExists(`${P}/mnist-cnn`, 'model'), await api.artifactCollectionExists(`${P}/nope`, 'model')],
    versions: { count: await versions.count(), items: sortRows((await versions.toArray()).map((x) => [x.name, x.version, [...x.aliases].sort()])) },
    tagged: (await api.artifacts('dataset', `${P}/mnist-dataset`, { tags: 'clean' }).toArray()).map((x) => x.version).sort(),
    registries: (await api.registries().toArray()).map((r) => r.name).sort(),
    registries_named: (await api.registries({ filter: { name: 'model' } }).toArray()).map(registry),
    registry_collections: (await api.registries().collections().toArray()).map((c) => c.name).sort(),
    registry_versions: sortRows(
      (await api.registries().versions({ alias: 'production' }).toArray()).map((v) => [v.name, v.sourceName, v.version, [...v.aliases].sort()]),
    ),
    registry: registry(await api.registry('model')),
    // `tag` is no registry field: a compile error, and a ValidationError at runtime (Python: ValueError).
    // @ts-expect-error
    registry_bad_filter: await attempt(() => api.registries({ filter: { tag: 'x' } }).toArray()),
  });
}

/** Python reports exception classes and messages; we compare only whether both failed. */
function errorsAsFlags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(errorsAsFlags);
  if (value && typeof value === 'object') {
    if ('error' in value) return { error: true };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, errorsAsFlags(v)]));
  }
  return value;
}

describe('artifacts', () => {
  it('reads the same artifacts, files, collections and registries', async () => {
    const py = await p.python('artifacts', { phase: 'read' });
    expect(errorsAsFlags(await ours())).toEqual(errorsAsFlags(py));
  });

  it('reads back what the other client saved and linked', async () => {
    // Python writes first (and reads everything), then we write the same kind of change.
    const py = await p.python('artifacts', { phase: 'mutate' });
    const v0 = await api.artifact(`${P}/mnist-cnn:v0`);
    await v0.save({ aliases: [...v0.aliases, 'ts-alias'], description: 'saved by ts', metadata: { by: 'ts', epochs: 3 }, tags: ['ts-tag'] });
    await v0.link('wandb-registry-model/mnist-models', ['ts-link']);
    const after = await p.python('artifacts', { phase: 'read' });
    const mine = errorsAsFlags(await ours()) as Record<string, Record<string, unknown>>;
    expect(mine).toEqual(errorsAsFlags(after));
    // Each client's write is visible, as written, to the other.
    const arts = mine.artifacts!;
    expect(arts[`${P}/mnist-cnn:v1`]).toMatchObject({ ok: { description: 'saved by python', metadata: { by: 'python', epochs: 3 }, tags: ['py-tag'] } });
    expect(arts['wandb-registry-model/mnist-models:py-link']).toMatchObject({ ok: { source_name: 'mnist-cnn:v1', is_link: true } });
    expect(arts['wandb-registry-model/mnist-models:ts-link']).toMatchObject({ ok: { source_name: 'mnist-cnn:v0', is_link: true } });
    expect((py as Record<string, Record<string, unknown>>).artifacts![`${P}/mnist-cnn:v1`]).toMatchObject({ ok: { aliases: ['py-alias'] } });
    expect((await api.artifact(`${P}/mnist-cnn:ts-alias`)).description).toBe('saved by ts');
  });
});
