/** Seeds a new database. Every seed has the primary user `demo` (admin), whose key startServer returns. */
import type { Store } from '../store/store';
import { atFixedTime } from '../store/time';
import { seedArtifactFiles, type ArtifactFilesSpec } from './artifacts';
import { seedDemo } from './demo';
import { seedHistoryBench } from './history';
import { seedLarge } from './large';

/** 'demo', 'empty', a large project (`{ runs }`) or one run with a long history (`{ historyRows }`, demo/history-bench/big). */
export type SeedSpec =
  | 'demo'
  | 'empty'
  | {
      /** How many runs to generate. */
      runs: number;
      /** The project they go in (under demo). */
      project?: string;
    }
  | {
      /** How many history rows the run demo/history-bench/big gets. */
      historyRows: number;
    }
  | {
      /** demo/artifact-bench: one artifact per spec with `count` generated files of `bytes` each (see seed/artifacts.ts). */
      artifactFiles: ArtifactFilesSpec | readonly ArtifactFilesSpec[];
    };

export const PRIMARY_USER = 'demo';

/** What a seed creates without a date of its own is dated here, so every seeding gives the same data. */
const SEED_TIME = Date.UTC(2025, 2, 1, 12, 0, 0);

/** Seeds the store; returns the primary user's API key (keys are stored hashed: this is the one chance to see it). */
export function applySeed(store: Store, spec: SeedSpec): string {
  return atFixedTime(SEED_TIME, () => seedAll(store, spec));
}

function seedAll(store: Store, spec: SeedSpec): string {
  return store.db.transaction(() => {
    const { apiKey } = store.createUser({ username: PRIMARY_USER, email: 'demo@example.com', name: 'Demo User', admin: true, createdAt: '2025-01-01T00:00:00' });
    store.setPrimaryUser(PRIMARY_USER);
    if (spec === 'demo') seedDemo(store);
    else if (typeof spec === 'object' && 'historyRows' in spec) seedHistoryBench(store, spec);
    else if (typeof spec === 'object' && 'artifactFiles' in spec) seedArtifactFiles(store, spec.artifactFiles);
    else if (typeof spec === 'object') seedLarge(store, spec);
    return apiKey;
  });
}
