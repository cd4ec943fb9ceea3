#!/usr/bin/env node
// The dashboard in headless Chromium against @wandb-api/server (demo seed, CORS on, another origin
// than the page). Expected values come from the same server through the library in Node. Exits
// non-zero on the first failed assertion. Run it through `npm run test:browser` (root), which
// installs Chromium when missing and builds the page first.
//   node examples/dashboard/test/browser.mjs <chromium executable>
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@wandb-api/core';
import { getHistory, listRuns } from '@wandb-api/runs';
import { startServer } from '@wandb-api/server';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const distDir = resolve(here, '..', 'dist');
const outputDir = resolve(here, '..', '..', '..', 'test-output');
const PROJECT = 'demo/llm-finetune';
const METRIC = 'loss';
const SAMPLES = 200; // as src/main.ts asks getHistory for
const STEP_TIMEOUT_MS = 60_000; // a ceiling for each wait, not a speed target

const executablePath = process.argv[2];
if (!executablePath) throw new Error('usage: browser.mjs <chromium executable>');
if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir}/index.html is missing: build the dashboard first (vite build).`);

let passed = 0;
/** Runs one named check; the first failure stops the run. */
async function check(name, fn) {
  await fn();
  passed++;
  console.log(`  ✓ ${name}`);
}

/** Serves the built page (another origin than the API, so CORS is part of the test). */
function serveStatic(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

const pointsIn = (d) => (d.match(/[ML]/g) ?? []).length;

const api = await startServer({ seed: 'demo', cors: true });
const site = await serveStatic(distDir);
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
let failed = false;
try {
  const client = createClient({ baseUrl: api.url, apiKey: api.apiKey });
  const expected = await listRuns(client, PROJECT, { full: true, perPage: 100 }).toArray();
  assert.ok(expected.length > 2, `${PROJECT} should have runs`);

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
  const query = new URLSearchParams({ baseUrl: api.url, apiKey: api.apiKey, project: PROJECT });
  await page.goto(`${site.url}/?${query}`);

  const tableIds = () => page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.dataset.runId));
  await check('the table lists the project runs, as the server returns them', async () => {
    await page.waitForSelector('#runs[data-state="ready"]');
    assert.deepEqual(await tableIds(), expected.map((r) => r.id));
    assert.equal(await page.textContent('#status'), `${expected.length} runs in ${PROJECT}.`);
  });

  const lossOf = new Map(expected.map((r) => [r.id, typeof r.summary.loss === 'number' ? r.summary.loss : null]));
  const byLoss = (direction) => {
    const known = [...lossOf.values()].filter((v) => v !== null && !Number.isNaN(v));
    known.sort((a, b) => (direction === 'ascending' ? a - b : b - a));
    return [...known, ...[...lossOf.values()].filter((v) => v === null || Number.isNaN(v))];
  };
  await check('clicking the loss header sorts ascending, then descending', async () => {
    for (const direction of ['ascending', 'descending']) {
      await page.click(`#runs th[data-key="summary.${METRIC}"]`);
      await page.waitForSelector(`#runs th[data-key="summary.${METRIC}"][aria-sort="${direction}"]`);
      const ids = await tableIds();
      assert.deepEqual([...ids].sort(), expected.map((r) => r.id).sort(), 'sorting keeps every run');
      // Compared by value, so runs with equal losses may come in either order.
      assert.deepEqual(ids.map((id) => lossOf.get(id)), byLoss(direction));
    }
  });

  await check('the filter box keeps the runs whose name, id, state, tags or config hold the text', async () => {
    // The rule of src/table.ts filterRuns, restated: every word, case-insensitive.
    const matches = (run, text) => [run.name, run.id, run.state, ...run.tags, JSON.stringify(run.config)].join(' ').toLowerCase().includes(text);
    const text = String(expected[0].config.base_model ?? expected[0].state).toLowerCase();
    const want = expected.filter((r) => matches(r, text)).map((r) => r.id);
    assert.ok(want.length > 0 && want.length < expected.length, `"${text}" should match some runs, not all`);
    await page.fill('#filter', text);
    await page.waitForFunction((n) => document.querySelectorAll('#runs tbody tr').length === n, want.length);
    assert.deepEqual([...(await tableIds())].sort(), [...want].sort());
    await page.fill('#filter', '');
    await page.waitForFunction((n) => document.querySelectorAll('#runs tbody tr').length === n, expected.length);
  });

  const chosen = (await tableIds()).slice(0, 2);
  await check(`selecting 2 runs and the metric "${METRIC}" draws one path per run with every sampled point`, async () => {
    for (const id of chosen) await page.check(`#runs tr[data-run-id="${id}"] input[type="checkbox"]`);
    await page.selectOption('#metric', METRIC);
    await page.waitForSelector(`#chart[data-state="ready"][data-metric="${METRIC}"]`);
    await page.waitForFunction(() => document.querySelectorAll('#chart path.series').length === 2);
    const paths = await page.$$eval('#chart path.series', (els) => els.map((el) => ({ id: el.dataset.runId, d: el.getAttribute('d'), points: Number(el.dataset.points) })));
    assert.deepEqual(paths.map((p) => p.id).sort(), [...chosen].sort());
    for (const path of paths) {
      const run = expected.find((r) => r.id === path.id);
      const rows = await getHistory(client, run, { keys: [METRIC], samples: SAMPLES });
      const finite = rows.filter((row) => Number.isFinite(row._step) && Number.isFinite(row[METRIC])).length;
      assert.ok(finite > 1, `run ${path.id} should have ${METRIC} history`);
      assert.equal(pointsIn(path.d), finite, `points drawn for run ${path.id}`);
      assert.equal(path.points, finite);
    }
  });

  await check('the page logged no errors', async () => {
    assert.deepEqual(pageErrors, []);
  });

  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: join(outputDir, 'dashboard.png'), fullPage: true });
  console.log(`  screenshot: ${join(outputDir, 'dashboard.png')}`);
} catch (error) {
  failed = true;
  console.error(`  ✗ ${error.stack ?? error}`);
} finally {
  await browser.close();
  site.close();
  await api.stop();
}
console.log(`Browser: ${passed} passed, ${failed ? 1 : 0} failed`);
process.exit(failed ? 1 : 0);
