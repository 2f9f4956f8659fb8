import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The collector's Prometheus metrics. Consumer-group series use the names of the Kafka
 * ecosystem's lag exporters, with a `customer` label added; Logstream's own are per customer.
 */
export class HealthMetrics {
  readonly registry = new Registry();
  readonly groupLag = new Gauge({
    name: 'kafka_consumergroup_group_lag',
    help: 'Lines the group has not read yet (sum over the partitions of the topic).',
    labelNames: ['customer', 'group', 'topic'] as const,
    registers: [this.registry],
  });
  readonly groupLagSeconds = new Gauge({
    name: 'kafka_consumergroup_group_lag_seconds',
    help: 'Age in seconds of the oldest line the group has not read (max over partitions).',
    labelNames: ['customer', 'group', 'topic'] as const,
    registers: [this.registry],
  });
  readonly groupMembers = new Gauge({
    name: 'kafka_consumergroup_members',
    help: 'Members of the consumer group.',
    labelNames: ['customer', 'group'] as const,
    registers: [this.registry],
  });
  readonly latestOffset = new Gauge({
    name: 'kafka_partition_latest_offset',
    help: 'High watermark of the partition.',
    labelNames: ['customer', 'topic', 'partition'] as const,
    registers: [this.registry],
  });
  readonly earliestOffset = new Gauge({
    name: 'kafka_partition_earliest_offset',
    help: 'Low watermark (oldest retained offset) of the partition.',
    labelNames: ['customer', 'topic', 'partition'] as const,
    registers: [this.registry],
  });
  readonly producedLines = new Counter({
    name: 'logstream_customer_produced_lines_total',
    help: 'Lines appended to the customer topic since the collector started watching it.',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly producedLinesPerSec = new Gauge({
    name: 'logstream_customer_produced_lines_per_second',
    help: 'Lines per second appended to the customer topic over the last collection interval.',
    labelNames: ['customer'] as const,
    registers: [this.registry],
  });
  readonly lostLines = new Gauge({
    name: 'logstream_customer_group_lost_lines',
    help: 'Lines retention deleted before the group read them.',
    labelNames: ['customer', 'group'] as const,
    registers: [this.registry],
  });
  readonly atRisk = new Gauge({
    name: 'logstream_customer_group_at_risk',
    help: '1 while the oldest line the group has not read is close to retention.ms.',
    labelNames: ['customer', 'group'] as const,
    registers: [this.registry],
  });
  readonly edgeLines = new Counter({
    name: 'logstream_customer_edge_lines_total',
    help: 'Lines the edge nodes reported for the customer, by outcome (routed, inactive, oversize).',
    labelNames: ['customer', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly collectionSeconds = new Histogram({
    name: 'logstream_health_collection_seconds',
    help: 'Time one full collection took.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly collections = new Counter({
    name: 'logstream_health_collections_total',
    help: 'Collections by outcome (ok, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly customers = new Gauge({
    name: 'logstream_health_customers',
    help: 'Customers in the last collection.',
    registers: [this.registry],
  });
}
