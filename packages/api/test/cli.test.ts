// The `wandb-api` command, spawned as a real process (tsx over the sources) against the local
// server, configured only through WANDB_BASE_URL / WANDB_API_KEY as a user would.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifact, type LocalServer } from '@wandb-api/server';
import { Progress, progressLine } from '../src/cli/progress.js';
import { csvLine, renderTable } from '../src/cli/format.js';
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
