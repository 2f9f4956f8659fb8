import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CustomerRepository, DesiredStateService } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertAdmin } from './access.rules';
import { ControlError, customerNotFound } from './control.errors';
import type { CustomerPage, CustomerView, Principal } from './control.types';
import { customerView } from './customer-views.factory';
import { visibleCustomer } from './visible-customer.reader';

export const MAX_PAGE_SIZE = 200;

@Injectable()
export class CustomersService {
  private readonly desired: DesiredStateService;

  constructor(@Inject(DataSource) private readonly db: DataSource) {
    this.desired = new DesiredStateService(db);
  }

  async create(principal: Principal, id: CustomerId, name: string): Promise<CustomerView> {
    assertAdmin(principal);
    const created = await this.desired.createCustomer(id, name);
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
    return customerView(await visibleCustomer(this.db.manager, principal, id));
  }

  /**
   * Asks the provisioner to deprovision the customer (access revoked, topic deleted); it
   * deletes the row once that is done. Asking again changes nothing.
   */
  async requestDeletion(principal: Principal, id: CustomerId): Promise<CustomerView> {
    assertAdmin(principal);
    const result = await this.desired.requestDeletion(id);
    if (result.outcome === 'not_found') throw customerNotFound(id);
    return customerView(result.customer);
  }
}
