// The demo (`npm run demo`) prints the same tour on every run: the seed dates everything it creates.
import { expect, it } from 'vitest';
import { tour } from '../examples/tour/src/tour';

async function printed(): Promise<string[]> {
  const lines: string[] = [];
  await tour({ print: (line) => lines.push(line), env: {}, port: 0 });
  const origin = /http:\/\/127\.0\.0\.1:\d+/g; // port 0: each run has its own
  return lines.map((line) => line.replace(origin, 'http://127.0.0.1:PORT'));
}

it('prints the same output on every run', async () => {
  const first = await printed();
  const second = await printed();
  expect(second).toEqual(first);
  // Launch creates model-registry while seeding; it was dated the day the demo ran.
  expect(first.find((l) => l.includes('model-registry'))).toMatch(/created 2025-03-01 /);
  expect(first.join('\n')).toContain('Launch queue default (local-container): 5 items');
}, 120_000);
