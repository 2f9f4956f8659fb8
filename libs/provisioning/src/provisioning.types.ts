import type { AclBinding, TopicSpec, UserQuota } from '@logstream/kafka';
import type { CustomerQuotaOverride, StreamingState } from '@logstream/persistence';
import type { TenantRecord } from '@logstream/registry';
import type { CustomerId } from '@logstream/tenancy';

/** What the database says a customer wants, as read by the provisioner. */
export interface CustomerDesiredInput {
  customerId: CustomerId;
  generation: number;
  streamingEnabled: boolean;
  deletionRequested: boolean;
  /** When the desired state last changed (to measure provisioning latency). */
  requestedAt: Date;
  credentials: ReadonlyArray<{
    id: string;
    principal: string;
    revokedAt: Date | null;
    expiresAt: Date;
  }>;
  /** The customer's own quotas; a null field falls back to the platform's default. */
  quota: CustomerQuotaOverride;
  /** Last reported outcome: which generation was reconciled, and the state reported then. */
  observedGeneration: number;
  state: StreamingState;
}

export type CustomerPhase = 'enabled' | 'disabled' | 'deleted';

/** Where Kafka must end up for one customer at one generation: computed, never fetched. */
export interface DesiredCustomerState {
  customerId: CustomerId;
  generation: number;
  phase: CustomerPhase;
  topic: TopicSpec;
  /** `cdn-stats.<id>`, created and deleted with the customer topic. */
  statsTopic: TopicSpec;
  /** Exactly the ALLOW ACLs the customer's principals must hold; every other one goes. */
  acls: AclBinding[];
  /**
   * Live credentials refused any access, each with why: a row whose principal is not the one
   * derived from its customer and credential id (a tampered or corrupted row).
   */
  refusedCredentials: string[];
  registry: TenantRecord;
  /** The customer's own quota entity (`customer.<id>`): its overrides, empty when it has none. */
  quota: UserQuota;
}
