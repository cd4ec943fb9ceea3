import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

export default defineConfig([
  tsupOptions({ index: 'src/index.ts' }),
  // The entry the Api facade imports on first use: its own build, sharing no chunk with index. A
  // shared chunk would be a module both the facade's static import of index and its dynamic import
  // reach, and bundlers load such a module up front, automations and all.
  tsupOptions({ automations: 'src/automations/index.ts' }, { clean: false, splitting: false }),
  // The documents the facade holds as Api class constants: on their own for the same reason.
  tsupOptions({ documents: 'src/documents.ts' }, { clean: false, splitting: false }),
]);
