// Loads the browser bundle of @wandb-api/core + @wandb-api/runs (built by ./setup.ts) into a fresh
// Edge Runtime VM (@edge-runtime/vm, the sandbox of Vercel's Edge Runtime): the code under test
// runs with the edge globals only — no `process`, no `Buffer`, no `require`.
import { EdgeVM } from '@edge-runtime/vm';
import { inject } from 'vitest';

/** The browser entries' exports, as the bundle defines them inside the VM. */
export type EdgeSdk = typeof import('../../packages/core/src/index.js') & typeof import('../../packages/runs/src/index.js');

export interface EdgeSandbox {
  sdk: EdgeSdk;
  /** Evaluates an expression inside the VM (e.g. `typeof process`). */
  evaluate<T>(code: string): T;
  /** The VM's own fetch (undici behind the edge primitives). */
  fetch: typeof fetch;
}

export function loadEdgeSdk(): EdgeSandbox {
  const vm = new EdgeVM();
  vm.evaluate(inject('edge').bundle);
  const context = vm.context as unknown as { __wandb: EdgeSdk; fetch: typeof fetch };
  return { sdk: context.__wandb, evaluate: (code) => vm.evaluate(code), fetch: context.fetch };
}
