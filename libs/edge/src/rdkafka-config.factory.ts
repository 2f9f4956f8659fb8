import { EDGE_REGISTRY_GROUP } from '@logstream/kafka';
import type {
  ConsumerGlobalConfig,
  ConsumerTopicConfig,
  ProducerGlobalConfig,
  ProducerTopicConfig,
} from 'node-rdkafka';
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
 * librdkafka topic-level properties the edge sets or lets `-X` set. node-rdkafka gives every
 * topic a configuration of its own, so these are ignored in the global configuration: they must
 * go in the topic configuration ({@link producerTopicConfig}).
 */
const TOPIC_LEVEL = new Set(['message.timeout.ms', 'delivery.timeout.ms']);

/**
 * The producer: idempotent with acks from all in-sync replicas (no loss, no duplicates from
 * retries, order kept per partition), long linger and big batches for the least work per line,
 * delivery reports for failures only (a success never crosses into JavaScript).
 */
export function producerConfig(c: EdgeConfig): ProducerGlobalConfig {
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
    dr_cb: true,
    'delivery.report.only.error': true,
    'statistics.interval.ms': k.statisticsIntervalMs,
    ...Object.fromEntries(Object.entries(k.overrides).filter(([key]) => !TOPIC_LEVEL.has(key))),
  } as ProducerGlobalConfig;
}

/**
 * The producer's topic configuration. Lines never expire in the local queue
 * (`message.timeout.ms` 0): librdkafka's default of 300 s would drop every line queued longer
 * than 5 minutes while Kafka is away. A full queue pauses reading instead, so an outage costs
 * time, not lines. `-X message.timeout.ms=N` still sets a limit.
 */
export function producerTopicConfig(c: EdgeConfig): ProducerTopicConfig {
  const topic: Record<string, string | number> = { 'message.timeout.ms': 0 };
  for (const [key, value] of Object.entries(c.kafka.overrides)) {
    if (TOPIC_LEVEL.has(key)) topic['message.timeout.ms'] = value;
  }
  return topic;
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
