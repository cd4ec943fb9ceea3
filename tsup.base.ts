import type { Options } from 'tsup';

/** Shared tsup settings: dual ESM/CJS, .d.ts and .d.cts, browser-neutral unless a package says otherwise. */
export function tsupOptions(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    splitting: true,
    platform: 'neutral',
    ...extra,
  };
}
