import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The archiver's Prometheus metrics, served on its probe server's /metrics. */
export class ArchiverMetrics {
  readonly registry = new Registry();
  readonly uploads = new Counter({
    name: 'logstream_archive_uploads_total',
    help: 'Object uploads by customer and result (ok, failed).',
    labelNames: ['customer', 'result'] as const,
    registers: [this.registry],
  });
  readonly lines = new Counter({
    name: 'logstream_archive_lines_total',
    help: 'Lines stored in objects (re-uploads of the same chunk included).',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'logstream_archive_object_bytes_total',
    help: 'Compressed object bytes stored.',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly linesLost = new Counter({
    name: 'logstream_archive_lines_lost_total',
    help: 'Lines that fell out of Kafka retention before they were delivered.',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly uploadSeconds = new Histogram({
    name: 'logstream_archive_upload_seconds',
    help: 'Time to store one object (successful attempts).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly behindSeconds = new Gauge({
    name: 'logstream_archive_behind_seconds',
    help: 'Age of the oldest line not yet stored, per customer (partitions this instance owns).',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly failing = new Gauge({
    name: 'logstream_archive_failing',
    help: '1 while the last upload attempt for the customer failed (2: a permanent failure).',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly bufferedLines = new Gauge({
    name: 'logstream_archive_buffered_lines',
    help: 'Lines held in memory, waiting for their object.',
    registers: [this.registry],
  });
  readonly partitions = new Gauge({
    name: 'logstream_archive_partitions_owned',
    help: 'Partitions this instance holds in the consumer group.',
    registers: [this.registry],
  });
  readonly consumerStarts = new Counter({
    name: 'logstream_archive_consumer_starts_total',
    help: 'Consumer (re)starts, after a change of the archived customers or a crash.',
    registers: [this.registry],
  });
}
