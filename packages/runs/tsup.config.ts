import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

// src/yaml.ts is an entry so js-yaml gets a dist file of its own, loaded on demand by the sweep functions.
export default defineConfig(tsupOptions({ index: 'src/index.ts', node: 'src/node.ts', yaml: 'src/yaml.ts' }));
