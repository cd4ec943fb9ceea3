// Docs that are true. The facade README's "What each entry exports" lists every value export of
// every entry, and marks with *(Node)* exactly those that only the `node` export condition has: an
// export added without documenting it, or a name listed that no longer exists, fails here. And the
// published docs carry no notes about this repository's own work in progress.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const readme = readFileSync(at('packages/api/README.md'), 'utf8');

/** The README's text under `### \`<entry>\``, up to the next heading. */
function section(entry: string): string {
  const start = readme.indexOf(`### \`${entry}\``);
  if (start === -1) throw new Error(`packages/api/README.md has no section for ${entry}`);
  const rest = readme.slice(start + 4);
  const end = rest.search(/^#{2,3} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The identifiers a section names in backticks, and those of them marked *(Node)*. */
function listed(entry: string): { all: string[]; node: string[] } {
  const matches = [...section(entry).matchAll(/`([A-Za-z_$][\w$]*)`(\s+\*\(Node\)\*)?/g)];
  return { all: matches.map((m) => m[1]!).sort(), node: matches.filter((m) => m[2]).map((m) => m[1]!).sort() };
}

async function exportsOf(path: string): Promise<string[]> {
  return Object.keys(await import(/* @vite-ignore */ at(path))).sort();
}

describe('packages/api/README.md', () => {
  for (const pkg of ['core', 'runs', 'artifacts', 'launch', 'admin']) {
    it(`lists every export of wandb-api/${pkg}, Node-only ones marked`, async () => {
      const browser = await exportsOf(`packages/${pkg}/src/index.ts`);
      const nodeEntry = `packages/${pkg}/src/node.ts`;
      const node = existsSync(at(nodeEntry)) ? await exportsOf(nodeEntry) : browser;
      const { all, node: markedNode } = listed(`wandb-api/${pkg}`);
      expect(all).toEqual(node);
      expect(markedNode).toEqual(node.filter((name) => !browser.includes(name)));
    });
  }

  it("lists the classes of wandb-api (besides what wandb-api/core exports)", async () => {
    const core = listed('wandb-api/core').all;
    const facade = await exportsOf('packages/api/src/index.ts');
    expect([...new Set([...listed('wandb-api').all, ...core])].sort()).toEqual(facade);
  });
});

describe('the published docs', () => {
  const docs = [
    ...readdirSync(at('docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
    ...readdirSync(at('packages')).map((p) => `packages/${p}/README.md`).filter((f) => existsSync(at(f))),
    'README.md',
  ];

  it.each(docs)('%s has no internal work-in-progress note', (doc) => {
    const text = readFileSync(at(doc), 'utf8');
    expect(text).not.toMatch(/work in progress|\/tmp\/|\bTODO\b|\bWIP\b/i);
  });
});
