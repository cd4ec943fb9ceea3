import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index';
import { gql, operation } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'wandb-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file mode', () => {
  it('keeps data and the API key across restarts, and seeds only once', async () => {
    const first = await startServer({ dataDir: dir, seed: 'demo' });
    expect(existsSync(join(dir, 'wandb.sqlite'))).toBe(true);
    const created = await gql(first, operation('UpsertRun'), { input: { name: 'kept', modelName: 'mnist-classifier', summaryMetrics: '{"x": NaN}' } });
    expect(created.status).toBe(200);
    const key = first.apiKey;
    await first.stop();
    await first.stop(); // idempotent

    const second = await startServer({ dataDir: dir, seed: { runs: 50 } });
    try {
      expect(second.apiKey).toBe(key);
      const run = await gql(second, operation('Run'), { project: 'mnist-classifier', entity: 'demo', name: 'kept' });
      expect(run.body.data.project.run.summaryMetrics).toBe('{"x": NaN}');
      const count = await gql(second, operation('RunCount'), { project: 'mnist-classifier', entity: 'demo' });
      expect(count.body.data.project.runCount).toBe(121);
      const large = await gql(second, operation('Project'), { name: 'large', entity: 'demo' });
      expect(large.body.data.project).toBeNull();
    } finally {
      await second.stop();
    }
  });
});
