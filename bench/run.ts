// npm run bench -- <name>: runs one benchmark (all of them with no name).
import { bundleSizeBench } from './bundle-size.js';
import { downloadArtifactBench } from './download-artifact.js';
import { importTimeBench } from './import-time.js';
import { listRunsBench, listRunsLatencyBench } from './list-runs.js';
import { scanHistoryBench, scanHistoryLatencyBench } from './scan-history.js';
import { soakBench } from './soak.js';

const benches: Record<string, () => Promise<void>> = {
  'list-runs': listRunsBench,
  'list-runs-latency': listRunsLatencyBench,
  'scan-history': scanHistoryBench,
  'scan-history-latency': scanHistoryLatencyBench,
  'download-artifact': downloadArtifactBench,
  'bundle-size': bundleSizeBench,
  'import-time': importTimeBench,
  soak: soakBench,
};

const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in benches));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(benches)) {
  console.log(`# ${name}`);
  await benches[name]!();
}
