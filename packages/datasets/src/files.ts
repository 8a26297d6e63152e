import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '@cosearch/core';

/** gzip streams start with 0x1f 0x8b (RFC 1952 §2.3.1). */
function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/**
 * Reads a data file, gunzipping it when its bytes are gzip (whatever its name says). A missing
 * or unreadable file, or a gzip stream that does not decode, throws a `DataError` naming the file.
 */
export function readDataFile(file: string, howToGet: string): Uint8Array {
  if (!existsSync(file)) throw new DataError(file, `file not found; ${howToGet}`);
  let raw: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    raw = readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read: ${(e as Error).message}`);
  }
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new DataError(file, `corrupt gzip data (${(e as Error).message})`);
  }
}

/** The first of `names` present in `folder` (e.g. the raw and the .gz name), else the first name. */
export function locate(folder: string, names: readonly string[]): string {
  for (const n of names) {
    const p = join(folder, n);
    if (existsSync(p)) return p;
  }
  return join(folder, names[0]);
}

/** A cache key that changes when the file is replaced: path, size and modification time. */
export function fileKey(file: string): string {
  const s = statSync(file);
  return `${file}|${s.size}|${s.mtimeMs}`;
}
