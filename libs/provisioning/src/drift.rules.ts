import type { AclBinding } from '@logstream/kafka';
import { type CustomerId, customerIdOfTopic, isCustomerId } from '@logstream/tenancy';
import { desiredState, diffAcls } from './desired-state.rules';
import type { CustomerDesiredInput } from './provisioning.types';
import type { CustomerTopicConfig } from '@logstream/config';

/** What Kafka holds, read in bulk once per resync (one topic list, one ACL listing). */
export interface KafkaSnapshot {
  topics: ReadonlySet<string>;
  acls: readonly AclBinding[];
}

/** The customer whose resource an ACL is on, for ACLs on customer topics and group prefixes. */
export function customerOfAcl(acl: AclBinding): CustomerId | undefined {
  if (acl.resource === 'topic' && acl.pattern === 'literal') return customerIdOfTopic(acl.name);
  if (acl.resource === 'group' && acl.pattern === 'prefixed' && acl.name.endsWith('.')) {
    const id = acl.name.slice(0, -1);
    return isCustomerId(id) ? id : undefined;
  }
  return undefined;
}

export interface Drift {
  /** Customers not settled at their generation, or whose Kafka state differs from it. */
  drifted: CustomerId[];
  /** Customer resources holding ACLs although no such customer exists any more. */
  orphans: CustomerId[];
}

/**
 * Compares the database's desired state with a Kafka snapshot, so a periodic resync only
 * reconciles customers that need it (a deleted topic, an ACL added or removed by hand, a
 * missed notification) instead of all of them.
 */
export function findDrift(
  inputs: readonly CustomerDesiredInput[],
  snapshot: KafkaSnapshot,
  settings: CustomerTopicConfig,
  now: Date,
): Drift {
  const aclsByCustomer = new Map<CustomerId, AclBinding[]>();
  for (const acl of snapshot.acls) {
    const id = customerOfAcl(acl);
    if (id === undefined) continue;
    const list = aclsByCustomer.get(id) ?? [];
    list.push(acl);
    aclsByCustomer.set(id, list);
  }
  const drifted: CustomerId[] = [];
  const known = new Set<CustomerId>();
  for (const input of inputs) {
    known.add(input.customerId);
    const desired = desiredState(input, settings, now);
    const diff = diffAcls(aclsByCustomer.get(input.customerId) ?? [], desired.acls);
    const topicMissing = desired.phase === 'enabled' && !snapshot.topics.has(desired.topic.name);
    const unsettled =
      input.observedGeneration !== input.generation ||
      input.state === 'provisioning' ||
      input.state === 'disabling' ||
      input.state === 'failed';
    const aclDrift = diff.create.length > 0 || diff.remove.length > 0;
    if (desired.phase === 'deleted' || unsettled || topicMissing || aclDrift) {
      drifted.push(input.customerId);
    }
  }
  const orphans = [...aclsByCustomer.keys()].filter((id) => !known.has(id));
  return { drifted, orphans };
}
