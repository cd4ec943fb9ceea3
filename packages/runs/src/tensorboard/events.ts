// TensorBoard's Event and Summary protocol buffers (tensorboard/compat/proto: event.proto,
// summary.proto, tensor.proto, types.proto), decoded into the values W&B keeps, mapped the way W&B's
// own integration does it (wandb/integration/tensorboard/log.py, tf_summary_to_dict):
// - `simple_value` and scalar tensors of the `scalars` plugin (or none) → a number;
// - `histo` (HistogramProto) → a histogram whose outer edges are extrapolated from the inner
//   bucket limits; tensors of the `histograms` plugin ([k, 3] rows of left, right, count) → a
//   histogram; more than 512 bins is refused, as wandb.Histogram does;
// - `image` (encoded_image_string) and tensors of the `images` plugin (string_val[2:]) → images;
// - text (`text` plugin, DT_STRING tensors) → the string. W&B drops text; we keep it.
// Anything else (audio, pr_curves, hparams, graphs …) is reported as skipped.
import { type Field, fields, repeatedNumbers, toDouble, toFloat, toText } from './protobuf.js';

/** A value W&B keeps, by its TensorBoard tag. */
export type SummaryValue =
  | {
      /** A number (or boolean) logged as is. */
      readonly kind: 'scalar';
      /** The TensorBoard tag, e.g. `loss`. */
      readonly tag: string;
      /** The logged value. */
      readonly value: number | boolean;
    }
  | {
      /** Text, one string or several. */
      readonly kind: 'text';
      /** The TensorBoard tag. */
      readonly tag: string;
      /** The decoded UTF-8 text; a list when the tensor held several strings. */
      readonly value: string | string[];
    }
  | {
      /** A histogram, as W&B's `wandb.Histogram` keeps it. */
      readonly kind: 'histogram';
      /** The TensorBoard tag. */
      readonly tag: string;
      /** The count of each bin. */
      readonly values: number[];
      /** The bin edges: one more than `values`. */
      readonly bins: number[];
    }
  | {
      /** One or more encoded images (PNG, JPEG …). */
      readonly kind: 'images';
      /** The TensorBoard tag. */
      readonly tag: string;
      /** The encoded image files, as written by TensorBoard. */
      readonly images: Uint8Array[];
    }
  | {
      /** A value W&B does not keep, or one that could not be decoded. */
      readonly kind: 'skipped';
      /** The TensorBoard tag. */
      readonly tag: string;
      /** Why it was skipped, for the sync report. */
      readonly reason: string;
    };

/** One Event record. `values` is null for events without a summary (file_version, graphs, logs). */
export interface TbEvent {
  /** When the event was written, in seconds since the Unix epoch. */
  readonly wallTime: number;
  /** The training step the event belongs to (0 when unset). */
  readonly step: number;
  /** The file's format version (`brain.Event:2`), set only on a file's first event. */
  readonly fileVersion: string | null;
  /** The summary's values by tag, decoded. */
  readonly values: SummaryValue[] | null;
}

/** W&B's Histogram limit. */
export const MAX_HISTOGRAM_BINS = 512;

/** tensorflow DataType numbers (types.proto) that we decode. */
const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, UINT8: 4, INT16: 5, INT8: 6, STRING: 7, INT64: 9, BOOL: 10, UINT16: 17, HALF: 19, UINT32: 22, UINT64: 23 } as const;

/**
 * Decodes one Event message (the payload of a tfevents record).
 * @example const event = decodeEvent(record.data); if (event.values) console.log(event.step, event.values);
 */
export function decodeEvent(bytes: Uint8Array): TbEvent {
  let wallTime = 0;
  let step = 0;
  let fileVersion: string | null = null;
  let values: SummaryValue[] | null = null;
  for (const f of fields(bytes)) {
    if (f.number === 1) wallTime = toDouble(f);
    else if (f.number === 2) step = f.varint;
    else if (f.number === 3) fileVersion = toText(f);
    else if (f.number === 5) values = decodeSummary(f.bytes);
  }
  return { wallTime, step, fileVersion, values };
}

