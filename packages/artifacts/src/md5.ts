// MD5 in plain TypeScript, incremental over chunks. WebCrypto has no MD5, and W&B names stored
// artifact files by their MD5 (base64), so browsers and edge runtimes need this one. The Node entry
// uses node:crypto instead (see download.node.ts), which is several times faster. Every module of
// this package imports this one dynamically, so browser bundles load it only when they hash.
import { bytesToHex } from './encoding.js';

// Per-round shift amounts and the sine-derived constants of RFC 1321.
const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;

/**
 * MD5 (RFC 1321) over any number of chunks, in plain TypeScript for browsers and edge runtimes.
 * @example const md5 = new Md5(); md5.update(bytes); const digest = bytesToBase64(md5.digest());
 */
export class Md5 {
  readonly #state = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  readonly #block = new Uint8Array(64);
  readonly #words = new Int32Array(16);
  #blockLength = 0;
  #total = 0;

  /** Feeds the next chunk (the chunk may be reused afterwards). */
  update(chunk: Uint8Array): void {
    this.#total += chunk.length;
    let offset = 0;
    if (this.#blockLength > 0) {
      const take = Math.min(64 - this.#blockLength, chunk.length);
      this.#block.set(chunk.subarray(0, take), this.#blockLength);
      this.#blockLength += take;
      offset = take;
      if (this.#blockLength < 64) return;
      this.#compress(this.#block, 0);
      this.#blockLength = 0;
    }
    for (; offset + 64 <= chunk.length; offset += 64) this.#compress(chunk, offset);
    if (offset < chunk.length) {
      this.#block.set(chunk.subarray(offset), 0);
      this.#blockLength = chunk.length - offset;
    }
  }

  /** The 16-byte digest; the hasher must not be used afterwards. */
  digest(): Uint8Array {
    const bits = this.#total * 8;
    const padding = new Uint8Array((this.#blockLength < 56 ? 56 : 120) - this.#blockLength + 8);
    padding[0] = 0x80;
    // Message length in bits, little-endian 64-bit (exact up to 2^53 bits).
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, bits >>> 0, true);
    view.setUint32(padding.length - 4, Math.floor(bits / 2 ** 32), true);
    const total = this.#total;
    this.update(padding);
    this.#total = total;
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) outView.setInt32(i * 4, this.#state[i]!, true);
    return out;
  }

  #compress(bytes: Uint8Array, offset: number): void {
    const x = this.#words;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      x[i] = bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24);
    }
    const state = this.#state;
    let a = state[0]!;
    let b = state[1]!;
    let c = state[2]!;
    let d = state[3]!;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + K[i]! + x[g]!) | 0;
      const s = S[i]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
  }
}

/**
 * Hex MD5 of bytes or text (text as UTF-8).
 * @example md5Hex('') // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function md5Hex(data: Uint8Array | string): string {
  const md5 = new Md5();
  md5.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
  return bytesToHex(md5.digest());
}
