import type { EntityManager } from 'typeorm';
import { CustomerEntity } from '../entities/customer.entity';
import type { StreamingState } from '../entities/streaming-state.types';

/**
 * Customers as the control API reads and writes them. Built on an EntityManager so the same
 * methods run inside a transaction (`dataSource.transaction(tx => new CustomerRepository(tx))`).
 */
export class CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<CustomerEntity | null> {
    return this.em.getRepository(CustomerEntity).findOneBy({ id });
  }

  /** Reads the row and locks it until the surrounding transaction ends. */
  lockById(id: string): Promise<CustomerEntity | null> {
    return this.em
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  /** Inserts a new customer; undefined when the id is taken (the row is left untouched). */
  async insertIfAbsent(id: string, name: string): Promise<CustomerEntity | undefined> {
    const result = await this.em
      .createQueryBuilder()
      .insert()
      .into(CustomerEntity)
      .values({ id, name })
      .orIgnore()
      .returning(['id'])
      .execute();
    // ON CONFLICT DO NOTHING returns no row when the id was already there.
    if (!Array.isArray(result.raw) || result.raw.length === 0) return undefined;
    return (await this.findById(id)) ?? undefined;
  }

  /** One page in id order: the ids strictly after `after`, at most `limit`. */
  page(after: string | undefined, limit: number): Promise<CustomerEntity[]> {
    const qb = this.em.getRepository(CustomerEntity).createQueryBuilder('c');
    if (after !== undefined) qb.where('c.id > :after', { after });
    return qb.orderBy('c.id', 'ASC').limit(limit).getMany();
  }

  /** Records the desired streaming state and the state GET reports until the provisioner acts. */
  async setStreaming(id: string, enabled: boolean, state: StreamingState): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({ streamingEnabled: enabled, streamingState: state, stateChangedAt: () => 'now()' })
      .where('id = :id', { id })
      .execute();
  }

  /** The customer's own quotas (null: the platform's default). */
  async setQuota(id: string, quota: CustomerQuotaOverride): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({
        quotaConsumerByteRate: quota.consumerByteRate,
        quotaRequestPercentage: quota.requestPercentage,
      })
      .where('id = :id', { id })
      .execute();
  }

  /** Marks the customer for deprovisioning; the provisioner deletes the row when done. */
  async requestDeletion(id: string, state: StreamingState): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CustomerEntity)
      .set({
        deletionRequestedAt: () => 'now()',
        streamingEnabled: false,
        streamingState: state,
        stateChangedAt: () => 'now()',
      })
      .where('id = :id', { id })
      .execute();
  }
}

/** A customer's own quotas; a null field falls back to the platform's default. */
export interface CustomerQuotaOverride {
  consumerByteRate: number | null;
  requestPercentage: number | null;
}
