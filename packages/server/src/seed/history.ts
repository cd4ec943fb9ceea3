/**
 * History-heavy seeds. `seedLongHistories`: demo/long-history, three runs with 10k steps each,
 * a sparse `val_loss` (every 100 steps), the odd NaN/±Infinity and system metrics. `seedHistoryBench`:
 * demo/history-bench run `big` with N rows × 5 metrics, streamed into one transaction.
 */
import { Random } from '../random';
import type { Store } from '../store/store';

const BASE_TIME = Date.UTC(2025, 2, 1, 0, 0, 0);

/** The rows of a 10k-step demo run; non-finite values appear where real training blows up. */
function* longRows(random: Random, steps: number, createdAt: number): Generator<Record<string, unknown>> {
  const l0 = random.float(2, 4);
  for (let step = 0; step < steps; step++) {
    const progress = step / steps;
    const loss = l0 * Math.exp(-3 * progress) + random.float(0, 0.05);
    const row: Record<string, unknown> = {
      _step: step,
      _runtime: step * 0.5,
      _timestamp: createdAt / 1000 + step * 0.5,
      loss: step % 2500 === 1234 ? NaN : Number(loss.toFixed(5)),
      lr: Number((1e-3 * (1 - progress)).toPrecision(4)),
      grad_norm: step === 4321 ? Infinity : step === 4322 ? -Infinity : Number(random.float(0.1, 3).toFixed(4)),
    };
    if (step % 100 === 0) row.val_loss = Number((loss * random.float(1.02, 1.2)).toFixed(5));
    yield row;
  }
}

export function seedLongHistories(store: Store, random = new Random(99)): void {
  store.createProject({ entity: 'demo', name: 'long-history', description: 'Runs with 10k-step histories', createdAt: BASE_TIME - 60_000 });
  for (let i = 0; i < 3; i++) {
    const createdAt = BASE_TIME + i * 6 * 3_600_000;
    const { internalId } = store.createRun({
      entity: 'demo',
      project: 'long-history',
      name: `long${i + 1}`,
      displayName: `long-run-${i + 1}`,
      config: { lr: 1e-3, steps: 10_000 },
      summary: { _step: 9_999 },
      createdAt,
      events: Array.from({ length: 200 }, (_, k) => ({
        _runtime: k * 25,
        _timestamp: createdAt / 1000 + k * 25,
        _wandb: true,
        'system.cpu': random.int(5, 90),
        'system.memory': random.int(20, 60),
        'system.gpu.0.gpu': random.int(40, 99),
      })),
    });
    store.history.append(internalId, longRows(random, 10_000, createdAt));
  }
}

/** demo/history-bench run `big`: `rows` steps of loss, acc, lr, grad_norm, tokens (+ _step, _runtime). */
export function seedHistoryBench(store: Store, spec: { historyRows: number }, random = new Random(5)): void {
  store.db.transaction(() => {
    const { internalId } = store.createRun({ entity: 'demo', project: 'history-bench', name: 'big', createdAt: BASE_TIME });
    store.history.append(internalId, benchRows(random, spec.historyRows));
  });
}

function* benchRows(random: Random, rows: number): Generator<Record<string, unknown>> {
  for (let step = 0; step < rows; step++) {
    yield {
      _step: step,
      _runtime: step * 0.1,
      loss: 1 / (1 + step / 1000) + random.next() * 0.01,
      acc: 1 - 1 / (1 + step / 1000),
      lr: 1e-3,
      grad_norm: random.next() * 2,
      tokens: step * 4096,
    };
  }
}
