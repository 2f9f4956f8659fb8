import type { CredentialEntity, CustomerEntity } from '@logstream/persistence';
import { consumerGroupPrefix, customerTopic, type CustomerId } from '@logstream/tenancy';
import type { CredentialView, CustomerView, StreamingStatus } from './control.types';

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

export function streamingStatus(
  c: CustomerEntity,
  bootstrapServers: readonly string[],
): StreamingStatus {
  const id = c.id as CustomerId;
  return {
    enabled: c.streamingEnabled,
    state: c.streamingState,
    topic: customerTopic(id),
    bootstrapServers: [...bootstrapServers],
    consumerGroupPrefix: consumerGroupPrefix(id),
    lastError: c.lastError,
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
