import type { CredentialEntity, CustomerEntity } from '@logstream/persistence';
import { consumerGroupPrefix, customerTopic, type CustomerId } from '@logstream/tenancy';
import { daysUntil } from './format.rules';
import type {
  ConnectionModel,
  CredentialRow,
  CredentialsModel,
  StreamingModel,
} from './panel.types';

/** Expiry warnings start this many days ahead. */
export const EXPIRY_WARNING_DAYS = 30;

/** The provisioner has not reconciled the latest desired state yet. */
function behind(c: CustomerEntity): boolean {
  return c.observedGeneration < c.generation;
}

export function streamingModel(c: CustomerEntity): StreamingModel {
  return {
    customerId: c.id,
    enabled: c.streamingEnabled,
    state: c.streamingState,
    lastError: c.lastError,
    provisioningMs: c.provisioningMs,
    stateChangedAt: c.stateChangedAt,
    inProgress:
      c.streamingState === 'provisioning' || c.streamingState === 'disabling' || behind(c),
    deleting: c.deletionRequestedAt !== null,
  };
}

export function connectionModel(
  c: CustomerEntity,
  bootstrapServers: readonly string[],
  retentionMs: number,
): ConnectionModel {
  const id = c.id as CustomerId;
  return {
    customerId: id,
    bootstrapServers,
    topic: customerTopic(id),
    groupPrefix: consumerGroupPrefix(id),
    retentionMs,
  };
}

export function credentialRow(k: CredentialEntity, c: CustomerEntity, now: Date): CredentialRow {
  const expired = k.expiresAt.getTime() <= now.getTime();
  const status: CredentialRow['status'] = k.revokedAt
    ? behind(c)
      ? 'revoking'
      : 'revoked'
    : expired
      ? 'expired'
      : 'active';
  const days = daysUntil(k.expiresAt, now);
  return {
    id: k.id,
    principal: k.principal,
    fingerprint: k.fingerprintSha256,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    status,
    expiresInDays: status === 'active' && days <= EXPIRY_WARNING_DAYS ? Math.max(0, days) : null,
  };
}

export function credentialsModel(
  c: CustomerEntity,
  credentials: readonly CredentialEntity[],
  maxActive: number,
  now: Date,
  highlight: string | null,
): CredentialsModel {
  // Newest first: the row just issued is at the top.
  const rows = credentials.map((k) => credentialRow(k, c, now)).reverse();
  return {
    customerId: c.id,
    rows,
    active: rows.filter((r) => r.status === 'active').length,
    maxActive,
    highlight: highlight !== null && rows.some((r) => r.id === highlight) ? highlight : null,
    pending: rows.some((r) => r.status === 'revoking'),
  };
}
