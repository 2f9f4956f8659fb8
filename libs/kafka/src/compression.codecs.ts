import { CompressionCodecs, CompressionTypes } from 'kafkajs';

/**
 * Plugs the decoders of what the edge writes (lz4 by default, zstd configurable) into kafkajs,
 * which reads gzip only: pure-JS lz4js and fzstd, the same versions the bundle's Node example
 * uses. The platform's kafkajs clients never compress with them.
 */
interface Lz4js {
  decompress(src: Uint8Array): Uint8Array;
}
interface Fzstd {
  decompress(src: Uint8Array): Uint8Array;
}

let registered = false;

export function registerKafkaDecoders(): void {
  if (registered) return;
  registered = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lz4 = require('lz4js') as Lz4js;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zstd = require('fzstd') as Fzstd;
  const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const decoderOnly = (name: string, decompress: (b: Buffer) => Uint8Array) => () => ({
    compress(): Promise<Buffer> {
      return Promise.reject(new Error(`${name} compression is not used by the platform`));
    },
    decompress(buffer: Buffer): Promise<Buffer> {
      return Promise.resolve(asBuffer(decompress(buffer)));
    },
  });
  CompressionCodecs[CompressionTypes.LZ4] = decoderOnly('LZ4', (buffer) => {
    // lz4js misplaces block checksums; librdkafka and Java write none: refuse rather than misread.
    if ((buffer[4] & 0x10) !== 0)
      throw new Error('LZ4 frames with block checksums are not supported');
    return lz4.decompress(buffer);
  });
  CompressionCodecs[CompressionTypes.ZSTD] = decoderOnly('ZSTD', (buffer) =>
    zstd.decompress(buffer),
  );
}
