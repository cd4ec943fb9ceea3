// Links the workspace's publishable packages (as built, through their package.json "exports")
// into <dir>/node_modules, so a consumer folder outside the workspace (test-types/, scripts/size/)
// resolves `wandb-api`, `@wandb-api/*` and `@urql/core` exactly as an installed copy would.
// The links are symlinks to the package folders: Node, TypeScript and esbuild follow them to the
// real path, so each package's own dependencies resolve from its own node_modules.
import { existsSync, lstatSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { root } from './tools.mjs';

export { root };

/** Package name → folder under packages/ (the server is not a consumer-facing package). */
export const PUBLIC_PACKAGES = {
  '@wandb-api/core': 'core',
  '@wandb-api/runs': 'runs',
  '@wandb-api/artifacts': 'artifacts',
  '@wandb-api/launch': 'launch',
  '@wandb-api/admin': 'admin',
  'wandb-api': 'api',
};

/** Creates (or refreshes) the links; returns the node_modules folder. */
export function linkPackages(dir) {
  const nodeModules = join(dir, 'node_modules');
  const targets = Object.fromEntries(Object.entries(PUBLIC_PACKAGES).map(([name, folder]) => [name, join(root, 'packages', folder)]));
  // The same @urql/core that @wandb-api/core depends on (the size floor measures it).
  targets['@urql/core'] = realpathSync(join(root, 'packages', 'core', 'node_modules', '@urql', 'core'));
  for (const [name, target] of Object.entries(targets)) {
    if (!existsSync(join(target, 'package.json'))) throw new Error(`${name}: no package at ${target}`);
    const link = join(nodeModules, name);
    mkdirSync(dirname(link), { recursive: true });
    if (existsSync(link) || isSymlink(link)) rmSync(link, { recursive: true, force: true });
    symlinkSync(target, link, 'junction');
  }
  return nodeModules;
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
