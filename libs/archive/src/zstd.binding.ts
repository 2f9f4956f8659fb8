import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** libs/archive/native/zstd-codec.c, built against Debian's libzstd by scripts/build-native.sh. */
export interface ZstdBinding {
  compress(input: Buffer, level: number): Buffer;
  version(): string;
}

const ADDON = 'logstream_zstd.node';
let loaded: ZstdBinding | undefined;

export function loadZstd(): ZstdBinding {
  if (loaded) return loaded;
  const candidates = [
    path.join(__dirname, ADDON),
    path.resolve(__dirname, '../../../../libs/archive/native/build/Release', ADDON),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `the archiver's zstd addon is not built (looked for ${candidates.join(', ')}); run npm run setup`,
    );
  }
  const addon = { exports: {} };
  process.dlopen(addon, found);
  loaded = addon.exports as ZstdBinding;
  return loaded;
}
