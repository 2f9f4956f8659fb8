import type { EntityManager } from 'typeorm';
import { CustomerTokenEntity } from '../entities/customer-token.entity';

/** Customer API tokens, by their SHA-256 only. */
export class CustomerTokenRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(
    customerId: string,
    tokenSha256: string,
    expiresAt: Date | null = null,
  ): Promise<CustomerTokenEntity> {
    const repo = this.em.getRepository(CustomerTokenEntity);
    const result = await repo.insert({ customerId, tokenSha256, revokedAt: null, expiresAt });
    const id = (result.identifiers[0] as { id: string }).id;
    return repo.findOneByOrFail({ id });
  }

  /** The token with this hash if it is neither revoked nor expired. */
  findActiveByHash(tokenSha256: string): Promise<CustomerTokenEntity | null> {
    return this.em
      .getRepository(CustomerTokenEntity)
      .createQueryBuilder('t')
      .where('t.token_sha256 = :tokenSha256', { tokenSha256 })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .getOne();
  }

  listByCustomer(customerId: string): Promise<CustomerTokenEntity[]> {
    return this.em
      .getRepository(CustomerTokenEntity)
      .find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findOne(customerId: string, id: string): Promise<CustomerTokenEntity | null> {
    return this.em.getRepository(CustomerTokenEntity).findOneBy({ customerId, id });
  }

  async revoke(customerId: string, id: string): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CustomerTokenEntity)
      .set({ revokedAt: () => 'now()' })
      .where('id = :id AND customer_id = :customerId AND revoked_at IS NULL', { id, customerId })
      .execute();
  }

  /** Ends every token of the customer that is still in force. */
  async revokeAllOfCustomer(customerId: string): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(CustomerTokenEntity)
      .set({ revokedAt: () => 'now()' })
      .where('customer_id = :customerId AND revoked_at IS NULL', { customerId })
      .execute();
  }
}
