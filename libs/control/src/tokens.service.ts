import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CustomerRepository, CustomerTokenRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertAdmin } from './access.rules';
import { customerBeingDeleted, customerNotFound } from './control.errors';
import type { IssuedToken, Principal } from './control.types';
import { newCustomerToken, sha256Hex } from './secrets.rules';

@Injectable()
export class TokensService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A new token scoped to one customer. Only its hash is stored; the caller sees it once. */
  async issue(principal: Principal, id: CustomerId): Promise<IssuedToken> {
    assertAdmin(principal);
    const token = newCustomerToken();
    const row = await this.db.transaction(async (tx) => {
      const customer = await new CustomerRepository(tx).lockById(id);
      if (!customer) throw customerNotFound(id);
      if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
      return new CustomerTokenRepository(tx).insert(id, sha256Hex(token));
    });
    return { id: row.id, customerId: row.customerId, token, createdAt: row.createdAt };
  }
}
