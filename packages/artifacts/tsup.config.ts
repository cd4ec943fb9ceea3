import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

export default defineConfig(tsupOptions({ index: 'src/index.ts', node: 'src/node.ts' }));
