export * from './customer-counters.index';
export * from './customer-id-bytes.rules';
export * from './drop-reason.types';
export * from './edge-config.loader';
export * from './edge-config.types';
export * from './edge-counters.types';
export * from './edge-metrics.writer';
export * from './file-position.rules';
export * from './line-batch.types';
export * from './line-router.rules';
export * from './line.reader';
export * from './native-producer.binding';
export * from './rdkafka-config.factory';
export * from './rdkafka-stats.rules';
export * from './sampled-log.writer';
export * from './tenant-table.index';
export * from './rdkafka-log.rules';
export * from './udp-drops.rules';
export * from './spool/crc32.rules';
export * from './spool/disk-spool.store';
export type {
  DiskSpoolOptions,
  SpoolBlock,
  SpoolPosition,
  SpoolStats,
} from './spool/spool-dir.files';
export * from './spool/spool-block.format';
