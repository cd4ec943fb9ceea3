// Images from TensorBoard summaries as W&B stores them: the encoded bytes become run files under
// media/images/ named `<key>_<step>_<sha256[:20]>.<ext>` (wandb's _wb_filename), and the history row
// holds an `images/separated` reference, the dict wandb.Image.seq_to_json writes for a list of
// images. W&B re-encodes through PIL (always PNG, GIFs as videos); we keep the bytes as they are and
// read the format and size from their headers.
import { createHash } from 'node:crypto';

/** An image file to upload with the run. */
export interface MediaFile {
  /** The run file name, under `media/images/`. */
  readonly name: string;
  /** The encoded image, as read from the event. */
  readonly data: Uint8Array;
}

interface ImageInfo {
  format: 'png' | 'jpeg' | 'gif' | 'bmp' | 'unknown';
  width: number | null;
  height: number | null;
}

/**
 * Format and pixel size from the header (PNG IHDR, GIF screen descriptor, JPEG SOFn, BMP).
 * @example const { format, width, height } = imageInfo(pngBytes); // 'png', 28, 28
 */
export function imageInfo(b: Uint8Array): ImageInfo {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return { format: 'png', width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
    return { format: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true) };
  }
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
    return { format: 'bmp', width: v.getInt32(18, true), height: Math.abs(v.getInt32(22, true)) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the segments to the first start-of-frame marker (C0–CF except C4, C8, CC).
    let pos = 2;
    while (pos + 9 <= b.length && b[pos] === 0xff) {
      const marker = b[pos + 1] as number;
      const length = v.getUint16(pos + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', width: v.getUint16(pos + 7), height: v.getUint16(pos + 5) };
      }
      pos += 2 + length;
    }
    return { format: 'jpeg', width: null, height: null };
  }
  return { format: 'unknown', width: null, height: null };
}

/** wandb's make_file_path_upload_safe, for the characters a history key can bring. */
const uploadSafe = (key: string): string => key.replace(/[<>:"\\|?*]/g, '-');

/**
 * The files and the history value of the images logged under `key` at history step `step`.
 * @example const { files, value } = imagesValue('samples', 3, [png]); // files[0].name: media/images/samples_3_<sha>.png
 */
export function imagesValue(key: string, step: number, images: readonly Uint8Array[]): { files: MediaFile[]; value: Record<string, unknown> } {
  const files = images.map((data) => {
    const info = imageInfo(data);
    const id = createHash('sha256').update(data).digest('hex').slice(0, 20);
    const ext = info.format === 'unknown' ? 'bin' : info.format === 'jpeg' ? 'jpg' : info.format;
    return { name: `media/images/${uploadSafe(key)}_${step}_${id}.${ext}`, data, info };
  });
  const first = files[0]?.info;
  return {
    files: files.map(({ name, data }) => ({ name, data })),
    value: {
      _type: 'images/separated',
      width: first?.width ?? null,
      height: first?.height ?? null,
      format: first?.format === 'unknown' ? null : (first?.format ?? null),
      count: files.length,
      filenames: files.map((f) => f.name),
    },
  };
}
