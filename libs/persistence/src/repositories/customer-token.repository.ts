import type { EntityManager } from 'typeorm';
import { CustomerTokenEntity } from '../entities/customer-token.entity';

/** Customer API tokens, by their SHA-256 only. */
export class CustomerTokenRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(customerId: string, tokenSha256: string): Promise<CustomerTokenEntity> {
    const repo = this.em.getRepository(CustomerTokenEntity);
    const result = await repo.insert({ customerId, tokenSha256, revokedAt: null });
    const id = (result.identifiers[0] as { id: string }).id;
    return repo.findOneByOrFail({ id });
  }

  /** The token with this hash if it has not been revoked. */
  findActiveByHash(tokenSha256: string): Promise<CustomerTokenEntity | null> {
    return this.em
      .getRepository(CustomerTokenEntity)
      .createQueryBuilder('t')
      .where('t.token_sha256 = :tokenSha256', { tokenSha256 })
      .andWhere('t.revoked_at IS NULL')
      .getOne();
  }
}
