// A minimal reader of the protocol-buffer wire format: just enough to walk TensorBoard's Event and
// Summary messages without a protobuf dependency or generated code. Fields are visited in order;
// the caller picks the numbers it knows and ignores the rest (as protobuf readers do).

/** Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3/4, groups, are obsolete). */
export type WireType = 0 | 1 | 2 | 5;

/** One field of a message: its number, wire type and where its value sits in the buffer. */
export interface Field {
  readonly number: number;
  readonly wireType: WireType;
  /** The value of a varint field as a signed int64 (exact up to 2^53; steps fit). */
  readonly varint: number;
  /** The payload of a length-delimited field, or the 4/8 raw bytes of a fixed field. */
  readonly bytes: Uint8Array;
}

/**
 * A malformed message; `offset` is within the message being read.
 * @example try { [...fields(bytes)]; } catch (e) { if (e instanceof ProtobufError) console.warn(e.offset); }
 */
export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtobufError';
  }
}

/**
 * Reads a base-128 varint at `pos`; returns [value as int64 (two's complement), next position].
 * Small values (the common case: tags, lengths) stay on the number fast path; long ones go through
 * BigInt so negative int64 (ten bytes) come out exact. Magnitudes beyond 2^53 lose precision.
 */
function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    if (pos >= buf.length) throw new ProtobufError('truncated varint', pos);
    const byte = buf[pos++] as number;
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return [value, pos];
  }
  let big = BigInt(value);
  for (let i = 4; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufError('truncated varint', pos);
    const byte = buf[pos++] as number;
    big |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return [Number(BigInt.asIntN(64, big)), pos];
  }
  throw new ProtobufError('varint longer than 10 bytes', pos);
}

/**
 * The fields of a message, in wire order.
 * @example for (const f of fields(bytes)) if (f.number === 1) tag = toText(f);
 */
export function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new ProtobufError('field number 0', start);
    switch (wireType) {
      case 0: {
        const [value, next] = readVarint(buf, pos);
        pos = next;
        yield { number, wireType, varint: value, bytes: EMPTY };
        break;
      }
      case 1:
      case 5: {
        const size = wireType === 1 ? 8 : 4;
        if (pos + size > buf.length) throw new ProtobufError(`truncated fixed${size * 8}`, pos);
        yield { number, wireType, varint: 0, bytes: buf.subarray(pos, pos + size) };
        pos += size;
        break;
      }
      case 2: {
        const [length, next] = readVarint(buf, pos);
        pos = next;
        if (pos + length > buf.length) throw new ProtobufError(`field ${number} runs past the end (${length} bytes)`, pos);
        yield { number, wireType, varint: 0, bytes: buf.subarray(pos, pos + length) };
        pos += length;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`, start);
    }
  }
}

const EMPTY = new Uint8Array(0);

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * A `double` field (fixed64); NaN for another wire type.
 * @example if (f.number === 1) wallTime = toDouble(f);
 */
export const toDouble = (f: Field): number => (f.wireType === 1 ? view(f.bytes).getFloat64(0, true) : Number.NaN);

/**
 * A `float` field (fixed32); NaN for another wire type.
 * @example if (f.number === 2) simple = toFloat(f);
 */
export const toFloat = (f: Field): number => (f.wireType === 5 ? view(f.bytes).getFloat32(0, true) : Number.NaN);

/**
 * A `string` field, decoded as UTF-8.
 * @example if (f.number === 1) tag = toText(f);
 */
export const toText = (f: Field): string => new TextDecoder().decode(f.bytes);

/**
 * A `repeated` numeric field, packed (one length-delimited run) or not (one field per value):
 * readers must accept both. `kind` names the element type.
 * @example const limits = repeatedNumbers(field, 'double');
 */
export function repeatedNumbers(f: Field, kind: 'double' | 'float' | 'varint'): number[] {
  if (f.wireType !== 2) return [kind === 'double' ? toDouble(f) : kind === 'float' ? toFloat(f) : f.varint];
  const out: number[] = [];
  const v = view(f.bytes);
  if (kind === 'double') for (let i = 0; i + 8 <= f.bytes.length; i += 8) out.push(v.getFloat64(i, true));
  else if (kind === 'float') for (let i = 0; i + 4 <= f.bytes.length; i += 4) out.push(v.getFloat32(i, true));
  else {
    let pos = 0;
    while (pos < f.bytes.length) {
      const [value, next] = readVarint(f.bytes, pos);
      out.push(value);
      pos = next;
    }
  }
  return out;
}
