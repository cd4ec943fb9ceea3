/**
 * Demo artifacts and registries (the "seed contract" every engineer relies on), in demo/mnist-classifier:
 * - `mnist-dataset` (dataset) v0 `baseline`, v1, v2 `latest` + tag `clean`; v2 holds a few files, one
 *   http reference served by this server without credentials (`<storageUrl>/public/<md5>`) and one `s3://` reference;
 * - `mnist-cnn` (model) v0..v3, each logged by a run of the project; v2 `best`, used by another run; v3 `latest`;
 * - `mnist-samples` (dataset) v0 with 200 small files.
 * Organization `demo-org` (org entity `demo-org-entity`, members demo and bob) with registries
 * `wandb-registry-model` (portfolio `mnist-models` linking mnist-cnn:v2 as `production`) and
 * `wandb-registry-dataset` (empty, with a description).
 * Plus `seedArtifactFiles`, the benchmark generator (`{ artifactFiles: … }` seeds).
 */
import { createArtifact, linkArtifactVersion, publicReference } from '../store/artifactFixtures';
import { artifactStore } from '../store/artifacts';
import { createOrganization } from '../store/organizations';
import type { Store } from '../store/store';

const ENTITY = 'demo';
const PROJECT = 'mnist-classifier';
const DAY = 86_400_000;
const BASE_TIME = Date.UTC(2025, 1, 10, 9, 0, 0);

/** Runs of the project in creation order (the demo seed made them deterministically). */
function projectRuns(store: Store, count: number): string[] {
  const entity = store.entities.byName(ENTITY);
  const project = entity && store.projects.byName(entity.id, PROJECT);
  if (!project) throw new Error(`seedDemoArtifacts needs ${ENTITY}/${PROJECT}`);
  const rows = store.db.prepare('SELECT name FROM runs WHERE project_id = ? ORDER BY id LIMIT ?').all(project.id, count) as { name: string }[];
  if (rows.length < count) throw new Error(`seedDemoArtifacts needs ${count} runs in ${ENTITY}/${PROJECT}`);
  return rows.map((r) => r.name);
}

const csv = (rows: number, offset: number): string =>
  ['label,pixels', ...Array.from({ length: rows }, (_, i) => `${(i + offset) % 10},${'0 '.repeat(8).trim()}`)].join('\n') + '\n';

/**
 * The demo artifacts, organization and registries of the seed contract (mnist-dataset, mnist-cnn,
 * mnist-samples in demo/mnist-classifier; demo-org with `wandb-registry-model` and `-dataset`).
 * @example seedDemoArtifacts(store);
 */
