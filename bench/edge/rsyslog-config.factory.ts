import type { Compression } from './edge-report.factory';

export interface RsyslogBenchConfig {
  workDir: string;
  input: string;
  broker: string;
  compression: Compression;
  lingerMs: number;
  /** At least the number of customers, so omkafka never closes and reopens a topic handle. */
  topicCacheSize: number;
}

/**
 * rsyslogd's configuration for the omkafka peer: imfile reads the edge input from its start,
 * RainerScript splits the customer id off at the first space, and omkafka produces the rest of
 * the line to `cdn-logs.<id>` (dynaTopic) with the same librdkafka settings the edge producer
 * uses. Like the edge producer, it never creates topics; unlike it, it checks neither the id
 * nor whether the customer is active (there is no registry): a floor for routing, not a peer
 * with the same guarantees.
 */
export function rsyslogConfig(c: RsyslogBenchConfig): string {
  const conf = [
    `compression.codec=${c.compression}`,
    `linger.ms=${c.lingerMs}`,
    'batch.num.messages=100000',
    'batch.size=1000000',
    'queue.buffering.max.messages=1000000',
    'queue.buffering.max.kbytes=524288',
    'enable.idempotence=true',
    'acks=all',
  ];
  return `# Written by bench/edge (rsyslog omkafka peer); rsyslogd runs in the foreground with it.
global(workDirectory="${c.workDir}" maxMessageSize="64k")
module(load="imfile" mode="inotify")
module(load="omkafka")
template(name="customer_topic" type="list") { constant(value="cdn-logs.") property(name="$!id") }
template(name="line_body" type="list") { property(name="$!body") }
ruleset(name="route") {
  set $!id = field($msg, 32, 1);
  set $!body = substring($msg, strlen($!id) + 1, 1048576);
  action(type="omkafka" broker=["${c.broker}"] topic="customer_topic" dynaTopic="on"
    dynaTopic.cachesize="${c.topicCacheSize}" partitions.auto="on" template="line_body"
    closeTimeout="30000"
    confParam=[${conf.map((p) => `"${p}"`).join(', ')}])
}
input(type="imfile" file="${c.input}" tag="cdn" ruleset="route" freshStartTail="off")
`;
}
