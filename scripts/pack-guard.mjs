#!/usr/bin/env node
// `prepack` of every published package. Its package.json names its sibling packages with
// `workspace:^` ranges, which mean nothing outside this repository: `pnpm pack` and `pnpm publish`
// rewrite them to real ranges (`^0.1.0`), npm and the others copy them into the tarball as they are.
// So a pack by anything but pnpm is refused, with what to run instead. A package without such
// ranges packs with any tool. Runs in the package's folder (npm and pnpm run `prepack` there).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
const workspaceRanges = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
  Object.entries(pkg[field] ?? {}).filter(([, range]) => String(range).startsWith('workspace:')).map(([name, range]) => `${name}@${range}`),
);
const agent = process.env.npm_config_user_agent ?? '';
if (workspaceRanges.length > 0 && !agent.startsWith('pnpm/')) {
  const tool = agent.split('/')[0] || 'this tool';
  console.error(
    `${pkg.name}: refusing to pack with ${tool}: it would copy ${workspaceRanges.join(', ')} into the tarball, ` +
      `which no consumer can install. Pack or publish with pnpm, which rewrites workspace ranges: ` +
      `pnpm pack (or pnpm publish) in ${process.cwd()}.`,
  );
  process.exit(1);
}