function decodeSummary(bytes: Uint8Array): SummaryValue[] {
  const out: SummaryValue[] = [];
  for (const f of fields(bytes)) if (f.number === 1) out.push(decodeValue(f.bytes));
  return out;
}

function decodeValue(bytes: Uint8Array): SummaryValue {
  let tag = '';
  let nodeName = '';
  let plugin = '';
  let simple: number | undefined;
  let image: Uint8Array | undefined;
  let histo: Field | undefined;
  let tensor: Field | undefined;
  let audio = false;
  for (const f of fields(bytes)) {
    switch (f.number) {
      case 1: tag = toText(f); break;
      case 2: simple = toFloat(f); break;
      case 4: image = encodedImage(f.bytes); break;
      case 5: histo = f; break;
      case 6: audio = true; break;
      case 7: nodeName = toText(f); break;
      case 8: tensor = f; break;
      case 9: plugin = pluginName(f.bytes); break;
    }
  }
  tag ||= nodeName;
  if (simple !== undefined) return { kind: 'scalar', tag, value: simple };
  if (image) return { kind: 'images', tag, images: [image] };
  if (histo) return histogramProto(tag, histo.bytes);
  if (tensor) return fromTensor(tag, plugin, decodeTensor(tensor.bytes));
  return { kind: 'skipped', tag, reason: audio ? 'audio is not synced' : 'empty value' };
}

/** SummaryMetadata.plugin_data.plugin_name. */
function pluginName(metadata: Uint8Array): string {
  for (const f of fields(metadata)) {
    if (f.number !== 1) continue;
    for (const p of fields(f.bytes)) if (p.number === 1) return toText(p);
  }
  return '';
}

/** Summary.Image.encoded_image_string. */
function encodedImage(bytes: Uint8Array): Uint8Array {
  for (const f of fields(bytes)) if (f.number === 4) return f.bytes;
  return new Uint8Array(0);
}

/**
 * HistogramProto → W&B histogram, as log.py: counts are the buckets; edges are the bucket limits
 * with the first edge mirrored below limit[0] and the last one replacing the (often ±DBL_MAX)
 * final limit by mirroring limit[-2] above.
 */
function histogramProto(tag: string, bytes: Uint8Array): SummaryValue {
  let limits: number[] = [];
  let counts: number[] = [];
  for (const f of fields(bytes)) {
    if (f.number === 6) limits = limits.concat(repeatedNumbers(f, 'double'));
    else if (f.number === 7) counts = counts.concat(repeatedNumbers(f, 'double'));
  }
  if (limits.length < 3) return { kind: 'skipped', tag, reason: `a histogram with only ${limits.length} bins` };
  const at = (i: number) => limits.at(i) as number;
  const bins = [at(0) + at(0) - at(1), ...limits.slice(0, -1), at(-2) + at(-2) - at(-3)];
  return histogram(tag, counts, bins);
}

function histogram(tag: string, values: number[], bins: number[]): SummaryValue {
  if (values.length > MAX_HISTOGRAM_BINS) return { kind: 'skipped', tag, reason: `histograms must have at most ${MAX_HISTOGRAM_BINS} bins, got ${values.length}` };
  if (values.length + 1 !== bins.length) return { kind: 'skipped', tag, reason: 'histogram edges do not match its counts' };
  return { kind: 'histogram', tag, values, bins };
}

interface Tensor {
  dtype: number;
  shape: number[];
  numbers: number[];
  strings: Uint8Array[];
  bools: boolean[];
}

/** TensorProto: from `tensor_content` (raw little-endian) or the typed `*_val` fields. */
function decodeTensor(bytes: Uint8Array): Tensor {
  const t: Tensor = { dtype: 0, shape: [], numbers: [], strings: [], bools: [] };
  let content: Uint8Array | undefined;
  for (const f of fields(bytes)) {
    switch (f.number) {
      case 1: t.dtype = f.varint; break;
      case 2: t.shape = shapeOf(f.bytes); break;
      case 4: content = f.bytes; break;
      case 5: t.numbers.push(...repeatedNumbers(f, 'float')); break;
      case 6: t.numbers.push(...repeatedNumbers(f, 'double')); break;
      case 7: case 10: case 16: case 17: t.numbers.push(...repeatedNumbers(f, 'varint')); break;
      case 8: t.strings.push(f.bytes); break;
      case 11: t.bools.push(...repeatedNumbers(f, 'varint').map((v) => v !== 0)); break;
      case 13: t.numbers.push(...repeatedNumbers(f, 'varint').map(halfToNumber)); break;
    }
  }
  if (content) {
    const raw = rawNumbers(t.dtype, content);
    if (t.dtype === DT.BOOL) t.bools = raw.map((v) => v !== 0);
    else t.numbers = raw;
  }
  return t;
}

