#!/usr/bin/env node
// Writes schema/wandb-2023.json: the items of our schema (schema/wandb.graphql) that the reference
// SDL's ADDITIONS.md lists as added to W&B's schema after April 2023 (scripts/lib/additions.mjs).
// Run it after changing schema/wandb.graphql, then `pnpm codegen`. Needs the reference
// (../shared/wandb-schema, outside the repository); test/legacy-schema.test.ts checks the result.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { additionsFile, additionsIn } from './lib/additions.mjs';
import { root } from './lib/tools.mjs';

const reference = join(root, '..', 'shared', 'wandb-schema', 'ADDITIONS.md');
if (!existsSync(reference)) {
  console.error(`legacy-schema: the reference ${reference} is not here; schema/wandb-2023.json is left as it is.`);
  process.exit(1);
}
const out = join(root, 'schema', 'wandb-2023.json');
writeFileSync(out, additionsFile(additionsIn(readFileSync(join(root, 'schema', 'wandb.graphql'), 'utf8'), readFileSync(reference, 'utf8'))));
console.log(`legacy-schema: wrote ${out}`);