export function seedDemoArtifacts(store: Store): void {
  const runs = projectRuns(store, 8);
  const run = (i: number): string => runs[i] as string;

  // mnist-dataset v0..v2
  for (let v = 0; v < 3; v++) {
    createArtifact(store, {
      entity: ENTITY,
      project: PROJECT,
      type: 'dataset',
      name: 'mnist-dataset',
      description: `MNIST split, revision ${v}`,
      metadata: { rows: 60_000 + v * 1000, source: 'yann.lecun.com', revision: v },
      files: {
        'train.csv': csv(20 + v, v),
        'test.csv': csv(10, 100 + v),
        ...(v === 2 ? { 'README.md': '# MNIST\nHand-written digits, cleaned.\n', 'labels/classes.json': JSON.stringify({ classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }) } : {}),
      },
      references:
        v === 2
          ? [
              publicReference(store, 'raw/LICENSE.txt', 'MNIST is made available under the terms of the CC BY-SA 3.0 license.\n'),
              {
                path: 'raw/train-images-idx3-ubyte.gz',
                ref: 's3://wandb-demo-datasets/mnist/train-images-idx3-ubyte.gz',
                digest: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
                size: 9_912_422,
                extra: { etag: '"f68b3c2dcbeaaa9fbdd348bbdeb94873"' },
              },
            ]
          : [],
      aliases: v === 0 ? ['baseline'] : [],
      tags: v === 2 ? ['clean'] : [],
      loggedBy: run(0),
      createdAt: BASE_TIME + v * DAY,
    });
  }

  // mnist-cnn v0..v3, one logging run each; v2 used by another run
  const cnn = [];
  for (let v = 0; v < 4; v++) {
    cnn.push(
      createArtifact(store, {
        entity: ENTITY,
        project: PROJECT,
        type: 'model',
        name: 'mnist-cnn',
        description: `CNN checkpoint ${v}`,
        metadata: { epochs: 5 * (v + 1), accuracy: 0.9 + v * 0.02, framework: 'pytorch' },
        files: { 'model.pt': { generate: 4096 + v * 512 }, 'config.json': JSON.stringify({ layers: 3 + v, dropout: 0.25 }) },
        aliases: v === 2 ? ['best'] : [],
        tags: v === 3 ? ['candidate'] : [],
        loggedBy: run(1 + v),
        usedBy: v === 2 ? [run(5)] : [],
        createdAt: BASE_TIME + (3 + v) * DAY,
      }),
    );
  }

  // mnist-samples v0: 200 small files
  const samples: Record<string, string> = {};
  for (let i = 0; i < 200; i++) samples[`samples/${String(i).padStart(4, '0')}.txt`] = `sample ${i} label ${i % 10}\n`;
  createArtifact(store, {
    entity: ENTITY,
    project: PROJECT,
    type: 'dataset',
    name: 'mnist-samples',
    description: '200 sample digits',
    files: samples,
    loggedBy: run(6),
    createdAt: BASE_TIME + 8 * DAY,
  });

  // Organization and registries
  createOrganization(store, { name: 'demo-org', entity: 'demo-org-entity', members: ['demo', 'bob'] });
  const arts = artifactStore(store);
  const registry = (name: string, description: string, types: string[]) => {
    const created = store.createProject({
      entity: 'demo-org-entity',
      name: `wandb-registry-${name}`,
      access: 'PRIVATE',
      description,
      createdBy: 'demo',
      createdAt: BASE_TIME - DAY,
    });
    for (const t of types) arts.ensureType(Number(created.internalId), t);
  };
  registry('model', 'Production models of demo-org', ['model']);
  registry('dataset', 'Curated datasets of demo-org', ['dataset']);
  linkArtifactVersion(store, {
    artifact: cnn[2]?.id as string,
    entity: 'demo-org-entity',
    project: 'wandb-registry-model',
    portfolio: 'mnist-models',
    aliases: ['production'],
  });
}

/** One benchmark artifact of `seedArtifactFiles`: how many files of what size. */
export interface ArtifactFilesSpec {
  /** Number of files in the artifact. */
  count: number;
  /** Size of each file. */
  bytes: number;
  /** Collection name; default `files-<count>x<bytes>`. */
  name?: string;
}

/**
 * Benchmark data: one artifact per spec in `demo/artifact-bench` (type `dataset`), each with `count`
 * generated files of `bytes` bytes, written to the blob store chunk by chunk (never whole in memory).
 * @example seedArtifactFiles(store, [{ count: 2000, bytes: 65536 }, { count: 2, bytes: 256 * 2 ** 20 }])
 */
export function seedArtifactFiles(store: Store, specs: ArtifactFilesSpec | readonly ArtifactFilesSpec[]): void {
  for (const [i, spec] of (Array.isArray(specs) ? specs : [specs]).entries()) {
    const files: Record<string, { generate: number; seed: number }> = {};
    const width = String(spec.count).length;
    for (let f = 0; f < spec.count; f++) files[`data/${String(f).padStart(width, '0')}.bin`] = { generate: spec.bytes, seed: i * 1_000_003 + f + 1 };
    createArtifact(store, { entity: ENTITY, project: 'artifact-bench', type: 'dataset', name: spec.name ?? `files-${spec.count}x${spec.bytes}`, files });
  }
}
