/** A large project for benchmarks: `demo/<project>` with N runs (config + summary, no history rows). */
import { Random } from '../random';
import type { Store } from '../store/store';

const BASE_TIME = Date.UTC(2025, 1, 1, 0, 0, 0);

export function seedLarge(store: Store, spec: { runs: number; project?: string }, random = new Random(7)): void {
  const project = spec.project ?? 'large';
  store.createProject({ entity: 'demo', name: project, access: 'PRIVATE', createdAt: BASE_TIME - 60_000 });
  const states = ['finished', 'finished', 'finished', 'running', 'crashed', 'failed'];
  store.db.transaction(() => {
    for (let i = 0; i < spec.runs; i++) {
      const createdAt = BASE_TIME + i * 60_000;
      const loss = random.float(0.01, 2);
      store.createRun({
        entity: 'demo',
        project,
        name: `r${i.toString(36).padStart(7, '0')}`,
        displayName: `run-${i + 1}`,
        config: {
          lr: Number((10 ** random.float(-5, -2)).toPrecision(3)),
          batch_size: random.pick([16, 32, 64, 128]),
          seed: i,
          optimizer: { name: random.pick(['adam', 'sgd']), momentum: 0.9 },
          _wandb: { cli_version: '0.28.3' },
        },
        summary: { loss, accuracy: 1 - loss / 2, _step: 999, _runtime: random.float(60, 3600), _timestamp: createdAt / 1000 },
        tags: i % 10 === 0 ? ['checkpoint'] : [],
        group: `g${i % 20}`,
        jobType: 'train',
        state: random.pick(states),
        createdAt,
        host: `node-${i % 16}`,
      });
    }
  });
}
