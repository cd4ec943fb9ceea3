// A tiny writer of tfevents files for tests: protobuf wire encoding of TensorBoard's Event and
// Summary messages (field numbers from tensorboard/compat/proto/*.proto) and TFRecord framing with
// masked CRC32C, written independently of the reader under test (its own CRC table). Plus a
// minimal real PNG.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

// ---- protobuf wire format

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const key = (field: number, wireType: number) => varint((field << 3) | wireType);
const concat = (parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

export const pb = {
  varint: (field: number, value: number | bigint) => concat([key(field, 0), varint(value)]),
  double: (field: number, value: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return concat([key(field, 1), b]);
  },
  float: (field: number, value: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return concat([key(field, 5), b]);
  },
  bytes: (field: number, value: Uint8Array | string) => {
    const b = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    return concat([key(field, 2), varint(b.length), b]);
  },
  message: (field: number, ...parts: Uint8Array[]) => pb.bytes(field, concat(parts)),
  packedDoubles: (field: number, values: number[]) => {
    const b = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(b.buffer).setFloat64(i * 8, v, true));
    return pb.bytes(field, b);
  },
  concat,
};

// ---- TensorBoard messages

export interface TensorSpec {
  /** DataType: 1 float, 2 double, 3 int32, 7 string, 9 int64, 10 bool. */
  dtype: number;
  shape?: number[];
  floats?: number[];
  doubles?: number[];
  int64s?: number[];
  strings?: (string | Uint8Array)[];
  /** Raw little-endian content (tensor_content) instead of typed values. */
  content?: Uint8Array;
}

export type ValueSpec =
  | { tag: string; simple: number }
  | { tag: string; image: Uint8Array; width?: number; height?: number }
  | { tag: string; histo: { limits: number[]; counts: number[]; packed?: boolean } }
  | { tag: string; tensor: TensorSpec; plugin?: string };

export interface EventSpec {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  values?: ValueSpec[];
}

function tensor(t: TensorSpec): Uint8Array {
  const parts = [pb.varint(1, t.dtype)];
  if (t.shape) parts.push(pb.message(2, ...t.shape.map((d) => pb.message(2, pb.varint(1, d)))));
  if (t.content) parts.push(pb.bytes(4, t.content));
  if (t.floats) {
    const b = new Uint8Array(t.floats.length * 4);
    t.floats.forEach((v, i) => new DataView(b.buffer).setFloat32(i * 4, v, true));
    parts.push(pb.bytes(5, b));
  }
  if (t.doubles) parts.push(pb.packedDoubles(6, t.doubles));
  if (t.int64s) parts.push(pb.bytes(10, concat(t.int64s.map((v) => varint(v)))));
  for (const s of t.strings ?? []) parts.push(pb.bytes(8, s));
  return concat(parts);
}

function value(v: ValueSpec): Uint8Array {
  const parts = [pb.bytes(1, v.tag)];
  if ('simple' in v) parts.push(pb.float(2, v.simple));
  if ('image' in v) parts.push(pb.message(4, pb.varint(1, v.height ?? 1), pb.varint(2, v.width ?? 1), pb.varint(3, 3), pb.bytes(4, v.image)));
  if ('histo' in v) {
    const { limits, counts, packed = true } = v.histo;
    const fields = packed
      ? [pb.packedDoubles(6, limits), pb.packedDoubles(7, counts)]
      : [...limits.map((l) => pb.double(6, l)), ...counts.map((c) => pb.double(7, c))];
    parts.push(pb.message(5, pb.double(1, 0), pb.double(2, 1), ...fields));
  }
  if ('tensor' in v) {
    parts.push(pb.message(8, tensor(v.tensor)));
    if (v.plugin !== undefined) parts.push(pb.message(9, pb.message(1, pb.bytes(1, v.plugin))));
  }
  return concat(parts);
}

/** One Event message. */
export function encodeEvent(e: EventSpec): Uint8Array {
  const parts = [pb.double(1, e.wallTime)];
  if (e.step !== undefined) parts.push(pb.varint(2, e.step));
  if (e.fileVersion !== undefined) parts.push(pb.bytes(3, e.fileVersion));
  if (e.values) parts.push(pb.message(5, ...e.values.map((v) => pb.message(1, value(v)))));
  return concat(parts);
}

// ---- TFRecord framing

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});

function crc32cOf(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}

const masked = (bytes: Uint8Array) => {
  const c = crc32cOf(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
};

/** A framed record; `corrupt: 'data' | 'length'` flips a checksum bit. */
export function record(data: Uint8Array, corrupt?: 'data' | 'length'): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(data.length), true);
  v.setUint32(8, (masked(out.subarray(0, 8)) ^ (corrupt === 'length' ? 1 : 0)) >>> 0, true);
  out.set(data, 12);
  v.setUint32(12 + data.length, (masked(data) ^ (corrupt === 'data' ? 1 : 0)) >>> 0, true);
  return out;
}

/** Writes a tfevents file: a file_version event first (as real writers do), then the events. Returns each event's record offset. */
export function writeEventsFile(path: string, events: EventSpec[], corrupt: Record<number, 'data' | 'length'> = {}): number[] {
  const records = [record(encodeEvent({ wallTime: events[0]?.wallTime ?? 0, fileVersion: 'brain.Event:2' }))];
  events.forEach((e, i) => records.push(record(encodeEvent(e), corrupt[i])));
  const offsets: number[] = [];
  let pos = records[0]!.length;
  for (const r of records.slice(1)) {
    offsets.push(pos);
    pos += r.length;
  }
  writeFileSync(path, concat(records));
  return offsets;
}

// ---- a minimal real PNG (RGB, 8 bits)

const CRC32_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let crc = ~0 >>> 0;
  for (const b of bytes) crc = (CRC32_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
};

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = concat([new TextEncoder().encode(type), data]);
  const out = new Uint8Array(4 + body.length + 4);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(body, 4);
  v.setUint32(4 + body.length, crc32(body));
  return out;
}

/** A width×height PNG filled with one colour. */
export function png(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(rgb, y * (1 + width * 3) + 1 + x * 3);
  return concat([[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
