// The `wandb-api` command against the local server: spawned as a real process (tsx over the
// sources), configured only through WANDB_BASE_URL / WANDB_API_KEY as a user would, and called
// in-process (main with its own streams, environment and AbortSignal) where a test needs control.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createArtifact, type LocalServer } from '@wandb-api/server';
import { Progress, progressLine } from '../src/cli/progress.js';
import { RowWriter, csvLine, renderTable } from '../src/cli/format.js';
import { Output } from '../src/cli/output.js';
import { COMMANDS, main as programMain } from '../src/cli/program.js';
import { COMMON_OPTIONS } from '../src/cli/args.js';
import { requestsFor, startTestServer } from '../../../test/support.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('./cli.tsconfig.json', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'wandb-cli-home-'));

let server: LocalServer;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          NETRC: join(home, 'no-netrc'),
          TSX_TSCONFIG_PATH: tsconfig,
          WANDB_BASE_URL: server.url,
          WANDB_API_KEY: server.apiKey,
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const RUNS = [
  { name: 'r1', config: { lr: 0.1, opt: { name: 'adam' } }, summary: { loss: 0.5, acc: 0.9 } },
  { name: 'r2', config: { lr: 0.01, opt: { name: 'sgd' } }, summary: { loss: Infinity } },
  { name: 'r3', config: { lr: 0.001, note: 'has, comma "and" quotes' }, summary: { loss: 0.25 } },
];
const HISTORY = Array.from({ length: 30 }, (_, step) => ({
  _step: step,
  loss: step === 2 ? NaN : 1 / (step + 1),
  ...(step % 10 === 0 ? { val: step } : {}),
}));

beforeAll(async () => {
  server = await startTestServer({ historyExports: 'finished' });
  createArtifact(server.store, { entity: server.entity, project: 'cli', type: 'dataset', name: 'ds', files: { 'a.txt': 'hello', 'dir/b.csv': 'x,y\n1,2\n' } });
  RUNS.forEach((r, i) =>
    server.store.createRun({ entity: server.entity, project: 'cli', ...r, createdAt: new Date(Date.UTC(2026, 0, 1 + i)), history: HISTORY }),
  );
});
afterAll(() => server.stop());
afterEach(() => server.faults.clear());

/** A stream that keeps what is written (a terminal when `tty`). */
class Sink extends Writable {
  text = '';
  isTTY?: boolean;
  columns?: number;
  constructor(tty = false, private readonly onText?: (text: string) => void) {
    super();
    if (tty) {
      this.isTTY = true;
      this.columns = 100;
    }
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    this.onText?.(this.text);
    done();
  }
}

