import {
  type CustomerId,
  customerTopic,
  explainInvalidCustomerId,
  TENANT_REGISTRY_TOPIC,
} from '@logstream/tenancy';
import type { TopicSpec } from '@logstream/kafka';
import { jsonObjectOf } from './json-value.rules';

/**
 * One record of the compacted tenant registry `logstream.tenants`: key = customer id, value =
 * this record as JSON; a tombstone (null value) means the customer is gone. Edge producers
 * route a customer's lines only while its latest record says `enabled`.
 */
export interface TenantRecord {
  customerId: CustomerId;
  topic: string;
  enabled: boolean;
  /** The customer's desired-state generation this record was written for. */
  generation: number;
  /** ISO-8601 time of writing. */
  updatedAt: string;
}

export type DecodedRegistryEntry =
  | { kind: 'upsert'; record: TenantRecord }
  | { kind: 'tombstone'; customerId: CustomerId }
  | { kind: 'invalid'; reason: string };

export function tenantRecord(
  customerId: CustomerId,
  enabled: boolean,
  generation: number,
  now = new Date(),
): TenantRecord {
  return {
    customerId,
    topic: customerTopic(customerId),
    enabled,
    generation,
    updatedAt: now.toISOString(),
  };
}

export function encodeTenantRecord(record: TenantRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

/**
 * Reads one registry entry defensively: the registry is shared state that every edge node
 * trusts, so anything malformed is reported as invalid instead of half-applied. Unknown extra
 * fields are allowed, so newer writers do not break older readers.
 */
export function decodeTenantRecord(
  key: Buffer | string | null,
  value: Buffer | null,
): DecodedRegistryEntry {
  const id = key === null ? undefined : key.toString();
  const idProblem = explainInvalidCustomerId(id);
  if (id === undefined || idProblem !== undefined) {
    return { kind: 'invalid', reason: `key is not a customer id: ${idProblem ?? 'missing'}` };
  }
  const customerId = id as CustomerId;
  if (value === null || value.length === 0) return { kind: 'tombstone', customerId };
  const json = jsonObjectOf(value, `value for ${id}`);
  if ('reason' in json) return { kind: 'invalid', reason: json.reason };
  const r = json.object;
  if (r.customerId !== id)
    return { kind: 'invalid', reason: `value.customerId does not match key ${id}` };
  if (r.topic !== customerTopic(customerId)) {
    return {
      kind: 'invalid',
      reason: `value.topic for ${id} must be ${customerTopic(customerId)}`,
    };
  }
  if (typeof r.enabled !== 'boolean')
    return { kind: 'invalid', reason: `value.enabled for ${id} is not a boolean` };
  if (typeof r.generation !== 'number' || !Number.isSafeInteger(r.generation) || r.generation < 0) {
    return { kind: 'invalid', reason: `value.generation for ${id} is not a whole number` };
  }
  if (typeof r.updatedAt !== 'string' || Number.isNaN(Date.parse(r.updatedAt))) {
    return { kind: 'invalid', reason: `value.updatedAt for ${id} is not a time` };
  }
  return {
    kind: 'upsert',
    record: {
      customerId,
      topic: r.topic,
      enabled: r.enabled,
      generation: r.generation,
      updatedAt: r.updatedAt,
    },
  };
}

/** The registry topic: one partition (one total order for every edge node), compacted. */
export function registryTopicSpec(replicationFactor: number): TopicSpec {
  return {
    name: TENANT_REGISTRY_TOPIC,
    partitions: 1,
    replicationFactor,
    configs: {
      'cleanup.policy': 'compact',
      'min.insync.replicas': String(Math.min(2, replicationFactor)),
      // Tombstones stay a day so a node that was offline still sees the delete.
      'delete.retention.ms': String(24 * 3600_000),
      'segment.ms': String(3600_000),
    },
  };
}
