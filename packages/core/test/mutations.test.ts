// Every mutation in operations/ is classified in operations/mutations.json (idempotent, delete or
// unsafe), and its generated document carries that class for the request loop to read.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');
const table = JSON.parse(readFileSync(join(root, 'operations/mutations.json'), 'utf8')).mutations as Record<string, [string, string]>;
const packages = readdirSync(join(root, 'operations')).filter((d) => !d.startsWith('_') && !d.includes('.'));
// Older variants sit in operations/<pkg>/legacy and are generated into src/generated/legacy.ts.
const mutations = packages.flatMap((pkg) =>
  readdirSync(join(root, 'operations', pkg), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql'))
    .flatMap((f) =>
      [...readFileSync(join(root, 'operations', pkg, f), 'utf8').matchAll(/^\s*mutation\s+(\w+)/gm)].map((m) => ({ pkg, name: m[1]!, generated: f.startsWith('legacy') ? 'legacy.ts' : 'graphql.ts' })),
    ),
);

describe('operations/mutations.json', () => {
  it('classifies every mutation, with a reason', () => {
    expect(mutations.length).toBeGreaterThan(30);
    const unclassified = mutations.filter(({ name }) => !['idempotent', 'delete', 'unsafe'].includes(table[name]?.[0] ?? ''));
    expect(unclassified).toEqual([]);
    for (const { name } of mutations) expect(table[name]![1].length).toBeGreaterThan(3);
  });

  it('names no mutation that does not exist', () => {
    const names = new Set(mutations.map((m) => m.name));
    expect(Object.keys(table).filter((name) => !names.has(name))).toEqual([]);
  });

  it('is stamped on every generated mutation document', () => {
    for (const { pkg, name, generated: file } of mutations) {
      const generated = readFileSync(join(root, 'packages', pkg, 'src/generated', file), 'utf8');
      // The class comes first; a `#needs` mark may follow (scripts/pure-documents.mjs).
      expect(generated, name).toMatch(new RegExp(`\`#${table[name]![0]}\n(#needs\n)?mutation ${name}\\(`));
    }
  });
});
