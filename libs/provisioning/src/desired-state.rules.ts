import type { CustomerTopicConfig } from '@logstream/config';
import { type AclBinding, aclKey, customerConsumerAcls, type TopicSpec } from '@logstream/kafka';
import { tenantRecord } from '@logstream/registry';
import {
  CUSTOMER_PRINCIPAL_PREFIX,
  credentialPrincipal,
  type CustomerId,
  customerStatsTopic,
  customerTopic,
} from '@logstream/tenancy';
import { customerUserQuota } from './quota.rules';
import type {
  CustomerDesiredInput,
  CustomerPhase,
  DesiredCustomerState,
} from './provisioning.types';

/** Whether `principal` is one of this customer's credentials (ids hold no dot, so no overlap). */
export function isPrincipalOfCustomer(principal: string, id: CustomerId): boolean {
  return principal.startsWith(`${CUSTOMER_PRINCIPAL_PREFIX}${id}.`);
}

/**
 * Why a credential row must get no access, or undefined when its principal is the one its
 * customer and credential id give (the only principal a certificate of it maps to): the
 * provisioner grants what the row says, so a row naming another principal (say a platform one)
 * would otherwise hand it this customer's topic.
 */
export function credentialPrincipalProblem(
  id: CustomerId,
  credential: { id: string; principal: string },
): string | undefined {
  let own: string;
  try {
    own = credentialPrincipal(id, credential.id);
  } catch (err) {
    return `credential "${credential.id}" of customer "${id}" has an invalid id (${err instanceof Error ? err.message : String(err)}); no access granted to it`;
  }
  if (credential.principal === own) return undefined;
  return `credential "${credential.id}" of customer "${id}" names principal "${credential.principal}", not its own "${own}"; no access granted to it`;
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

/**
 * The customer's statistics topic: compacted (a window's record replaces its earlier ones
 * under the same key), one partition (the aggregator writes a customer from one instance).
 */
export function customerStatsTopicSpec(id: CustomerId, settings: CustomerTopicConfig): TopicSpec {
  return {
    name: customerStatsTopic(id),
    partitions: 1,
    replicationFactor: settings.replicationFactor,
    configs: {
      'cleanup.policy': 'compact',
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
  const refusedCredentials: string[] = [];
  const trusted = live.filter((c) => {
    const problem = credentialPrincipalProblem(input.customerId, c);
    if (problem !== undefined) refusedCredentials.push(problem);
    return problem === undefined;
  });
  const acls =
    phase === 'enabled'
      ? trusted.flatMap((c) => customerConsumerAcls(c.principal, input.customerId))
      : [];
  return {
    refusedCredentials,
    customerId: input.customerId,
    generation: input.generation,
    phase,
    topic: customerTopicSpec(input.customerId, settings),
    statsTopic: customerStatsTopicSpec(input.customerId, settings),
    acls,
    registry: tenantRecord(input.customerId, phase === 'enabled', input.generation, now),
    quota: customerUserQuota(input),
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
