import { CustomerTokenRepository } from './repositories/customer-token.repository';
import type { DataSource, EntityManager } from 'typeorm';
import type { CredentialEntity } from './entities/credential.entity';
import type { CustomerEntity } from './entities/customer.entity';
import { bumpGeneration, notifyReconcile } from './reconcile.channel';
import { CredentialRepository, type NewCredential } from './repositories/credential.repository';
import { type CustomerQuotaOverride, CustomerRepository } from './repositories/customer.repository';

/** What a command found: `changed` bumped the generation, `unchanged` was already so. */
export type CustomerCommandResult =
  | { outcome: 'changed' | 'unchanged'; customer: CustomerEntity }
  | { outcome: 'not_found' }
  | { outcome: 'being_deleted'; customer: CustomerEntity };

export type AddCredentialResult =
  | { outcome: 'changed'; credential: CredentialEntity }
  | { outcome: 'not_found' }
  | { outcome: 'being_deleted' }
  | { outcome: 'too_many'; maxActive: number };

export type RevokeCredentialResult =
  | { outcome: 'changed' | 'unchanged' }
  | { outcome: 'not_found' }
  | { outcome: 'credential_not_found' };

/**
 * The desired state, written in one place: every change to what a customer should have
 * (exists, streams, is deleted, which credentials) runs here, in one transaction that also
 * bumps the customer's generation and wakes the provisioner (NOTIFY is delivered on commit).
 * The control API and the tests both write through it, so tests run on the rows the API writes.
 */
export class DesiredStateService {
  constructor(private readonly db: DataSource) {}

  /**
   * A new customer, streaming off, at generation 1; undefined when the id is taken (that row
   * is left untouched). The provisioner is woken so it reports generation 1 as observed
   * without waiting for its periodic resync.
   */
  createCustomer(id: string, name: string): Promise<CustomerEntity | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await new CustomerRepository(tx).insertIfAbsent(id, name);
      if (row) await notifyReconcile(tx, id);
      return row;
    });
  }

  /**
   * Switches streaming on or off. The row lock serialises concurrent switches, so each one
   * that changes the desired state bumps the generation exactly once.
   */
  setStreaming(id: string, enabled: boolean): Promise<CustomerCommandResult> {
    return this.db.transaction(async (tx) => {
      const customers = new CustomerRepository(tx);
      const current = await customers.lockById(id);
      if (!current) return { outcome: 'not_found' };
      if (current.deletionRequestedAt) return { outcome: 'being_deleted', customer: current };
      if (current.streamingEnabled === enabled) return { outcome: 'unchanged', customer: current };
      await customers.setStreaming(id, enabled, enabled ? 'provisioning' : 'disabling');
      return changed(tx, id);
    });
  }

  /**
   * Marks the customer for deprovisioning (streaming off) and ends its tokens and panel
   * sessions; the provisioner deletes the row.
   */
  requestDeletion(id: string): Promise<CustomerCommandResult> {
    return this.db.transaction(async (tx) => {
      const customers = new CustomerRepository(tx);
      const current = await customers.lockById(id);
      if (!current) return { outcome: 'not_found' };
      if (current.deletionRequestedAt) return { outcome: 'unchanged', customer: current };
      await customers.requestDeletion(id, 'disabling');
      // Every way in for the customer ends with the request: its API tokens and panel sessions.
      await new CustomerTokenRepository(tx).revokeAllOfCustomer(id);
      await tx.query('DELETE FROM panel_sessions WHERE customer_id = $1', [id]);
      return changed(tx, id);
    });
  }

  /**
   * Sets the customer's own quotas (a null field: the platform's default). A change bumps the
   * generation, so the provisioner applies it to the broker now.
   */
  setQuota(id: string, quota: CustomerQuotaOverride): Promise<CustomerCommandResult> {
    return this.db.transaction(async (tx) => {
      const customers = new CustomerRepository(tx);
      const current = await customers.lockById(id);
      if (!current) return { outcome: 'not_found' };
      if (current.deletionRequestedAt) return { outcome: 'being_deleted', customer: current };
      if (
        current.quotaConsumerByteRate === quota.consumerByteRate &&
        current.quotaRequestPercentage === quota.requestPercentage
      ) {
        return { outcome: 'unchanged', customer: current };
      }
      await customers.setQuota(id, quota);
      return changed(tx, id);
    });
  }

  /** Whether one more credential may be added now (without a lock: a cheap first check). */
  canAddCredential(
    customerId: string,
    maxActive: number,
  ): Promise<Exclude<AddCredentialResult, { outcome: 'changed' }> | { outcome: 'ok' }> {
    return credentialLimit(this.db.manager, customerId, maxActive, false);
  }

  /** Records a credential (never its key) if the customer may have one more. */
  addCredential(credential: NewCredential, maxActive: number): Promise<AddCredentialResult> {
    return this.db.transaction(async (tx) => {
      const check = await credentialLimit(tx, credential.customerId, maxActive, true);
      if (check.outcome !== 'ok') return check;
      const inserted = await new CredentialRepository(tx).insert(credential);
      await bumpGeneration(tx, credential.customerId);
      return { outcome: 'changed', credential: inserted };
    });
  }

  /** Records the revocation; the provisioner removes the principal's access. */
  revokeCredential(customerId: string, credentialId: string): Promise<RevokeCredentialResult> {
    return this.db.transaction(async (tx) => {
      if (!(await new CustomerRepository(tx).lockById(customerId))) return { outcome: 'not_found' };
      const credentials = new CredentialRepository(tx);
      const credential = await credentials.findOne(customerId, credentialId);
      if (!credential) return { outcome: 'credential_not_found' };
      if (credential.revokedAt) return { outcome: 'unchanged' };
      await credentials.revoke(customerId, credentialId);
      await bumpGeneration(tx, customerId);
      return { outcome: 'changed' };
    });
  }
}

async function changed(tx: EntityManager, id: string): Promise<CustomerCommandResult> {
  await bumpGeneration(tx, id);
  const customer = await new CustomerRepository(tx).findById(id);
  return customer ? { outcome: 'changed', customer } : { outcome: 'not_found' };
}

async function credentialLimit(
  em: EntityManager,
  customerId: string,
  maxActive: number,
  lock: boolean,
): Promise<Exclude<AddCredentialResult, { outcome: 'changed' }> | { outcome: 'ok' }> {
  const customers = new CustomerRepository(em);
  const customer = lock
    ? await customers.lockById(customerId)
    : await customers.findById(customerId);
  if (!customer) return { outcome: 'not_found' };
  if (customer.deletionRequestedAt) return { outcome: 'being_deleted' };
  if ((await new CredentialRepository(em).countActive(customerId)) >= maxActive) {
    return { outcome: 'too_many', maxActive };
  }
  return { outcome: 'ok' };
}
