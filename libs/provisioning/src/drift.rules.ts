import { type AclBinding, aclKey, edgeProducerAcls, healthCollectorAcls } from '@logstream/kafka';
import {
  CUSTOMER_PRINCIPAL_PREFIX,
  CUSTOMER_STATS_TOPIC_PREFIX,
  CUSTOMER_TOPIC_PREFIX,
  type CustomerId,
  customerIdOfStatsTopic,
  customerIdOfTopic,
  EDGE_REGISTRY_GROUP,
  EDGE_STATS_TOPIC,
  HEALTH_EDGE_STATS_GROUP,
  isCustomerId,
  TENANT_REGISTRY_TOPIC,
} from '@logstream/tenancy';
import { desiredState, diffAcls } from './desired-state.rules';
import type { CustomerDesiredInput } from './provisioning.types';
import type { CustomerTopicConfig } from '@logstream/config';

/** What Kafka holds, read in bulk once per resync (one topic list, one ACL listing). */
export interface KafkaSnapshot {
  topics: ReadonlySet<string>;
  acls: readonly AclBinding[];
}

/** Who besides customers may hold ACLs the provisioner leaves alone or grants. */
export interface AclPolicy {
  /** Edge producers: granted exactly {@link edgeProducerAcls}, nothing more. */
  edgePrincipals: readonly string[];
  /** Operators (and platform apps) whose ACLs are never removed, wherever they are. */
  operatorPrincipals: ReadonlySet<string>;
  /** Health collectors: granted exactly {@link healthCollectorAcls} on the edge stats. */
  healthPrincipals?: readonly string[];
}

/** The customer whose own resource (literal topic, group prefix) an ACL is on. */
export function customerOfAcl(acl: AclBinding): CustomerId | undefined {
  if (acl.resource === 'topic' && acl.pattern === 'literal') {
    return customerIdOfTopic(acl.name) ?? customerIdOfStatsTopic(acl.name);
  }
  if (acl.resource === 'group' && acl.pattern === 'prefixed' && acl.name.endsWith('.')) {
    const id = acl.name.slice(0, -1);
    return isCustomerId(id) ? id : undefined;
  }
  return undefined;
}

/** The customer a group id or group prefix belongs to (`<id>.` and below), if it exists. */
function customerOfGroupName(name: string, customers: ReadonlySet<string>): boolean {
  const dot = name.indexOf('.');
  return dot > 0 && customers.has(name.slice(0, dot));
}

/**
 * Whether an ACL's resource pattern reaches any customer's topics or groups: the customer topic
 * namespaces (`cdn-logs.` and `cdn-stats.` and below, wildcards, shorter prefixes) and the group ids under an
 * existing customer's prefix (group names are shared with the platform's own apps, so only
 * existing customers' prefixes count).
 */
export function reachesCustomerResources(acl: AclBinding, customers: ReadonlySet<string>): boolean {
  if (acl.resource === 'topic') {
    const prefixes = [CUSTOMER_TOPIC_PREFIX, CUSTOMER_STATS_TOPIC_PREFIX];
    if (acl.pattern === 'literal') {
      return acl.name === '*' || prefixes.some((p) => acl.name.startsWith(p));
    }
    return prefixes.some((p) => p.startsWith(acl.name) || acl.name.startsWith(p));
  }
  if (acl.resource === 'group') {
    if (acl.pattern === 'literal')
      return acl.name === '*' || customerOfGroupName(acl.name, customers);
    if (customerOfGroupName(acl.name, customers)) return true;
    // A prefix shorter than `<id>.` (no dot yet) covers every customer whose id starts with it.
    if (acl.name.includes('.')) return false;
    for (const id of customers) if (id.startsWith(acl.name)) return true;
    return false;
  }
  return false;
}

/**
 * The platform resources the provisioner grants exactly: the registry and the edge's group,
 * the edge stats and the collector's group for them (a revoked node must not write counts).
 */
function isManagedPlatformResource(acl: AclBinding): boolean {
  if (acl.pattern !== 'literal') return false;
  if (acl.resource === 'topic') {
    return acl.name === TENANT_REGISTRY_TOPIC || acl.name === EDGE_STATS_TOPIC;
  }
  return (
    acl.resource === 'group' &&
    (acl.name === EDGE_REGISTRY_GROUP || acl.name === HEALTH_EDGE_STATS_GROUP)
  );
}

/** Every grant the platform's own principals must hold, as {@link AclPolicy} names them. */
export function platformAcls(policy: Omit<AclPolicy, 'operatorPrincipals'>): AclBinding[] {
  return [
    ...policy.edgePrincipals.flatMap(edgeProducerAcls),
    ...(policy.healthPrincipals ?? []).flatMap(healthCollectorAcls),
  ];
}

/**
 * Every ACL that must go: on a customer's resources, on the registry or the edge's group, or
 * held by a customer principal anywhere, that is neither desired (a live credential's, an edge
 * producer's) nor an operator's. DENY, host-specific, prefixed and wildcard rules and every
 * operation count, not only the READ rules the platform writes.
 */
export function undesiredAcls(
  inputs: readonly CustomerDesiredInput[],
  acls: readonly AclBinding[],
  settings: CustomerTopicConfig,
  now: Date,
  policy: AclPolicy,
): AclBinding[] {
  const desired = new Set<string>();
  for (const input of inputs) {
    for (const acl of desiredState(input, settings, now).acls) desired.add(aclKey(acl));
  }
  for (const acl of platformAcls(policy)) desired.add(aclKey(acl));
  const customers = new Set<string>(inputs.map((i) => i.customerId));
  return acls.filter(
    (acl) =>
      !policy.operatorPrincipals.has(acl.principal) &&
      !desired.has(aclKey(acl)) &&
      (acl.principal.startsWith(CUSTOMER_PRINCIPAL_PREFIX) ||
        reachesCustomerResources(acl, customers) ||
        isManagedPlatformResource(acl)),
  );
}

export interface Drift {
  /** Customers not settled at their generation, or whose Kafka state differs from it. */
  drifted: CustomerId[];
  /** ACLs to delete at once (see {@link undesiredAcls}). */
  undesired: AclBinding[];
}

/**
 * Compares the database's desired state with a Kafka snapshot, so a periodic resync only
 * reconciles customers that need it (a deleted topic, an ACL added or removed by hand, a
 * missed notification) instead of all of them, and removes every grant nobody should hold.
 */
export function findDrift(
  inputs: readonly CustomerDesiredInput[],
  snapshot: KafkaSnapshot,
  settings: CustomerTopicConfig,
  now: Date,
  policy: AclPolicy,
): Drift {
  const aclsByCustomer = new Map<CustomerId, AclBinding[]>();
  for (const acl of snapshot.acls) {
    if (policy.operatorPrincipals.has(acl.principal)) continue;
    const id = customerOfAcl(acl);
    if (id === undefined) continue;
    const list = aclsByCustomer.get(id) ?? [];
    list.push(acl);
    aclsByCustomer.set(id, list);
  }
  const drifted: CustomerId[] = [];
  for (const input of inputs) {
    const desired = desiredState(input, settings, now);
    const diff = diffAcls(aclsByCustomer.get(input.customerId) ?? [], desired.acls);
    const topicMissing =
      desired.phase === 'enabled' &&
      (!snapshot.topics.has(desired.topic.name) || !snapshot.topics.has(desired.statsTopic.name));
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
  return { drifted, undesired: undesiredAcls(inputs, snapshot.acls, settings, now, policy) };
}
