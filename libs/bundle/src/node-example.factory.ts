import { bundleAsset } from './bundle-assets.factory';
import type { BundleValues } from './bundle.types';

/**
 * What the Node example needs next to it, pinned. kafkajs reads gzip itself but has no lz4 or
 * zstd codec, and the edge producer compresses with lz4 by default (zstd configurable), so the
 * example plugs in decoders written in plain JavaScript (no native build on the customer's
 * machine): lz4js for LZ4 frames (what librdkafka writes: independent 64 KiB blocks, no block
 * checksums) and fzstd for zstd.
 */
export const NODE_EXAMPLE_PACKAGES = ['kafkajs@2.2.4', 'lz4js@0.2.0', 'fzstd@0.1.1'] as const;

/** The README's install command for the Node example, run once in the bundle folder. */
export const NODE_EXAMPLE_INSTALL = `npm install ${NODE_EXAMPLE_PACKAGES.join(' ')}`;

/**
 * examples/consumer.mjs: kafkajs 2.2 on Node 18 or later, shipped as written
 * (libs/bundle/assets); it reads its values from the bundle's client.properties, so the
 * bundle's values are not needed here.
 */
export function nodeExample(_values?: BundleValues): string {
  return bundleAsset('examples/consumer.mjs');
}
