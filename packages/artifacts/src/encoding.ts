// Byte encodings of digests, kept apart from the MD5 hasher (md5.ts) so that checking a digest
// does not pull the hasher into a bundle that only loads it on demand.

/**
 * Standard base64 with padding (W&B's form of an MD5 digest: 24 characters).
 * @example bytesToBase64(new Uint8Array([1, 2, 3])) // 'AQID'
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Lowercase hex.
 * @example bytesToHex(new Uint8Array([0xab, 1])) // 'ab01'
 */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
