import { EDGE_REGISTRY_GROUP } from '@logstream/tenancy';
import type { ConsumerGlobalConfig, ConsumerTopicConfig } from 'node-rdkafka';
import type { EdgeConfig, EdgeKafkaConfig } from './edge-config.types';

/** Partitions are assigned and nothing is committed; librdkafka still wants a group id. */
export const REGISTRY_GROUP_ID = EDGE_REGISTRY_GROUP;

function connection(k: EdgeKafkaConfig): Record<string, string | boolean> {
  const common: Record<string, string | boolean> = {
    'bootstrap.servers': k.brokers.join(','),
    'socket.keepalive.enable': true,
    'log.connection.close': false,
  };
  if (k.tls) {
    common['security.protocol'] = 'ssl';
    common['ssl.ca.location'] = k.tls.caFile;
    common['ssl.certificate.location'] = k.tls.certFile;
    common['ssl.key.location'] = k.tls.keyFile;
  }
  return common;
}

/**
 * The producer: idempotent with acks from all in-sync replicas (no loss, no duplicates from
 * retries, order kept per partition), long linger and big batches for the least work per line,
 * delivery reports for failures only. Plain librdkafka properties: the native addon sets them.
 */
export function producerConfig(c: EdgeConfig): Record<string, string | number | boolean> {
  const k = c.kafka;
  return {
    ...connection(k),
    'client.id': k.clientId,
    'enable.idempotence': true,
    acks: 'all',
    'compression.codec': k.compression,
    'linger.ms': k.lingerMs,
    'batch.size': k.batchBytes,
    'batch.num.messages': k.batchMessages,
    'queue.buffering.max.messages': k.queueMaxMessages,
    'queue.buffering.max.kbytes': k.queueMaxKbytes,
    // One line must fit one request, and a batch must fit too.
    'message.max.bytes': Math.max(1_000_000, c.maxLineBytes + 4096, k.batchBytes),
    'delivery.report.only.error': true,
    // Never give up on a line: a long outage fills the queue and pauses reading instead.
    // librdkafka's default (5 min) would fail queued lines, and a file source would then save
    // a position past them.
    'message.timeout.ms': 0,
    'statistics.interval.ms': k.statisticsIntervalMs,
    ...k.overrides,
  };
}

/**
 * The client of the per-customer stats records (one a minute), apart from the lines' client so
 * that a missing topic or grant can never hold up, or count against, the lines. Small bounds,
 * no linger (one record: nothing to batch, and the shutdown record should not wait), and a
 * finite timeout, since a record given up loses nothing (its counts are cumulative; the next
 * one carries them). Not idempotent: a retried duplicate has the same `seq`, which readers
 * ignore, and the InitProducerId round trip would only delay the shutdown record.
 */
export function customerStatsProducerConfig(
  c: EdgeConfig,
): Record<string, string | number | boolean> {
  const k = c.kafka;
  return {
    ...connection(k),
    'client.id': `${k.clientId}-stats`,
    acks: 'all',
    'compression.codec': k.compression === 'none' ? 'none' : 'lz4',
    'linger.ms': 0,
    'queue.buffering.max.messages': 100,
    'queue.buffering.max.kbytes': 65_536,
    'message.max.bytes': 8 * 1048576,
    'delivery.report.only.error': true,
    'message.timeout.ms': Math.max(30_000, 2 * c.customerStatsIntervalMs),
    'statistics.interval.ms': 0,
  };
}

/** librdkafka properties as the native addon takes them: [key, value, key, value, …]. */
export function flatProperties(props: Record<string, string | number | boolean>): string[] {
  return Object.entries(props).flatMap(([key, value]) => [key, String(value)]);
}

/** The registry follower: reads `logstream.tenants` from the beginning, never commits. */
export function registryConsumerConfig(c: EdgeConfig): {
  global: ConsumerGlobalConfig;
  topic: ConsumerTopicConfig;
} {
  return {
    global: {
      ...connection(c.kafka),
      'client.id': `${c.kafka.clientId}-registry`,
      'group.id': REGISTRY_GROUP_ID,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'enable.partition.eof': true,
      'fetch.wait.max.ms': 100,
      'allow.auto.create.topics': false,
    },
    topic: { 'auto.offset.reset': 'earliest' },
  };
}
