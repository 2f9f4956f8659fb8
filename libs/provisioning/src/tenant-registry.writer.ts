import { CompressionTypes, type Kafka, Partitioners, type Producer } from 'kafkajs';
import { TENANT_REGISTRY_TOPIC, type CustomerId } from '@logstream/tenancy';
import { kafkaOperation } from '@logstream/kafka';
import { encodeTenantRecord, type TenantRecord } from '@logstream/registry';

/**
 * Writes tenant registry records. The provisioner is the only writer in production; tests use
 * it to drive edge producers directly.
 */
export class TenantRegistryWriter {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    // One request in flight keeps records in order across retries; duplicates are harmless in
    // a compacted, last-write-wins topic, so kafkajs' idempotent mode is not needed.
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return kafkaOperation('connect registry writer', () => this.producer.connect());
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(...records: TenantRecord[]): Promise<void> {
    if (records.length === 0) return;
    await kafkaOperation('write tenant registry', () =>
      this.producer.send({
        topic: TENANT_REGISTRY_TOPIC,
        acks: -1,
        compression: CompressionTypes.None,
        messages: records.map((r) => ({ key: r.customerId, value: encodeTenantRecord(r) })),
      }),
    );
  }

  async tombstone(customerId: CustomerId): Promise<void> {
    await kafkaOperation('tombstone tenant registry', () =>
      this.producer.send({
        topic: TENANT_REGISTRY_TOPIC,
        acks: -1,
        messages: [{ key: customerId, value: null }],
      }),
    );
  }
}
