// How the published packages name their dependencies, and how they may be packed. Runtime
// dependencies take caret ranges (a consumer's installer can dedupe them against its own copies;
// the workspace's own packages as `workspace:^`, which pnpm publishes as `^<version>`); dev
// dependencies stay pinned. `npm pack` would copy `workspace:` ranges into a tarball, so the
// `prepack` guard (scripts/pack-guard.mjs) refuses it and points at `pnpm pack`. (`npm run
// check:pkg` checks the tarballs `pnpm pack` makes.)
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const published = readdirSync(at('packages'))
  .map((folder) => ({ folder, manifest: JSON.parse(readFileSync(at(`packages/${folder}/package.json`), 'utf8')) as Manifest }))
  .filter(({ manifest }) => !manifest.private);

/** Runs the guard as a package's `prepack` runs it: in the package's folder, under `agent`. */
function guard(folder: string, agent: string) {
  return spawnSync(process.execPath, [at('scripts/pack-guard.mjs')], {
    cwd: at(`packages/${folder}`),
    env: { ...process.env, npm_config_user_agent: agent },
    encoding: 'utf8',
  });
}

describe('the published packages', () => {
  it('are all here', () => {
    expect(published.map((p) => p.manifest.name).sort()).toEqual(['@wandb-api/admin', '@wandb-api/artifacts', '@wandb-api/core', '@wandb-api/launch', '@wandb-api/runs', '@wandb-api/server', 'wandb-api']);
  });

  it.each(published)('$manifest.name: caret ranges for runtime dependencies, pinned dev dependencies', ({ manifest }) => {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      expect(`${name}@${range}`).toMatch(name.startsWith('@wandb-api/') || name === 'wandb-api' ? /@workspace:\^$/ : /@\^\d+\.\d+\.\d+$/);
    }
    for (const [name, range] of Object.entries(manifest.devDependencies ?? {})) expect(`${name}@${range}`).toMatch(/@\d+\.\d+\.\d+$/);
  });

  it.each(published)('$manifest.name: prepack runs the pack guard', ({ manifest }) => {
    expect(manifest.scripts?.prepack).toBe('node ../../scripts/pack-guard.mjs');
  });
});

describe('the pack guard', () => {
  it('refuses npm for a package with workspace ranges, pointing at pnpm pack', () => {
    const r = guard('api', 'npm/10.9.2 node/v20.20.2 linux x64 workspaces/false');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('wandb-api: refusing to pack with npm');
    expect(r.stderr).toContain('@wandb-api/core@workspace:^');
    expect(r.stderr).toContain('pnpm pack');
  });

  it('lets pnpm pack it, and any tool pack a package without workspace ranges', () => {
    expect(guard('api', 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64').status).toBe(0);
    expect(guard('core', 'npm/10.9.2 node/v20.20.2 linux x64 workspaces/false').status).toBe(0);
  });

  it('stops a real `npm pack` before it writes a tarball', () => {
    const r = spawnSync('npm', ['pack', '--dry-run'], {
      cwd: at('packages/runs'),
      encoding: 'utf8',
      shell: process.platform === 'win32',
      // Without the npm_* variables of whatever started the tests (pnpm's user agent among them).
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))), npm_config_loglevel: 'error' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('@wandb-api/runs: refusing to pack with npm');
    expect(r.stderr).toContain('pnpm pack');
  });
});
