import { existsSync } from 'node:fs';
import * as path from 'node:path';
// Loaded first so that its librdkafka is the one the addon binds to (same soname).
import 'node-rdkafka';
import type { LineBatch } from './line-batch.types';
import type { RdkafkaLogLine } from './rdkafka-log.rules';

declare const nativeHandle: unique symbol;
/** A librdkafka producer owned by the native addon. */
export type NativeProducerHandle = { readonly [nativeHandle]: true };

/** What happened inside librdkafka since the last {@link NativeProducerBinding.takeEvents}. */
export interface NativeProducerEvents {
  deliveryErrors: number;
  deliveryError: string | null;
  errors: number;
  error: string | null;
  /** 1 once librdkafka raised a fatal error (the idempotent producer cannot go on). */
  fatal: number;
  /** Lines librdkafka refused when they were handed over (not counting a full queue). */
  refused: number;
  refusedError: string | null;
  /** The latest statistics JSON (statistics.interval.ms), if one came. */
  stats: string | null;
  /** librdkafka's own log lines since the last call (at most 16; the rest are counted). */
  logs: RdkafkaLogLine[];
  logsSkipped: number;
}

/**
 * libs/edge/native/edge-producer.c: one call hands librdkafka a whole chunk's routed lines,
 * each `buf[starts[i], ends[i])` to the topic registered as `slots[i]`.
 */
export interface NativeProducerBinding {
  readonly librdkafkaVersion: string;
  /** `config` is librdkafka properties as a flat [key, value, key, value, …] list. */
  create(config: string[]): NativeProducerHandle;
  /** Registers a topic; returns its slot (0, 1, 2, … in call order). */
  addTopic(p: NativeProducerHandle, topic: string): number;
  /** Returns the index of the first line not taken: `to`, or less when the queue is full. */
  produce(
    p: NativeProducerHandle,
    buf: Buffer,
    slots: Uint32Array,
    starts: Uint32Array,
    ends: Uint32Array,
    from: number,
    to: number,
    key: Buffer,
  ): number;
  poll(p: NativeProducerHandle): void;
  /** Lines not yet acknowledged, plus requests and events librdkafka still has to serve. */
  outqLen(p: NativeProducerHandle): number;
  takeEvents(p: NativeProducerHandle): NativeProducerEvents;
  flush(p: NativeProducerHandle, timeoutMs: number, done: (error: string | null) => void): void;
  close(p: NativeProducerHandle): void;
}

const ADDON = 'logstream_edge_native.node';

let loaded: NativeProducerBinding | undefined;

/**
 * Loads the addon: beside the single-file build, or where scripts/build-native.sh builds it.
 * Once per process (the lines' client and the stats client share it).
 */
export function loadNativeProducer(): NativeProducerBinding {
  if (loaded) return loaded;
  const candidates = [
    path.join(__dirname, ADDON),
    path.resolve(__dirname, '../../../../libs/edge/native/build/Release', ADDON),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `the edge producer's native addon is not built (looked for ${candidates.join(', ')}); run npm run setup`,
    );
  }
  const addon = { exports: {} };
  process.dlopen(addon, found);
  loaded = addon.exports as NativeProducerBinding;
  return loaded;
}

/**
 * Hands `batch`'s lines from `batch.taken` on to librdkafka (which copies them) and records how
 * far it got; false when the local queue filled up first.
 */
export function produceBatch(
  native: NativeProducerBinding,
  handle: NativeProducerHandle,
  batch: LineBatch,
  key: Buffer,
): boolean {
  const taken = native.produce(
    handle,
    batch.buf,
    batch.slots,
    batch.starts,
    batch.ends,
    batch.taken,
    batch.count,
    key,
  );
  batch.takenUpTo(taken);
  return !batch.pending;
}