/** TensorShapeProto dims (field 2, each with size at field 1). */
function shapeOf(bytes: Uint8Array): number[] {
  const dims: number[] = [];
  for (const f of fields(bytes)) {
    if (f.number !== 2) continue;
    let size = 0;
    for (const d of fields(f.bytes)) if (d.number === 1) size = d.varint;
    dims.push(size);
  }
  return dims;
}

function rawNumbers(dtype: number, b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const read = (size: number, get: (i: number) => number) => Array.from({ length: Math.floor(b.length / size) }, (_, i) => get(i * size));
  switch (dtype) {
    case DT.FLOAT: return read(4, (i) => v.getFloat32(i, true));
    case DT.DOUBLE: return read(8, (i) => v.getFloat64(i, true));
    case DT.INT32: return read(4, (i) => v.getInt32(i, true));
    case DT.UINT32: return read(4, (i) => v.getUint32(i, true));
    case DT.INT64: return read(8, (i) => Number(v.getBigInt64(i, true)));
    case DT.UINT64: return read(8, (i) => Number(v.getBigUint64(i, true)));
    case DT.INT16: return read(2, (i) => v.getInt16(i, true));
    case DT.UINT16: return read(2, (i) => v.getUint16(i, true));
    case DT.HALF: return read(2, (i) => halfToNumber(v.getUint16(i, true)));
    case DT.INT8: return read(1, (i) => v.getInt8(i));
    case DT.UINT8: case DT.BOOL: return read(1, (i) => v.getUint8(i));
    default: return [];
  }
}

/** IEEE 754 half precision bits → number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const elementCount = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

function fromTensor(tag: string, plugin: string, t: Tensor): SummaryValue {
  const text = (s: Uint8Array) => new TextDecoder().decode(s);
  if (plugin === 'images') {
    // [width, height, image…] as strings: the first two are the dimensions.
    return { kind: 'images', tag, images: t.strings.slice(2) };
  }
  if (plugin === 'histograms') {
    const rows = t.numbers.length / 3;
    if (!Number.isInteger(rows) || rows === 0) return { kind: 'skipped', tag, reason: 'an empty histogram' };
    const row = (i: number) => t.numbers.slice(i * 3, i * 3 + 3) as [number, number, number];
    if (rows === 1) return histogram(tag, [row(0)[2]], [row(0)[0], row(0)[1]]);
    const bins = [row(0)[0]];
    const counts: number[] = [];
    for (let i = 0; i < rows; i++) {
      counts.push(row(i)[2]);
      bins.push(row(i)[1]);
    }
    return histogram(tag, counts, bins);
  }
  if (plugin === 'text' || t.dtype === DT.STRING) {
    const strings = t.strings.map(text);
    if (strings.length === 0) return { kind: 'skipped', tag, reason: 'an empty text tensor' };
    return { kind: 'text', tag, value: strings.length === 1 ? (strings[0] as string) : strings };
  }
  if (plugin !== 'scalars' && plugin !== '') return { kind: 'skipped', tag, reason: `the ${plugin} plugin is not synced` };
  // A scalar may be stored as one value for a shape of any size 1 (TensorFlow broadcasts).
  const scalar = t.dtype === DT.BOOL ? t.bools[0] : t.numbers[0];
  if (scalar === undefined || elementCount(t.shape) !== 1) {
    return { kind: 'skipped', tag, reason: `a tensor of shape [${t.shape.join(', ')}] is not a scalar` };
  }
  return { kind: 'scalar', tag, value: scalar };
}
