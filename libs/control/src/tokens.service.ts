import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CustomerRepository, CustomerTokenRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertAdmin } from './access.rules';
import { ControlError, customerBeingDeleted, customerNotFound } from './control.errors';
import type { IssuedToken, Principal, TokenView } from './control.types';
import { tokenView } from './customer-views.factory';
import { newCustomerToken, sha256Hex } from './secrets.rules';
import { type TokenLifetime, tokenExpiry } from './token-lifetime.rules';
import { visibleCustomer } from './visible-customer.reader';

@Injectable()
export class TokensService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** A new token scoped to one customer. Only its hash is stored; the caller sees it once. */
  async issue(
    principal: Principal,
    id: CustomerId,
    lifetime: TokenLifetime = {},
  ): Promise<IssuedToken> {
    assertAdmin(principal);
    const expiresAt = tokenExpiry(lifetime);
    const token = newCustomerToken();
    const row = await this.db.transaction(async (tx) => {
      const customer = await new CustomerRepository(tx).lockById(id);
      if (!customer) throw customerNotFound(id);
      if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
      return new CustomerTokenRepository(tx).insert(id, sha256Hex(token), expiresAt);
    });
    return { ...tokenView(row), token };
  }

  /** Every token of the customer, in force or not (never the tokens themselves). */
  async list(principal: Principal, id: CustomerId): Promise<TokenView[]> {
    await visibleCustomer(this.db.manager, principal, id);
    const rows = await new CustomerTokenRepository(this.db.manager).listByCustomer(id);
    return rows.map(tokenView);
  }

  /** Ends a token at once (a customer may end its own). Idempotent. */
  async revoke(principal: Principal, id: CustomerId, tokenId: string): Promise<void> {
    await visibleCustomer(this.db.manager, principal, id);
    const tokens = new CustomerTokenRepository(this.db.manager);
    const row = await tokens.findOne(id, tokenId);
    if (!row) {
      throw new ControlError('not_found', `token "${tokenId}" not found for customer "${id}"`);
    }
    if (row.revokedAt === null) await tokens.revoke(id, tokenId);
  }
}
