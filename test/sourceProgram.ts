// A TypeScript program over the workspace's sources, the packages resolving each other to their
// Node entries (as the tests run them): for the checks that read the code with the type checker.
import ts from 'typescript';

const PATHS: Record<string, string[]> = {
  '@wandb-api/core': ['packages/core/src/node.ts'],
  '@wandb-api/runs': ['packages/runs/src/node.ts'],
  '@wandb-api/artifacts': ['packages/artifacts/src/node.ts'],
  '@wandb-api/launch': ['packages/launch/src/index.ts'],
  '@wandb-api/admin': ['packages/admin/src/index.ts'],
  '@wandb-api/admin/automations': ['packages/admin/src/automations/index.ts'],
  '@wandb-api/admin/documents': ['packages/admin/src/documents.ts'],
};

/** The program of `rootNames` (absolute paths) under the repository at `root`; `options` adds to the defaults. */
export function sourceProgram(root: string, rootNames: string[], options: ts.CompilerOptions = {}): ts.Program {
  return ts.createProgram(rootNames, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    customConditions: ['node'],
    ...options,
    baseUrl: root,
    paths: PATHS,
  });
}
