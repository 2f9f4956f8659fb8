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
}
