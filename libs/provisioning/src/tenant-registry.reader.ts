import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { kafkaOperation } from '@logstream/kafka';
import { type CustomerId, TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import { decodeTenantRecord } from '@logstream/registry';

/**
 * The highest generation of every customer's records in the registry since its last tombstone
 * (tombstoned customers left out), read from the beginning to the end the topic had when the read started. The
 * provisioner reads it on taking over: after a database restore its generations may be
 * behind what edge nodes already hold, and edge nodes ignore records older than those.
 */
export async function readRegistryGenerations(
  kafka: Kafka,
  timeoutMs: number,
): Promise<Map<CustomerId, number>> {
  const generations = new Map<CustomerId, number>();
  const admin = kafka.admin();
  await kafkaOperation('read registry offsets', () => admin.connect());
  let ends: Map<number, bigint>;
  try {
    const offsets = await kafkaOperation('read registry offsets', () =>
      admin.fetchTopicOffsets(TENANT_REGISTRY_TOPIC),
    );
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
  if (pending.size === 0) return generations;

  // A throwaway group of the provisioner's own (never a customer prefix), deleted afterwards.
  const groupId = `logstream-provisioner-registry-scan-${randomBytes(6).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  try {
    await kafkaOperation('read the registry', () => consumer.connect());
    await consumer.subscribe({ topic: TENANT_REGISTRY_TOPIC, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const entry = decodeTenantRecord(message.key, message.value);
          if (entry.kind === 'upsert') {
            // The highest since the last tombstone: what an edge node that read them all holds.
            const { customerId, generation } = entry.record;
            generations.set(customerId, Math.max(generation, generations.get(customerId) ?? 0));
          } else if (entry.kind === 'tombstone') {
            generations.delete(entry.customerId);
          }
          if (BigInt(message.offset) + 1n >= (ends.get(batch.partition) ?? 0n)) {
            pending.delete(batch.partition);
          }
        }
        if (pending.size === 0) finished();
        return Promise.resolve();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`reading the registry took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([done, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    // Not awaited: the scan's answer does not wait for its group's removal.
    const cleanup = kafka.admin();
    void cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => void cleanup.disconnect());
  }
  return generations;
}
