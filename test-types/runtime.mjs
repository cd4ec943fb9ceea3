// Runtime check of the built facade subpath in both module systems: `require('wandb-api/runs')`
// (CJS, dist/*.cjs) and `import('wandb-api/runs')` (ESM, dist/*.js) must both resolve and expose
// listRuns. Then `wandb-api` itself: Node must get its `node` entry, whose local-disk methods are
// the real ones (a bad file name is refused as such, not as "needs Node"). Run by
// scripts/check-pkg.mjs once it has linked the packages into test-types/node_modules.
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

/** The facade under `node`: dist/node.{js,cjs}, and File#download is downloadFile of @wandb-api/runs. */
async function checkNodeEntry(label, resolved, mod) {
  try {
    if (!/\/dist\/node\.c?js$/.test(resolved)) throw new Error(`resolves to ${resolved}, not dist/node.*`);
    const client = mod.createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'x'.repeat(40), env: {} });
    const file = new mod.File(client, { id: 'f', name: '../outside.txt', url: '', directUrl: '', size: 0, md5: null, mimetype: null, updatedAt: null });
    const error = await file.download({ root: 'unused' }).then(() => new Error('download resolved'), (e) => e);
    if (!(error instanceof mod.ValidationError) || !/Invalid path/.test(error.message)) throw new Error(`File#download: ${error.message}`);
    console.log(`ok   ${label}: the node entry`);
  } catch (error) {
    failed = true;
    console.error(`FAIL ${label}: ${error.message}`);
  }
}
await checkNodeEntry("require('wandb-api')", require.resolve('wandb-api'), require('wandb-api'));
await checkNodeEntry("import('wandb-api')", import.meta.resolve('wandb-api'), await import('wandb-api'));
process.exitCode = failed ? 1 : 0;
