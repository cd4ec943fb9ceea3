// Parquet history exports on the wire: Run.parquetHistory's signed URL, the file's columns and
// types (read back with hyparquet), the export policy, cache invalidation and range reads.
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../src/index';
import { gql, operation } from './helpers';

let server: LocalServer;
let tail = 0;

const ROWS = Array.from({ length: 40 }, (_, step) => ({
  _step: step,
  loss: step === 3 ? NaN : step === 4 ? -Infinity : step / 10,
  ...(step % 5 === 0 ? { val: step, tag: `s${step}`, ok: step % 10 === 0 } : {}),
  ...(step % 20 === 0 ? { media: { _type: 'image-file', score: Infinity } } : {}),
  ...(step % 20 === 1 ? { media: null } : {}),
}));

interface Exported {
  parquetUrls: string[];
  liveData?: { _step: number }[];
}

async function parquetHistory(run: string, withLiveData = true): Promise<Exported> {
  const res = await gql(server, operation('RunParquetHistory'), { entity: server.entity, project: 'p', name: run, liveKeys: ['_step'], withLiveData });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.project.run.parquetHistory as Exported;
}

async function download(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.arrayBuffer();
}

beforeAll(async () => {
  server = await startServer({ port: 0, memory: true, historyExports: 'finished' });
  server.store.createRun({ entity: server.entity, project: 'p', name: 'done', history: ROWS });
  server.store.createRun({ entity: server.entity, project: 'p', name: 'running', state: 'running', history: ROWS });
  tail = server.store.createRun({ entity: server.entity, project: 'p', name: 'tail', history: ROWS }).internalId;
});
afterAll(() => server.stop());

describe('Run.parquetHistory', () => {
  it('exports a finished run: _step INT64, numbers DOUBLE (NaN kept), JSON text for objects and logged nulls', async () => {
    const { parquetUrls, liveData } = await parquetHistory('done');
    expect(liveData).toEqual([]);
    expect(parquetUrls).toHaveLength(1);
    expect(parquetUrls[0]!.startsWith(`${server.storageUrl}/blob/`)).toBe(true);
    const file = await download(parquetUrls[0]!);
    const metadata = parquetMetadata(file);
    const types = Object.fromEntries(parquetSchema(metadata).children.map((c) => [c.element.name, c.element.converted_type ?? c.element.type]));
    expect(types).toEqual({ _step: 'INT64', loss: 'DOUBLE', val: 'DOUBLE', tag: 'UTF8', ok: 'BOOLEAN', media: 'UTF8' });
    expect(metadata.key_value_metadata).toContainEqual({ key: 'wandb.json_columns', value: '["media"]' });
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(40);
    expect(rows[3]).toMatchObject({ _step: 3n, loss: NaN, val: null });
    expect(rows[4]?.loss).toBe(-Infinity);
    expect(rows[20]).toMatchObject({ _step: 20n, val: 20, tag: 's20', ok: true, media: '{"_type":"image-file","score":Infinity}' });
    expect(rows[21]?.media).toBe('null'); // logged null, distinct from "not logged" (null)
    expect(rows[22]?.media).toBeNull();
  });

  it('leaves a running run all live, and exports nothing when off', async () => {
    expect(await parquetHistory('running')).toEqual({ parquetUrls: [], liveData: ROWS.map((r) => ({ _step: r._step })) });
    server.store.historyExportPolicy = 'off';
    try {
      expect((await parquetHistory('done', false)).parquetUrls).toEqual([]);
    } finally {
      server.store.historyExportPolicy = 'finished';
    }
  });

  it('serves rows after the export point as liveData, and re-exports when history changes', async () => {
    server.store.historyExports.write(tail, 25);
    const partial = await parquetHistory('tail');
    expect(partial.liveData).toEqual(ROWS.slice(25).map((r) => ({ _step: r._step })));
    expect(await parquetReadObjects({ file: await download(partial.parquetUrls[0]!), columns: ['_step'] })).toHaveLength(25);
    // The same export while nothing changes (cached), a new one after an append.
    expect((await parquetHistory('tail')).parquetUrls[0]!.split('?')[0]).toBe(partial.parquetUrls[0]!.split('?')[0]);
    server.store.history.append(tail, [{ _step: 40, loss: 1 }]);
    const grown = await parquetHistory('tail');
    expect(grown.liveData).toEqual([]);
    expect(await parquetReadObjects({ file: await download(grown.parquetUrls[0]!), columns: ['_step'] })).toHaveLength(41);
  });

  it('answers byte ranges as S3 does, without credentials', async () => {
    const [url] = (await parquetHistory('done')).parquetUrls;
    const whole = new Uint8Array(await download(url!));
    const suffix = await fetch(url!, { headers: { Range: 'bytes=-8' } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe(`bytes ${whole.length - 8}-${whole.length - 1}/${whole.length}`);
    expect(new TextDecoder().decode(new Uint8Array(await suffix.arrayBuffer()).subarray(4))).toBe('PAR1');
    const middle = await fetch(url!, { headers: { Range: 'bytes=4-9' } });
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(whole.subarray(4, 10));
    expect((await fetch(url!, { headers: { Range: `bytes=${whole.length}-` } })).status).toBe(416);
    expect((await fetch(url!, { headers: { Authorization: 'Basic x' } })).status).toBe(400);
  });
});
