// The 2023 profile: W&B's schema as it was in April 2023 is our schema without what W&B added since.
// schema/wandb-2023.json lists those items (derived by scripts/legacy-schema.mjs from our schema and
// the reference's ADDITIONS.md); the server's w&b-2023 profile takes them out. Every generated
// document marked `#needs` (its needs listed in packages/core/src/generated/needs.ts) uses exactly
// those: it validates against the 2023 schema if and only if it needs nothing. The derivation is checked only where the reference is
// (it is outside the repository); the rest runs everywhere.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate, validateSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as admin from '../packages/admin/src/generated/graphql.js';
import * as artifacts from '../packages/artifacts/src/generated/graphql.js';
import * as core from '../packages/core/src/generated/graphql.js';
import * as probe from '../packages/core/src/generated/probe.js';
import * as launch from '../packages/launch/src/generated/graphql.js';
import * as runs from '../packages/runs/src/generated/graphql.js';
import * as artifactsLegacy from '../packages/artifacts/src/generated/legacy.js';
import * as launchLegacy from '../packages/launch/src/generated/legacy.js';
import * as runsLegacy from '../packages/runs/src/generated/legacy.js';
import { NEEDS } from '../packages/core/src/generated/needs.js';
import { withoutAdditions } from '../packages/server/src/graphql/profiles.js';
// @ts-expect-error -- a plain .mjs module of the repository's scripts
import { additionsFile, additionsIn } from '../scripts/lib/additions.mjs';

const root = join(__dirname, '..');
const additionsPath = join(root, '..', 'shared', 'wandb-schema', 'ADDITIONS.md');
const hasReference = existsSync(additionsPath);
if (!hasReference) console.warn(`[legacy-schema] derivation not checked: reference ADDITIONS.md not found at ${additionsPath}`);

const ourSdl = readFileSync(join(root, 'schema', 'wandb.graphql'), 'utf8');
const committed = readFileSync(join(root, 'schema', 'wandb-2023.json'), 'utf8');
const { $comment, ...removals } = JSON.parse(committed);
const legacy = buildSchema(withoutAdditions(ourSdl, removals));
const current = buildSchema(ourSdl);

/** What a generated document needs (by its `#needs` mark and operation name). */
const needsOf = (text: string): readonly string[] => {
  const marked = /^(?:#\w+\s*)?#needs\s*(?:query|mutation)\s*(\w+)/.exec(text)?.[1];
  return marked ? (NEEDS[marked] ?? ['(not listed)']) : [];
};

const documents = Object.entries({ ...core, ...probe, ...runs, ...artifacts, ...launch, ...admin, ...runsLegacy, ...artifactsLegacy, ...launchLegacy }).filter(([name]) => name.endsWith('Document')) as [string, string][];

describe.skipIf(!hasReference)('schema/wandb-2023.json', () => {
  it('is what scripts/legacy-schema.mjs derives from our schema and the reference ADDITIONS.md', () => {
    expect(committed).toBe(additionsFile(additionsIn(ourSdl, readFileSync(additionsPath, 'utf8'))));
  });
});

describe('the w&b-2023 profile', () => {
  it('is a valid schema without every listed item, and with the 2023 types', () => {
    expect(validateSchema(legacy)).toEqual([]);
    for (const name of removals.type) expect(legacy.getType(name), name).toBeUndefined();
    const fieldOf = (coordinate: string) => {
      const [type, field] = coordinate.split('.');
      return (legacy.getType(type!) as { getFields?(): Record<string, { type: unknown; args?: { name: string }[] }> } | undefined)?.getFields?.()[field!];
    };
    for (const coordinate of [...removals.field, ...removals.inputField]) expect(fieldOf(coordinate), coordinate).toBeUndefined();
    for (const coordinate of removals.argument) {
      const [, at, arg] = /^(\w+\.\w+)\((\w+):\)$/.exec(coordinate)!;
      expect(fieldOf(at!)!.args!.map((a) => a.name), coordinate).not.toContain(arg);
    }
    for (const [coordinate, type] of Object.entries(removals.retyped)) expect(String(fieldOf(coordinate)!.type), coordinate).toBe(type);
    // Everything else is as in our schema: same number of types besides the removed ones.
    expect(Object.keys(legacy.getTypeMap()).length).toBe(Object.keys(current.getTypeMap()).length - removals.type.length);
  });

  it('refuses exactly the generated documents that name a need, and runs the others', () => {
    const wrong = documents.flatMap(([name, text]) => {
      const errors = validate(legacy, parse(text)).map((e) => e.message);
      const needs = needsOf(text);
      return needs.length > 0 === errors.length > 0 ? [] : [`${name}: needs [${needs.join(' ')}] but the 2023 schema says [${errors.join(' | ')}]`];
    });
    expect(wrong).toEqual([]);
    // Every older variant runs there.
    const legacyVariants = documents.filter(([name]) => /Legacy(Document)$/.test(name) && !/^Get(Entity)?AutomationsLegacy/.test(name));
    expect(legacyVariants.filter(([, text]) => needsOf(text).length).map(([name]) => name)).toEqual([]);
  });

  it('names no need the capability probe does not look at, in documents or in code (checkSupport)', () => {
    const probed = new Set([...probe.ServerProbeDocument.matchAll(/(\w+):__type\(name:"(\w+)"\)/g)].map((m) => m[2]!));
    // Input fields code checks before setting them (checkSupport): every `'XInput.field'` literal of the sources.
    const inCode = readdirSync(join(root, 'packages'))
      .filter((pkg) => existsSync(join(root, 'packages', pkg, 'src')))
      .flatMap((pkg) =>
        readdirSync(join(root, 'packages', pkg, 'src'), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.ts') && !f.startsWith('generated'))
          .flatMap((f) => [...readFileSync(join(root, 'packages', pkg, 'src', f), 'utf8').matchAll(/'([A-Z]\w*Input\.\w+)'/g)].map((m) => m[1]!)),
      );
    expect(inCode.length).toBeGreaterThan(0);
    const unprobed = [...documents.flatMap(([, text]) => needsOf(text)), ...inCode].filter((need) => !probed.has(need.split('.')[0]!));
    expect([...new Set(unprobed)]).toEqual([]);
    // And they are newer than 2023 (else the check would refuse what every server takes).
    expect(inCode.filter((need) => !removals.inputField.includes(need))).toEqual([]);
  });
});