/** The program in-process, with its own streams and environment (no inherited WANDB_* variables). */
async function run(args: string[], options: { env?: Record<string, string>; signal?: AbortSignal; tty?: boolean; onStdout?: (text: string) => void } = {}) {
  const stdout = new Sink(false, options.onStdout);
  const stderr = new Sink(options.tty);
  const env = { HOME: home, NETRC: join(home, 'no-netrc'), WANDB_BASE_URL: server.url, WANDB_API_KEY: server.apiKey, ...options.env };
  const code = await programMain(args, { stdout, stderr, env, ...(options.signal ? { signal: options.signal } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Storage requests for artifact files since the request log was last cleared. */
const blobRequests = () => server.requests.filter((r) => r.path.startsWith('/artifact-blob/')).length;
const temps = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.wandb-download')) : []);

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A new artifact of `n` files of 2 kB each, named uniquely. */
let artifacts = 0;
function manyFiles(n: number): string {
  const name = `many-${artifacts++}`;
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`part/${String(i).padStart(3, '0')}.txt`] = `${name} file ${i} `.repeat(100);
  createArtifact(server.store, { entity: server.entity, project: 'cli', type: 'dataset', name, files });
  return `${server.entity}/cli/${name}:v0`;
}

describe('wandb-api runs', () => {
  it('writes CSV rows from one paged query (no request per run)', async () => {
    server.clearRequests();
    const { code, stdout, stderr } = await cli(['runs', `${server.entity}/cli`, '--columns', 'id,config.lr,config.opt.name,config.note,summary.loss', '--format', 'csv', '--per-page', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'id,config.lr,config.opt.name,config.note,summary.loss',
        'r1,0.1,adam,,0.5',
        'r2,0.01,sgd,,Infinity',
        'r3,0.001,,"has, comma ""and"" quotes",0.25',
        '',
      ].join('\n'),
    );
    const graphql = server.requests.filter((r) => r.origin === 'api' && r.path === '/graphql');
    expect(new Set(graphql.map((r) => r.operationName))).toEqual(new Set(['Runs']));
    expect(requestsFor(server, 'Runs')).toHaveLength(2); // 3 runs, 2 per page
  });

  it('filters, orders and streams JSON lines', async () => {
    const { code, stdout, stderr } = await cli(['runs', `${server.entity}/cli`, '--filter', '{"config.lr": {"$lt": 0.05}}', '--order', '-config.lr.value', '--format', 'jsonl', '--columns', 'id,summary.loss']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('{"id":"r2","summary.loss":Infinity}\n{"id":"r3","summary.loss":0.25}\n');
  });

  it('prints an aligned table by default', async () => {
    const { code, stdout } = await cli(['runs', `${server.entity}/cli`, '--columns', 'id,state,summary.loss']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual(['id  state     summary.loss', '--  --------  ------------', 'r1  finished           0.5', 'r2  finished      Infinity', 'r3  finished          0.25', '']);
  });
});

describe('wandb-api history', () => {
  it('writes CSV with _step and the keys', async () => {
    const { code, stdout } = await cli(['history', `${server.entity}/cli/r1`, '--keys', 'loss,val', '--match', 'any', '--max-step', '12']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('_step,loss,val');
    expect(lines[1]).toBe('0,1,0');
    expect(lines[3]).toBe('2,NaN,');
    expect(lines[11]).toBe('10,0.09090909090909091,10');
    expect(lines).toHaveLength(13);
  });

  it('writes every key as JSON lines', async () => {
    const { code, stdout } = await cli(['history', `${server.entity}/cli/r2`, '--format', 'jsonl']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(30);
    expect(lines[2]).toBe('{"_step":2,"loss":NaN}');
    expect(lines[10]).toBe('{"_step":10,"loss":0.09090909090909091,"val":10}');
  });
});

describe('wandb-api artifact', () => {
  it('ls lists the version\'s files from its manifest', async () => {
    const { code, stdout, stderr } = await cli(['artifact', 'ls', `${server.entity}/cli/ds:latest`, '--format', 'csv']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const md5 = (text: string) => createHash('md5').update(text).digest('base64');
    expect(stdout).toBe(`path,size,digest,ref\na.txt,5,${md5('hello')},\ndir/b.csv,8,${md5('x,y\n1,2\n')},\n`);
    expect((await cli(['artifact', 'ls', `${server.entity}/cli/ds:v7`])).code).toBe(4);
  });

  it('get downloads the version into --root and prints the folder', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'wandb-cli-art-')), 'ds');
    const { code, stdout, stderr } = await cli(['artifact', 'get', `${server.entity}/cli/ds:v0`, '--root', root]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`${root}\n`);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('hello');
    expect(readFileSync(join(root, 'dir/b.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect((await cli(['artifact', 'get', `${server.entity}/cli/nope:v0`, '--root', root])).code).toBe(4);
    expect((await cli(['artifact', 'nope'])).code).toBe(2);
  });
});

describe('wandb-api whoami', () => {
  it('names the user behind the key', async () => {
    const text = await cli(['whoami']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`username: ${server.username}`);
    expect(text.stdout).toContain(`server:   ${server.url}`);
    const json = await cli(['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ username: server.username, entity: server.entity, baseUrl: server.url });
  });
});

describe('exit codes and errors', () => {
  it('2 for bad input, before any request', async () => {
    server.clearRequests();
    for (const args of [
      ['runs', `${server.entity}/cli`, '--format', 'xml'],
      ['runs', `${server.entity}/cli`, '--filter', '{nope'],
      ['runs'],
      ['runs', 'a/b', '--bogus'],
      ['history', `${server.entity}/cli/r1`, '--min-step', '-3'],
      ['history', 'a/b/c/d/e'],
      ['frobnicate'],
    ]) {
      const { code, stderr, stdout } = await cli(args);
      expect({ args, code, stderr }).toEqual({ args, code: 2, stderr: expect.stringMatching(/^wandb-api: /) });
      expect(stderr).toMatch(/^wandb-api: /);
      expect(stdout).toBe('');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('3 for a missing or rejected API key', async () => {
    const missing = await cli(['whoami'], { WANDB_API_KEY: '' });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('no API key');
    const rejected = await cli(['runs', `${server.entity}/cli`], { WANDB_API_KEY: 'x'.repeat(40) });
    expect(rejected.code).toBe(3);
    const malformed = await cli(['whoami'], { WANDB_API_KEY: 'short' });
    expect(malformed.code).toBe(3);
  });

  it('4 for a missing project or run; --json gives the error as JSON', async () => {
    const missingRun = await cli(['history', `${server.entity}/cli/nope`]);
    expect({ code: missingRun.code, stderr: missingRun.stderr }).toEqual({ code: 4, stderr: expect.any(String) });
    const { code, stderr } = await cli(['runs', `${server.entity}/no-such-project`, '--json']);
    expect(code).toBe(4);
    expect(JSON.parse(stderr)).toEqual({ error: { type: 'NotFoundError', message: expect.any(String), exitCode: 4 } });
    const usage = await cli(['runs', '--json']);
    expect(JSON.parse(usage.stderr)).toMatchObject({ error: { type: 'UsageError', exitCode: 2 } });
  });
});

describe('progress and formats', () => {
  it('draws progress only on a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const tty = new Progress('download', { isTTY: true, columns: 120, write: (t: string) => written.push(t) }, () => now);
    tty.update({ bytes: 0, totalBytes: 2_000_000, files: 0, totalFiles: 4 });
    tty.update({ bytes: 1_000_000, files: 2 }); // within 100 ms: not drawn
    now = 150;
    tty.update({ bytes: 1_500_000, files: 3 });
    tty.done();
    expect(written).toHaveLength(4); // first state, the one at 150 ms, the final redraw, the newline
    expect(written[1]).toContain('[###############.....] 75%  1.5 MB / 2.0 MB  3/4 files');
    expect(written[3]).toBe('\n');
    const plain: string[] = [];
    const piped = new Progress('rows', { isTTY: false, write: (t: string) => plain.push(t) });
    piped.update({ rows: 10 });
    piped.done();
    expect(plain).toEqual([]);
    expect(progressLine('history', { rows: 12345, step: 50, totalSteps: 100 })).toBe('history  [##########..........] 50%  12,345 rows');
  });

  it('quotes CSV fields and aligns numbers in tables', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', null, NaN, { x: Infinity }])).toBe('a,"b,c","say ""hi""",,NaN,"{""x"":Infinity}"\n');
    expect(renderTable(['k', 'v'], [{ k: 'a', v: 1 }, { k: 'bb', v: 10.5 }])).toBe('k      v\n--  ----\na      1\nbb  10.5\n');
  });
});

describe('the program as people use it', () => {
  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `wandb-api ${version}\n`, stderr: '' });
  });

  it('bare wandb-api exits 2 with the usage on stderr; --help and help print it on stdout', async () => {
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('usage: wandb-api <command> [options]');
    for (const command of COMMANDS) expect(bare.stderr).toContain(`  ${command.name}`);
    for (const args of [['--help'], ['-h'], ['help']]) expect(await run(args)).toEqual({ code: 0, stdout: bare.stderr, stderr: '' });
  });

  it('every command has a --help naming and describing each of its options and the common ones', async () => {
    for (const command of COMMANDS) {
      const { code, stdout, stderr } = await run([...command.name.split(' '), '--help']);
      expect({ command: command.name, code, stderr }).toEqual({ command: command.name, code: 0, stderr: '' });
      expect(stdout.startsWith(`usage: ${command.usage}\n`)).toBe(true);
      for (const [name, option] of Object.entries({ ...command.options, ...COMMON_OPTIONS })) {
        const line = stdout.split('\n').find((l) => new RegExp(`^  (-\\w, )?--${name}\\b`).test(l));
        expect(line, `${command.name} --${name}`).toContain(option.description);
      }
      expect((await run(['help', ...command.name.split(' ')])).stdout).toBe(stdout);
    }
    expect((await run(['runs', '--help'])).stdout).toMatch(/--filter JSON +a MongoDB-style filter/);
  });

  it('--base-url and --api-key override the environment, before or after the command', async () => {
    const env = { WANDB_BASE_URL: 'http://127.0.0.1:9', WANDB_API_KEY: 'x'.repeat(40) };
    const after = await run(['whoami', '--json', '--base-url', server.url, '--api-key', server.apiKey], { env });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ username: server.username, baseUrl: server.url });
    const before = await run(['--base-url', server.url, '--api-key', server.apiKey, 'whoami', '--json'], { env });
    expect(before.stdout).toBe(after.stdout);
    // Without them the environment is used: its key is rejected.
    expect((await run(['whoami'], { env: { WANDB_API_KEY: 'x'.repeat(40) } })).code).toBe(3);
    expect((await run(['whoami', '--api-key', 'short'])).code).toBe(3);
  });

  it('--keys naming a key the run lacks warns on stderr (JSON with --json)', async () => {
    const { code, stdout, stderr } = await run(['history', `${server.entity}/cli/r1`, '--keys', 'loss,nope', '--match', 'any', '--max-step', '2']);
    expect(code).toBe(0);
    expect(stderr).toBe(`wandb-api: warning: run ${server.entity}/cli/r1 has no history key 'nope'\n`);
    expect(stdout).toBe('_step,loss,nope\n0,1,\n1,0.5,\n');
    const json = await run(['history', `${server.entity}/cli/r1`, '--keys', 'nope', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stderr)).toEqual({ warning: { message: `run ${server.entity}/cli/r1 has no history key 'nope'` } });
    expect(json.stdout).toBe('_step,nope\n');
  });

  it('history without --keys streams CSV: the header is the run\'s history keys, rows go out before the last is read', async () => {
    const steps = 8000;
    server.store.createRun({
      entity: server.entity,
      project: 'cli',
      name: 'long',
      state: 'running',
      history: Array.from({ length: steps }, (_, step) => ({ _step: step, loss: 1 / (step + 1), ...(step % 2 ? { acc: step } : {}) })),
    });
    server.clearRequests();
    let requestsAtFirstRow = -1;
    const { code, stdout } = await run(['history', `${server.entity}/cli/long`], {
      onStdout: (text) => {
        if (requestsAtFirstRow < 0 && text.split('\n').length > 2) requestsAtFirstRow = server.requests.length;
      },
    });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]!.split(',').sort()).toEqual(['_step', 'acc', 'loss']);
    expect(lines[0]!.startsWith('_step,')).toBe(true);
    expect(lines).toHaveLength(steps + 1);
    expect(requestsAtFirstRow).toBeGreaterThan(0);
    expect(requestsAtFirstRow).toBeLessThan(server.requests.length);
  });

  it('runs --format table through the program', async () => {
    const { code, stdout } = await run(['runs', `${server.entity}/cli`, '--columns', 'id,summary.loss', '--limit', '2']);
    expect(code).toBe(0);
    expect(stdout).toBe('id  summary.loss\n--  ------------\nr1           0.5\nr2      Infinity\n');
  });

  it('a table of 200k rows is written whole and aligned (no RangeError)', async () => {
    const sink = new Sink();
    const writer = new RowWriter(new Output(sink), 'table', ['id', 'n']);
    const rows = 200_000;
    for (let i = 0; i < rows; i++) await writer.write({ id: `run-${i}`, n: i });
    await writer.end();
    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows + 2);
    // Widths from the longest cells: 'run-199999' (10) and '199999' (6); numbers right-aligned.
    expect(lines[0]).toBe(`${'id'.padEnd(10)}  ${'n'.padStart(6)}`);
    expect(lines[1]).toBe('----------  ------');
    expect(lines[2]).toBe(`${'run-0'.padEnd(10)}  ${'0'.padStart(6)}`);
    expect(lines.at(-1)).toBe('run-199999  199999');
  });
});

describe('interrupting a download', () => {
  it('an aborted artifact get stops, removes its temp files, clears the progress line and exits 130; the next run completes', async () => {
    const path = manyFiles(40);
    const folder = join(mkdtempSync(join(tmpdir(), 'wandb-cli-abort-')), 'ds');
    // Blobs answer slowly: every download is in flight.
    server.faults.add({ path: '/artifact-blob/*', latencyMs: 5_000 });
    server.clearRequests();
    const controller = new AbortController();
    const started = run(['artifact', 'get', path, '--root', folder], { signal: controller.signal, tty: true });
    await until(() => blobRequests() >= 10, 'downloads in flight');
    controller.abort();
    const { code, stdout, stderr } = await started;
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(temps(folder)).toEqual([]);
    expect(readdirSync(join(folder, 'part'))).toEqual([]);
    // The progress line was erased before the message, which starts a clean line.
    expect(stderr).toMatch(/\r\x1b\[2Kwandb-api: interrupted\n$/);
    server.faults.clear();
    // Temp files a killed process left (its pid is gone) are removed by the next run in that folder.
    const stale = join(folder, 'part', `.${2 ** 30}-0123456789ab.wandb-download`);
    writeFileSync(stale, 'left by a killed download');
    const again = await run(['artifact', 'get', path, '--root', folder]);
    expect(again).toEqual({ code: 0, stdout: `${folder}\n`, stderr: '' });
    expect(readdirSync(join(folder, 'part'))).toHaveLength(40);
    expect(temps(folder)).toEqual([]);
  });

  it('Ctrl-C (SIGINT) to the real process: exit 130, no temp file left', async () => {
    const path = manyFiles(32);
    const folder = join(mkdtempSync(join(tmpdir(), 'wandb-cli-sigint-')), 'ds');
    server.faults.add({ path: '/artifact-blob/*', latencyMs: 10_000 });
    server.clearRequests();
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'artifact', 'get', path, '--root', folder], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: home, NETRC: join(home, 'no-netrc'), TSX_TSCONFIG_PATH: tsconfig, WANDB_BASE_URL: server.url, WANDB_API_KEY: server.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => blobRequests() >= 10, 'downloads in flight', 20_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('wandb-api: interrupted\n');
    expect(temps(folder)).toEqual([]);
  });
});
