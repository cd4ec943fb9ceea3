// Runtime check of the built facade subpath in both module systems: `require('wandb-api/runs')`
// (CJS, dist/*.cjs) and `import('wandb-api/runs')` (ESM, dist/*.js) must both resolve and expose
// listRuns. Run by scripts/check-pkg.mjs once it has linked the packages into test-types/node_modules.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const EXPECTED = ['listRuns', 'getRun', 'listProjects'];
let failed = false;

async function check(label, load) {
  try {
    const mod = await load();
    const missing = EXPECTED.filter((name) => typeof mod[name] !== 'function');
    if (missing.length) throw new Error(`missing export(s) ${missing.join(', ')}`);
    console.log(`ok   ${label}`);
    return mod;
  } catch (error) {
    failed = true;
    console.error(`FAIL ${label}: ${error.message}`);
    return undefined;
  }
}

const cjs = await check("require('wandb-api/runs')", () => require('wandb-api/runs'));
const esm = await check("import('wandb-api/runs')", () => import('wandb-api/runs'));
// Two module systems load two copies (dist/*.cjs and dist/*.js); each must be complete on its own.
if (cjs && esm && cjs.listRuns === esm.listRuns) {
  failed = true;
  console.error('FAIL require() and import() gave the same listRuns: one of them is not the dual build');
}
process.exitCode = failed ? 1 : 0;
