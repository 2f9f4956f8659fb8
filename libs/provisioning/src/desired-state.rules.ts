import type { CustomerTopicConfig } from '@logstream/config';
import { type AclBinding, aclKey, customerConsumerAcls, type TopicSpec } from '@logstream/kafka';
import { tenantRecord } from '@logstream/registry';
import { CUSTOMER_PRINCIPAL_PREFIX, type CustomerId, customerTopic } from '@logstream/tenancy';
import type {
  CustomerDesiredInput,
  CustomerPhase,
  DesiredCustomerState,
} from './provisioning.types';

/** Whether `principal` is one of this customer's credentials (ids hold no dot, so no overlap). */
export function isPrincipalOfCustomer(principal: string, id: CustomerId): boolean {
  return principal.startsWith(`${CUSTOMER_PRINCIPAL_PREFIX}${id}.`);
}

export function customerTopicSpec(id: CustomerId, settings: CustomerTopicConfig): TopicSpec {
  return {
    name: customerTopic(id),
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    configs: {
      'retention.ms': String(settings.retentionMs),
      'min.insync.replicas': String(settings.minInsyncReplicas),
    },
  };
}

export function phaseOf(
  input: Pick<CustomerDesiredInput, 'deletionRequested' | 'streamingEnabled'>,
): CustomerPhase {
  if (input.deletionRequested) return 'deleted';
  return input.streamingEnabled ? 'enabled' : 'disabled';
}

export function desiredState(
  input: CustomerDesiredInput,
  settings: CustomerTopicConfig,
  now: Date,
): DesiredCustomerState {
  const phase = phaseOf(input);
  const live = input.credentials.filter((c) => c.revokedAt === null && c.expiresAt > now);
  const acls =
    phase === 'enabled'
      ? live.flatMap((c) => customerConsumerAcls(c.principal, input.customerId))
      : [];
  return {
    customerId: input.customerId,
    generation: input.generation,
    phase,
    topic: customerTopicSpec(input.customerId, settings),
    acls,
    registry: tenantRecord(input.customerId, phase === 'enabled', input.generation, now),
  };
}

export interface AclDiff {
  create: AclBinding[];
  remove: AclBinding[];
}

/** What to create and remove so that `current` (the customer's ACLs in Kafka) becomes `desired`. */
export function diffAcls(current: readonly AclBinding[], desired: readonly AclBinding[]): AclDiff {
  const want = new Map(desired.map((b) => [aclKey(b), b]));
  const have = new Map(current.map((b) => [aclKey(b), b]));
  return {
    create: [...want].filter(([k]) => !have.has(k)).map(([, b]) => b),
    remove: [...have].filter(([k]) => !want.has(k)).map(([, b]) => b),
  };
}
