import { existsSync } from 'node:fs';
import { DataError } from '@cosearch/core';
import { fileKey, readDataFile } from './files';

/**
 * IDX files (LeCun's MNIST format, also Fashion-MNIST): big-endian header
 *   0x00 0x00 <type> <ndims>, then ndims uint32 sizes, then the data row-major.
 * We read unsigned-byte data (type 0x08): images have magic 0x00000803 (n, rows, cols), labels
 * 0x00000801 (n). See http://yann.lecun.com/exdb/mnist/ ("FILE FORMATS").
 */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxArray {
  dims: number[];
  /** The payload, a view into the decoded file (subarray, never `new Uint8Array(buffer, offset)`). */
  data: Uint8Array;
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

/** Parses and checks an IDX buffer; every problem is a `DataError` naming `file`. */
export function parseIdx(buf: Uint8Array, file: string, magic: number): IdxArray {
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (buf.length < headerBytes) throw new DataError(file, `truncated: ${buf.length} bytes, shorter than the ${headerBytes}-byte IDX header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const got = view.getUint32(0, false);
  if (got !== magic) {
    const kind = magic === IDX_IMAGES_MAGIC ? 'an IDX image file' : 'an IDX label file';
    throw new DataError(file, `wrong magic number ${hex(got)} (expected ${hex(magic)} for ${kind}; is this the right file?)`);
  }
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const want = dims.reduce((a, b) => a * b, 1);
  const have = buf.length - headerBytes;
  if (have < want) throw new DataError(file, `truncated: header declares ${dims.join(' × ')} = ${want} data bytes but only ${have} follow`);
  if (have > want) throw new DataError(file, `wrong length: ${have - want} unexpected bytes after the ${dims.join(' × ')} data declared in the header`);
  return { dims, data: buf.subarray(headerBytes) };
}

const cache = new Map<string, IdxArray>();

/** Reads (gunzipping if needed) and parses an IDX file; parsed files are cached per process. */
export function readIdx(file: string, magic: number, howToGet: string): IdxArray {
  const key = existsSync(file) ? `${fileKey(file)}|${magic}` : '';
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseIdx(readDataFile(file, howToGet), file, magic);
  cache.set(key, parsed);
  return parsed;
}

/** Checks labels are below `numClasses`; names the first offending sample. */
export function checkLabels(labels: Uint8Array, numClasses: number, file: string, what = 'label'): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) throw new DataError(file, `${what} ${labels[i]} of sample ${i} is out of range 0..${numClasses - 1}`);
  }
}
