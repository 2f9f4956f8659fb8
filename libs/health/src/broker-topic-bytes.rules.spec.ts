import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addTopicBytes, bytesPerSec, type TopicBytes } from './broker-topic-bytes.rules';

// What the JMX exporter 1.0.1 serves with infra/kafka/jmx-exporter.yml (two brokers).
const BROKER_1 = `# HELP kafka_server_brokertopicmetrics_bytesin_total Attribute exposed for management
# TYPE kafka_server_brokertopicmetrics_bytesin_total counter
kafka_server_brokertopicmetrics_bytesin_total{topic="cdn-logs.acme"} 1200.0
kafka_server_brokertopicmetrics_bytesout_total{topic="cdn-logs.acme"} 3.5E3
jvm_memory_used_bytes{area="heap"} 1.0E8
kafka_server_brokertopicmetrics_bytesin_total{topic="cdn-logs.beta",} 10.0
`;
const BROKER_2 = `kafka_server_brokertopicmetrics_bytesin_total{topic="cdn-logs.acme"} 800.0
kafka_server_brokertopicmetrics_bytesout_total{topic="cdn-logs.acme"} NaN
`;

describe('broker per-topic bytes', () => {
  it('sums the byte counters by topic over brokers and skips everything else', () => {
    const into = new Map<string, TopicBytes>();
    addTopicBytes(BROKER_1, into);
    addTopicBytes(BROKER_2, into);
    assert.deepEqual(Object.fromEntries(into), {
      'cdn-logs.acme': { bytesIn: 2000, bytesOut: 3500 },
      'cdn-logs.beta': { bytesIn: 10, bytesOut: 0 },
    });
  });

  it('gives a rate, or null when a counter went back (a broker restarted)', () => {
    assert.equal(bytesPerSec(1000, 4000, 2), 1500);
    assert.equal(bytesPerSec(4000, 1000, 2), null);
    assert.equal(bytesPerSec(0, 0, 0), null);
  });
});
