import type { QuotaDefaults } from '@logstream/config';
import type { KeyPairPem } from '@logstream/pki';
import type { StreamingState } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';

/** Who sent a request: an operator with an admin token, or one customer's token. */
export type Principal =
  { kind: 'admin' } | { kind: 'customer'; customerId: CustomerId; tokenId: string };

export interface ControlOptions {
  /** Admin tokens from the configuration (compared in constant time). */
  adminTokens: readonly string[];
  /** The SSL listener's bootstrap servers, as customers reach them. */
  customerBootstrap: readonly string[];
  /** Client quotas of customers without their own (the provisioner sets the same). */
  quotaDefaults: QuotaDefaults;
  credentials: {
    /** The CA that signs customer certificates (its key goes to the worker threads only). */
    ca: KeyPairPem;
    /** The CA customers trust to reach the broker, shipped in every bundle. */
    brokerCaPem: string;
    validityDays: number;
    maxActivePerCustomer: number;
    issueRatePerMinute: number;
    issueConcurrency: number;
    workers: number;
    retentionDays: number;
  };
  /** Where background work (the credential pruning) reports a failure. */
  reportError?: (message: string, err: unknown) => void;
}

export const CONTROL_OPTIONS = Symbol('CONTROL_OPTIONS');

export interface CustomerView {
  id: string;
  name: string;
  streamingEnabled: boolean;
  streamingState: StreamingState;
  generation: number;
  observedGeneration: number;
  deletionRequestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerPage {
  items: CustomerView[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

export interface StreamingStatus {
  enabled: boolean;
  state: StreamingState;
  topic: string;
  bootstrapServers: string[];
  consumerGroupPrefix: string;
  lastError: string | null;
  /** When the state last changed. */
  updatedAt: Date;
  activeSince: Date | null;
  /** Desired-state generation, and the one the provisioner has reconciled. */
  generation: number;
  observedGeneration: number;
}

export interface CredentialView {
  id: string;
  principal: string;
  serial: string;
  fingerprint: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface CredentialPage {
  items: CredentialView[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

export interface TokenView {
  id: string;
  customerId: string;
  createdAt: Date;
  /** Null: valid until revoked. */
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedToken extends TokenView {
  /** Shown once: only its hash is stored. */
  token: string;
}

/** A customer's own client quotas; null: the platform's default. */
export interface QuotaOverride {
  consumerByteRate: number | null;
  requestPercentage: number | null;
}

/** The quotas in force for a customer (all its credentials together), and which are its own. */
export interface QuotaView {
  consumerByteRate: number;
  requestPercentage: number;
  override: QuotaOverride;
}
