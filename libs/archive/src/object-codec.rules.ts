import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Compression } from './object-key.rules';
import { loadZstd } from './zstd.binding';

const gzip = promisify(gzipCallback);

export interface CodecLevels {
  gzipLevel: number;
  zstdLevel: number;
}

/** The object body: every line's bytes as Kafka holds them, each followed by "\n". */
export function joinLines(lines: readonly Buffer[], bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes + lines.length);
  let at = 0;
  for (const line of lines) {
    at += line.copy(out, at);
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * Compresses an object body. Both are deterministic for the same input and level (gzip's
 * header carries no time from Node's zlib), so a re-upload writes identical bytes.
 */
export async function compressBody(
  body: Buffer,
  compression: Compression,
  levels: CodecLevels,
): Promise<Buffer> {
  if (compression === 'gzip') return gzip(body, { level: levels.gzipLevel });
  return loadZstd().compress(body, levels.zstdLevel);
}

/** Stored as files to download, not as an HTTP encoding a client would undo on the fly. */
export function contentType(compression: Compression): string {
  return compression === 'gzip' ? 'application/gzip' : 'application/zstd';
}
