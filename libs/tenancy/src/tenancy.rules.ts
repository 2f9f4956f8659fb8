/**
 * Tenancy rules from the external contract: what a customer id may be and the Kafka names
 * derived from it. Pure functions; every component (API, provisioner, edge) uses these.
 */

/** A DNS label: lowercase letters, digits and inner hyphens, 1 to 63 characters. */
export const CUSTOMER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const CUSTOMER_ID_MAX_LENGTH = 63;
export const CUSTOMER_TOPIC_PREFIX = 'cdn-logs.';
/** Per-customer statistics (compacted), readable by the customer's credentials. */
export const CUSTOMER_STATS_TOPIC_PREFIX = 'cdn-stats.';
export const TENANT_REGISTRY_TOPIC = 'logstream.tenants';
/**
 * librdkafka's consumer insists on a group id and looks its coordinator up even when, as at the
 * edge, partitions are assigned by hand and nothing is ever joined or committed; so the edge's
 * registry reader may READ this one group and no other.
 */
export const EDGE_REGISTRY_GROUP = 'logstream-edge-registry';
/** Platform-only: each edge node's per-customer counters (never readable by customers). */
export const EDGE_STATS_TOPIC = 'logstream.edge-stats';
/** The health collector's follower of {@link EDGE_STATS_TOPIC} (never commits; no dot, so no customer prefix). */
export const HEALTH_EDGE_STATS_GROUP = 'logstream-health-edge-stats';
/** Every customer credential's principal starts with this, so it never meets a platform one. */
export const CUSTOMER_PRINCIPAL_PREFIX = 'customer.';

declare const customerIdBrand: unique symbol;
/** A string that has passed {@link parseCustomerId}. */
export type CustomerId = string & { readonly [customerIdBrand]: true };

export class InvalidCustomerIdError extends Error {
  constructor(
    readonly input: unknown,
    readonly reason: string,
  ) {
    super(`invalid customer id: ${reason}`);
    this.name = 'InvalidCustomerIdError';
  }
}

export function isCustomerId(value: unknown): value is CustomerId {
  return typeof value === 'string' && CUSTOMER_ID_PATTERN.test(value);
}

/** Why `value` is not a customer id, in words a person can act on; undefined when it is one. */
export function explainInvalidCustomerId(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'it must be a string';
  if (value.length === 0) return 'it must not be empty';
  if (value.length > CUSTOMER_ID_MAX_LENGTH) {
    return `it must be at most ${CUSTOMER_ID_MAX_LENGTH} characters (got ${value.length})`;
  }
  if (/[A-Z]/.test(value)) return 'it must be lowercase';
  if (!/^[a-z0-9-]*$/.test(value)) {
    return 'only lowercase letters a-z, digits 0-9 and "-" are allowed';
  }
  if (value.startsWith('-') || value.endsWith('-')) return 'it must not start or end with "-"';
  return CUSTOMER_ID_PATTERN.test(value) ? undefined : 'it must be a DNS label';
}

export function parseCustomerId(value: unknown): CustomerId {
  const reason = explainInvalidCustomerId(value);
  if (reason !== undefined) throw new InvalidCustomerIdError(value, reason);
  return value as CustomerId;
}

export function customerTopic(id: CustomerId): string {
  return CUSTOMER_TOPIC_PREFIX + id;
}

/** The customer's statistics topic, written by the aggregator. */
export function customerStatsTopic(id: CustomerId): string {
  return CUSTOMER_STATS_TOPIC_PREFIX + id;
}

/** The customer's consumer groups are every group id that starts with this. */
export function consumerGroupPrefix(id: CustomerId): string {
  return `${id}.`;
}

/** The customer a statistics topic belongs to, or undefined for any other topic. */
export function customerIdOfStatsTopic(topic: string): CustomerId | undefined {
  if (!topic.startsWith(CUSTOMER_STATS_TOPIC_PREFIX)) return undefined;
  const id = topic.slice(CUSTOMER_STATS_TOPIC_PREFIX.length);
  return isCustomerId(id) ? id : undefined;
}

/** The customer a topic belongs to, or undefined for a topic that is not a customer topic. */
export function customerIdOfTopic(topic: string): CustomerId | undefined {
  if (!topic.startsWith(CUSTOMER_TOPIC_PREFIX)) return undefined;
  const id = topic.slice(CUSTOMER_TOPIC_PREFIX.length);
  return isCustomerId(id) ? id : undefined;
}

/**
 * Every customer credential's certificate subject is `O=customers, OU=<customerId>,
 * CN=<credentialId>`: the broker's `ssl.principal.mapping.rules` turn exactly that shape (read
 * as `CN=<credentialId>,OU=<customerId>,O=customers`) into {@link credentialPrincipal}, and the
 * customer-issuing CA is name-constrained to `O=customers`, so it can mint nothing else.
 */
export const CUSTOMER_SUBJECT_ORGANIZATION = 'customers';

const CREDENTIAL_ID_PATTERN = /^[a-z0-9]{1,32}$/;

export interface CredentialSubject {
  organization: string;
  organizationalUnit: string;
  commonName: string;
}

/** The certificate subject of one credential (separate RDNs, so any customer id fits). */
export function credentialSubject(id: CustomerId, credentialId: string): CredentialSubject {
  assertCredentialId(credentialId);
  return {
    organization: CUSTOMER_SUBJECT_ORGANIZATION,
    organizationalUnit: id,
    commonName: credentialId,
  };
}

function assertCredentialId(credentialId: string): void {
  if (!CREDENTIAL_ID_PATTERN.test(credentialId)) {
    throw new Error(
      `credential id must be 1-32 lowercase letters or digits, got "${credentialId}"`,
    );
  }
}

/**
 * The Kafka principal of one credential, as the broker builds it from the certificate subject
 * (see {@link credentialSubject}). Each credential has its own so
 * that one can be revoked without touching the customer's others.
 */
export function credentialPrincipal(id: CustomerId, credentialId: string): string {
  assertCredentialId(credentialId);
  return `${CUSTOMER_PRINCIPAL_PREFIX}${id}.${credentialId}`;
}
