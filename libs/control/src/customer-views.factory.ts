import type { CredentialEntity, CustomerEntity, CustomerTokenEntity } from '@logstream/persistence';
import { consumerGroupPrefix, customerTopic, type CustomerId } from '@logstream/tenancy';
import type {
  CredentialView,
  CustomerView,
  Principal,
  StreamingStatus,
  TokenView,
} from './control.types';
import { customerSafeError } from './customer-safe-error.rules';

export function customerView(c: CustomerEntity): CustomerView {
  return {
    id: c.id,
    name: c.name,
    streamingEnabled: c.streamingEnabled,
    streamingState: c.streamingState,
    generation: c.generation,
    observedGeneration: c.observedGeneration,
    deletionRequestedAt: c.deletionRequestedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * The streaming status as `principal` may see it: the provisioner's own words for the last
 * error (hosts, broker messages) go to admins only; customers get customer-safe words.
 */
export function streamingStatus(
  c: CustomerEntity,
  bootstrapServers: readonly string[],
  principal: Principal,
): StreamingStatus {
  const id = c.id as CustomerId;
  return {
    enabled: c.streamingEnabled,
    state: c.streamingState,
    topic: customerTopic(id),
    bootstrapServers: [...bootstrapServers],
    consumerGroupPrefix: consumerGroupPrefix(id),
    lastError: principal.kind === 'admin' ? c.lastError : customerSafeError(c.lastError),
    updatedAt: c.stateChangedAt,
    activeSince: c.activeSince,
    generation: c.generation,
    observedGeneration: c.observedGeneration,
  };
}

export function credentialView(k: CredentialEntity): CredentialView {
  return {
    id: k.id,
    principal: k.principal,
    serial: k.serial,
    fingerprint: k.fingerprintSha256,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
  };
}

export function tokenView(t: CustomerTokenEntity): TokenView {
  return {
    id: t.id,
    customerId: t.customerId,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
  };
}
