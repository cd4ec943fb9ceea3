// TFRecord framing, the container of TensorBoard's tfevents files. Each record is
//   uint64 length (little endian) | uint32 masked CRC32C of those 8 bytes | data | uint32 masked CRC32C of data
// A bad length CRC means the framing itself cannot be trusted, so reading the file stops there; a
// bad data CRC loses only that record (its length was sound) and reading goes on after it.

/** CRC32C (Castagnoli), the checksum TFRecord uses; table-driven, reflected polynomial 0x82F63B78. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC32C of some bytes.
 * @example crc32c(new TextEncoder().encode('123456789')) // 0xe3069283
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC: rotate right by 15 and add a constant, so a CRC stored inside checksummed
 * data does not checksum to a fixed value.
 * @example maskedCrc32c(new Uint8Array(8))
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One record's payload and where its header starts in the file. */
export interface TfRecord {
  /** Byte offset of the record's header in the buffer. */
  readonly offset: number;
  /** The record's payload (a view into the buffer, not a copy). */
  readonly data: Uint8Array;
}

/** A record that could not be read: where its header starts, and why. */
export interface TfRecordIssue {
  /** Byte offset of the bad record's header in the buffer. */
  readonly offset: number;
  /** What was wrong, and whether reading went on. */
  readonly message: string;
}

const HEADER = 12;
const FOOTER = 4;

/**
 * The records of a TFRecord buffer, in order. Problems are passed to `onIssue` (with the byte
 * offset of the record's header) instead of thrown: a bad data CRC skips that record, a bad length
 * CRC or a truncated record ends the reading (nothing after it can be located).
 * @example for (const { data } of readTfRecords(bytes, (i) => console.warn(i.offset, i.message))) handle(data);
 */
export function* readTfRecords(buf: Uint8Array, onIssue: (issue: TfRecordIssue) => void): Generator<TfRecord> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    if (pos + HEADER > buf.length) {
      onIssue({ offset: pos, message: `truncated record header (${buf.length - pos} of ${HEADER} bytes)` });
      return;
    }
    const lengthBytes = buf.subarray(pos, pos + 8);
    if (view.getUint32(pos + 8, true) !== maskedCrc32c(lengthBytes)) {
      onIssue({ offset: pos, message: 'length CRC mismatch; the rest of the file cannot be framed' });
      return;
    }
    const length = Number(view.getBigUint64(pos, true));
    const end = pos + HEADER + length + FOOTER;
    if (end > buf.length) {
      onIssue({ offset: pos, message: `truncated record (${length} data bytes announced, ${buf.length - pos - HEADER} present)` });
      return;
    }
    const data = buf.subarray(pos + HEADER, pos + HEADER + length);
    if (view.getUint32(pos + HEADER + length, true) !== maskedCrc32c(data)) {
      onIssue({ offset: pos, message: 'data CRC mismatch; record skipped' });
    } else {
      yield { offset: pos, data };
    }
    pos = end;
  }
}

/**
 * Frames one payload as a TFRecord (what TensorBoard's writers append); tests and tools use it.
 * @example const bytes = frameTfRecord(eventBytes);
 */
export function frameTfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + data.length + FOOTER);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER);
  view.setUint32(HEADER + data.length, maskedCrc32c(data), true);
  return out;
}
