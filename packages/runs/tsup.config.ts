import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

// src/yaml.ts is an entry so js-yaml's import gets a dist file of its own (see that file).
export default defineConfig(tsupOptions({ index: 'src/index.ts', node: 'src/node.ts', yaml: 'src/yaml.ts' }));
