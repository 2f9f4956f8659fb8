import type { EntityManager } from 'typeorm';
import { CredentialEntity } from '../entities/credential.entity';

export type NewCredential = Pick<
  CredentialEntity,
  'id' | 'customerId' | 'principal' | 'serial' | 'fingerprintSha256' | 'expiresAt'
>;

/** A customer's client certificates (never their keys). */
export class CredentialRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(credential: NewCredential): Promise<CredentialEntity> {
    const repo = this.em.getRepository(CredentialEntity);
    await repo.insert({ ...credential, revokedAt: null });
    return repo.findOneByOrFail({ id: credential.id });
  }

  listByCustomer(customerId: string): Promise<CredentialEntity[]> {
    return this.em
      .getRepository(CredentialEntity)
      .find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * One page in issue order: at most `limit` credentials after the credential `after` (by
   * creation time, then id). An `after` that is not this customer's gives an empty page.
   */
  page(customerId: string, after: string | undefined, limit: number): Promise<CredentialEntity[]> {
    const qb = this.em
      .getRepository(CredentialEntity)
      .createQueryBuilder('k')
      .where('k.customer_id = :customerId', { customerId });
    if (after !== undefined) {
      qb.andWhere(
        `(k.created_at, k.id) > (SELECT a.created_at, a.id FROM credentials a
           WHERE a.customer_id = :customerId AND a.id = :after)`,
        { after },
      );
    }
    return qb.orderBy('k.created_at', 'ASC').addOrderBy('k.id', 'ASC').limit(limit).getMany();
  }

  findOne(customerId: string, id: string): Promise<CredentialEntity | null> {
    return this.em.getRepository(CredentialEntity).findOneBy({ customerId, id });
  }

  /** Credentials that still grant access: not revoked and not expired. */
  countActive(customerId: string): Promise<number> {
    return this.em
      .getRepository(CredentialEntity)
      .createQueryBuilder('k')
      .where('k.customer_id = :customerId', { customerId })
      .andWhere('k.revoked_at IS NULL')
      .andWhere('k.expires_at > now()')
      .getCount();
  }

  async revoke(customerId: string, id: string): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CredentialEntity)
      .set({ revokedAt: () => 'now()' })
      .where('id = :id AND customer_id = :customerId AND revoked_at IS NULL', { id, customerId })
      .execute();
  }

  /**
   * Deletes credentials revoked or expired more than `retentionDays` ago, of customers whose
   * desired state the provisioner has caught up with (so the revocation has reached Kafka).
   */
  async deleteRetired(retentionDays: number): Promise<number> {
    const result: unknown = await this.em.query(
      `DELETE FROM credentials k USING customers c
       WHERE c.id = k.customer_id AND c.observed_generation >= c.generation
         AND LEAST(k.revoked_at, k.expires_at) <= now() - make_interval(days => $1)`,
      [retentionDays],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}
