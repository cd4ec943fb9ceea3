// Select only what is read: every field an operation selects must be read by the code that sends
// it (test/fieldUsage.ts explains how "read" is decided, through the generated types). A field no
// code reads costs bytes on every call and, on a server that lacks it (older W&B Server versions,
// W&B-compatible servers), fails the whole call with a validation error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unreadLeaves } from './fieldUsage.js';

const root = join(__dirname, '..');

describe('selected fields', () => {
  it('are each read by some code (no field travels for nothing)', () => {
    const unread = unreadLeaves(root).map((leaf) => `${leaf.document}: ${leaf.coordinate} (${leaf.paths[0]})`);
    expect(unread).toEqual([]);
  }, 120_000);

  describe('the check can fail', () => {
    // A workspace of one package: a query selecting viewer { id name username } whose code reads
    // `name` directly and `username` through a hand-written type; `id` is read by nothing.
    const fixture = mkdtempSync(join(tmpdir(), 'wandb-field-usage-'));
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(join(fixture, path, '..'), { recursive: true });
      writeFileSync(join(fixture, path), text);
    };
    write('schema/wandb.graphql', 'type Query { viewer: User }\ntype User { id: ID! name: String! username: String }\n');
    write('operations/core/Me.graphql', 'query Me { viewer { __typename id name username } }\n');
    write('packages/core/src/generated/graphql.ts', "export type MeQuery = { viewer: { __typename: 'User', id: string, name: string, username: string | null } | null };\n");
    write(
      'packages/core/src/me.ts',
      [
        "import type { MeQuery } from './generated/graphql.js';",
        'interface Named { readonly username: string | null }',
        'const show = (who: Named) => who.username;',
        "export const me = (data: MeQuery) => (data.viewer ? `${data.viewer.name} ${show(data.viewer)}` : '');",
      ].join('\n'),
    );

    it('reports the one field no code reads', () => {
      expect(unreadLeaves(fixture).map((leaf) => [leaf.coordinate, leaf.paths])).toEqual([['User.id', ['MeQuery.viewer.id']]]);
    }, 60_000);
  });
});
