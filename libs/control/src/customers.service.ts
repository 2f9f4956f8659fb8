import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  bumpGeneration,
  CustomerRepository,
  CustomerTokenRepository,
  RECONCILE_CHANNEL,
} from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertAdmin, assertCanSeeCustomer } from './access.rules';
import { ControlError, customerNotFound } from './control.errors';
import type { CustomerPage, CustomerView, Principal } from './control.types';
import { customerView } from './customer-views.factory';

export const MAX_PAGE_SIZE = 200;

@Injectable()
export class CustomersService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async create(principal: Principal, id: CustomerId, name: string): Promise<CustomerView> {
    assertAdmin(principal);
    const created = await this.db.transaction(async (tx) => {
      const row = await new CustomerRepository(tx).insertIfAbsent(id, name);
      // A new customer starts at generation 1; waking the provisioner lets it report that
      // generation as observed without waiting for its periodic resync.
      if (row) await tx.query('SELECT pg_notify($1, $2)', [RECONCILE_CHANNEL, id]);
      return row;
    });
    if (created) return customerView(created);
    const existing = await new CustomerRepository(this.db.manager).findById(id);
    throw new ControlError(
      'conflict',
      existing?.deletionRequestedAt
        ? `customer "${id}" already exists and is being deleted; create it again once it is gone`
        : `customer "${id}" already exists`,
    );
  }

  async list(
    principal: Principal,
    after: string | undefined,
    limit: number,
  ): Promise<CustomerPage> {
    assertAdmin(principal);
    const size = Math.min(Math.max(1, limit), MAX_PAGE_SIZE);
    const rows = await new CustomerRepository(this.db.manager).page(after, size + 1);
    const items = rows.slice(0, size).map(customerView);
    return { items, next: rows.length > size ? items[items.length - 1].id : null };
  }

  async get(principal: Principal, id: CustomerId): Promise<CustomerView> {
    assertCanSeeCustomer(principal, id);
    const row = await new CustomerRepository(this.db.manager).findById(id);
    if (!row) throw customerNotFound(id);
    return customerView(row);
  }

  /**
   * Asks the provisioner to deprovision the customer (access revoked, topic deleted); it
   * deletes the row once that is done. Every token of the customer ends at once, in the same
   * transaction. Asking again changes nothing.
   */
  async requestDeletion(principal: Principal, id: CustomerId): Promise<CustomerView> {
    assertAdmin(principal);
    return this.db.transaction(async (tx) => {
      const customers = new CustomerRepository(tx);
      const row = await customers.lockById(id);
      if (!row) throw customerNotFound(id);
      if (row.deletionRequestedAt) return customerView(row);
      await customers.requestDeletion(id, 'disabling');
      await new CustomerTokenRepository(tx).revokeAllOfCustomer(id);
      // Hook: panel sessions of the customer end here too, once the panel's sessions table exists.
      await bumpGeneration(tx, id);
      const updated = await customers.findById(id);
      if (!updated) throw customerNotFound(id);
      return customerView(updated);
    });
  }
}
