// The tfevents reader without a server: TFRecord framing and CRCs, the protobuf wire reader, Event
// and Summary decoding (with W&B's mapping of each kind), and how events become history rows.
import { describe, expect, it } from 'vitest';
import { type TfRecordIssue, crc32c, decodeEvent, frameTfRecord, maskedCrc32c, readTfRecords } from '@wandb-api/runs';
import { fields } from '../src/tensorboard/protobuf.js';
import { buildHistory } from '../src/tensorboard/rows.js';
import { imageInfo } from '../src/tensorboard/media.js';
import { encodeEvent, pb, png, record } from './tensorboard-support.js';

const text = (s: string) => new TextEncoder().encode(s);
const concat = pb.concat;

function readAll(buf: Uint8Array) {
  const issues: TfRecordIssue[] = [];
  const records = [...readTfRecords(buf, (i) => issues.push(i))];
  return { records, issues };
}

describe('TFRecord framing', () => {
  it('computes CRC32C (the iSCSI check value) and the masked form', () => {
    expect(crc32c(text('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    // The mask is a rotation plus a constant.
    const c = crc32c(text('abc'));
    expect(maskedCrc32c(text('abc'))).toBe(((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  it('reads the records the test writer frames, and frames them the same way', () => {
    const buf = concat([record(text('one')), record(text('')), record(text('three'))]);
    const { records, issues } = readAll(buf);
    expect(issues).toEqual([]);
    expect(records.map((r) => new TextDecoder().decode(r.data))).toEqual(['one', '', 'three']);
    expect(records.map((r) => r.offset)).toEqual([0, 19, 35]);
    expect(frameTfRecord(text('one'))).toEqual(record(text('one')));
  });

  it('skips a record whose data CRC is wrong, reports its offset and reads on', () => {
    const buf = concat([record(text('a')), record(text('bad'), 'data'), record(text('c'))]);
    const { records, issues } = readAll(buf);
    expect(records.map((r) => new TextDecoder().decode(r.data))).toEqual(['a', 'c']);
    expect(issues).toEqual([{ offset: 17, message: 'data CRC mismatch; record skipped' }]);
  });

  it('stops at a bad length CRC or a truncated record (nothing after can be framed)', () => {
    const lengthBad = readAll(concat([record(text('a')), record(text('b'), 'length'), record(text('c'))]));
    expect(lengthBad.records).toHaveLength(1);
    expect(lengthBad.issues).toEqual([{ offset: 17, message: 'length CRC mismatch; the rest of the file cannot be framed' }]);

    const whole = concat([record(text('a')), record(text('bbbb'))]);
    const truncated = readAll(whole.subarray(0, whole.length - 3));
    expect(truncated.records).toHaveLength(1);
    expect(truncated.issues[0]).toMatchObject({ offset: 17, message: expect.stringContaining('truncated record') });
    expect(readAll(whole.subarray(0, 20)).issues[0]).toMatchObject({ offset: 17, message: expect.stringContaining('truncated record header') });
  });
});

describe('protobuf wire reader', () => {
  it('reads varints (also ten-byte negative int64), fixed and length-delimited fields', () => {
    const msg = concat([pb.varint(2, 300), pb.varint(3, -1), pb.varint(4, 2 ** 40 + 7), pb.double(1, 0.25), pb.float(5, 1.5), pb.bytes(6, 'hé')]);
    const got = [...fields(msg)].map((f) => [f.number, f.wireType, f.varint, f.bytes.length]);
    expect(got).toEqual([
      [2, 0, 300, 0],
      [3, 0, -1, 0],
      [4, 0, 2 ** 40 + 7, 0],
      [1, 1, 0, 8],
      [5, 5, 0, 4],
      [6, 2, 0, 3],
    ]);
  });

  it('refuses truncated input', () => {
    const msg = pb.bytes(1, 'hello');
    expect(() => [...fields(msg.subarray(0, 4))]).toThrow(/runs past the end/);
    expect(() => [...fields(Uint8Array.from([0x08, 0x80]))]).toThrow(/truncated varint/);
  });
});

describe('Event and Summary decoding (W&B mapping)', () => {
  it('reads wall time, step and file_version', () => {
    expect(decodeEvent(encodeEvent({ wallTime: 1700000000.5, fileVersion: 'brain.Event:2' }))).toEqual({
      wallTime: 1700000000.5,
      step: 0,
      fileVersion: 'brain.Event:2',
      values: null,
    });
    expect(decodeEvent(encodeEvent({ wallTime: 1, step: 2 ** 33 })).step).toBe(2 ** 33);
  });

  it('maps simple_value and scalar tensors (float_val, tensor_content, double, int64, bool) to numbers', () => {
    const content = new Uint8Array(4);
    new DataView(content.buffer).setFloat32(0, 0.5, true);
    const e = decodeEvent(
      encodeEvent({
        wallTime: 1,
        step: 3,
        values: [
          { tag: 'simple', simple: 0.25 },
          { tag: 'f', tensor: { dtype: 1, floats: [1.5] }, plugin: 'scalars' },
          { tag: 'c', tensor: { dtype: 1, content }, plugin: 'scalars' },
          { tag: 'd', tensor: { dtype: 2, doubles: [0.1] }, plugin: 'scalars' },
          { tag: 'i', tensor: { dtype: 9, int64s: [-42] } },
          { tag: 'v', tensor: { dtype: 1, shape: [3], floats: [1, 2, 3] }, plugin: 'scalars' },
        ],
      }),
    );
    expect(e.values).toEqual([
      { kind: 'scalar', tag: 'simple', value: 0.25 },
      { kind: 'scalar', tag: 'f', value: 1.5 },
      { kind: 'scalar', tag: 'c', value: 0.5 },
      { kind: 'scalar', tag: 'd', value: 0.1 },
      { kind: 'scalar', tag: 'i', value: -42 },
      { kind: 'skipped', tag: 'v', reason: 'a tensor of shape [3] is not a scalar' },
    ]);
  });

  it('maps text tensors to strings and other plugins to skipped', () => {
    const e = decodeEvent(
      encodeEvent({
        wallTime: 1,
        values: [
          { tag: 'note', tensor: { dtype: 7, shape: [1], strings: ['hello **world**'] }, plugin: 'text' },
          { tag: 'pr', tensor: { dtype: 1, shape: [1], floats: [1] }, plugin: 'pr_curves' },
        ],
      }),
    );
    expect(e.values).toEqual([
      { kind: 'text', tag: 'note', value: 'hello **world**' },
      { kind: 'skipped', tag: 'pr', reason: 'the pr_curves plugin is not synced' },
    ]);
  });

  it("maps HistogramProto as log.py: edges extrapolated from the inner limits, packed or not", () => {
    for (const packed of [true, false]) {
      const e = decodeEvent(
        encodeEvent({ wallTime: 1, values: [{ tag: 'w', histo: { limits: [0, 1, 2, 1.7976931348623157e308], counts: [1, 2, 3, 4], packed } }] }),
      );
      // first = 0 + 0 - 1, last = 2 + 2 - 1
      expect(e.values).toEqual([{ kind: 'histogram', tag: 'w', values: [1, 2, 3, 4], bins: [-1, 0, 1, 2, 3] }]);
    }
    const tooFew = decodeEvent(encodeEvent({ wallTime: 1, values: [{ tag: 'w', histo: { limits: [0, 1], counts: [1, 2] } }] }));
    expect(tooFew.values?.[0]).toMatchObject({ kind: 'skipped' });
  });

  it('maps histogram-plugin tensors ([k, 3] of left, right, count) and images', () => {
    const image = png(3, 2, [255, 0, 0]);
    const e = decodeEvent(
      encodeEvent({
        wallTime: 1,
        values: [
          { tag: 'h', tensor: { dtype: 2, shape: [2, 3], doubles: [0, 0.5, 3, 0.5, 1, 5] }, plugin: 'histograms' },
          { tag: 'img', image },
          { tag: 'imgs', tensor: { dtype: 7, shape: [4], strings: ['3', '2', image, image] }, plugin: 'images' },
        ],
      }),
    );
    expect(e.values).toEqual([
      { kind: 'histogram', tag: 'h', values: [3, 5], bins: [0, 0.5, 1] },
      { kind: 'images', tag: 'img', images: [image] },
      { kind: 'images', tag: 'imgs', images: [image, image] },
    ]);
    expect(imageInfo(image)).toEqual({ format: 'png', width: 3, height: 2 });
  });
});

describe('events → history rows', () => {
  const ev = (namespace: string, wallTime: number, step: number, tag: string, value: number) => ({
    namespace,
    file: `${namespace || '.'}/events.out.tfevents.1`,
    event: { wallTime, step, fileVersion: null, values: [{ kind: 'scalar' as const, tag, value }] },
  });

  it('one row per step, with global_step, _timestamp and _step; values of one step merged', () => {
    const { rows } = buildHistory([ev('', 10, 0, 'loss', 1), ev('', 11, 0, 'acc', 0.1), ev('', 12, 1, 'loss', 0.5), ev('', 13, 5, 'loss', 0.25)]);
    expect(rows).toEqual([
      { global_step: 0, _timestamp: 11, loss: 1, acc: 0.1, _step: 0 },
      { global_step: 1, _timestamp: 12, loss: 0.5, _step: 1 },
      { global_step: 5, _timestamp: 13, loss: 0.25, _step: 2 },
    ]);
  });

  it('namespaces sub-folders and lets train/ and validation/ share the row of a step (sorted by wall time)', () => {
    const { rows } = buildHistory([
      ev('train', 10, 1, 'loss', 1),
      ev('train', 20, 2, 'loss', 0.5),
      ev('validation', 11, 1, 'loss', 2),
      ev('validation', 21, 2, 'loss', 1.5),
    ]);
    expect(rows).toEqual([
      { 'train/global_step': 1, 'validation/global_step': 1, global_step: 1, _timestamp: 11, 'train/loss': 1, 'validation/loss': 2, _step: 0 },
      { 'train/global_step': 2, 'validation/global_step': 2, global_step: 2, _timestamp: 21, 'train/loss': 0.5, 'validation/loss': 1.5, _step: 1 },
    ]);
  });

  it('groups images tagged <tag>/<n> under one key with W&B file names', () => {
    const image = png(2, 2, [0, 0, 255]);
    const { rows, media } = buildHistory([
      {
        namespace: '',
        file: 'events.out.tfevents.1',
        event: {
          wallTime: 1,
          step: 0,
          fileVersion: null,
          values: [
            { kind: 'images', tag: 'samples/0', images: [image] },
            { kind: 'images', tag: 'samples/1', images: [image] },
            { kind: 'images', tag: 'a/b', images: [image] },
          ],
        },
      },
    ]);
    expect(media.map((m) => m.name)).toEqual([
      expect.stringMatching(/^media\/images\/samples_0_[0-9a-f]{20}\.png$/),
      expect.stringMatching(/^media\/images\/samples_0_[0-9a-f]{20}\.png$/),
      expect.stringMatching(/^media\/images\/a_b_0_[0-9a-f]{20}\.png$/),
    ]);
    expect(rows[0]?.samples).toEqual({ _type: 'images/separated', width: 2, height: 2, format: 'png', count: 2, filenames: [media[0]?.name, media[1]?.name] });
    expect(rows[0]?.a_b).toMatchObject({ count: 1, filenames: [media[2]?.name] });
  });
});
