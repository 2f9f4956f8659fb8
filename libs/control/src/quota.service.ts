import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DesiredStateService } from '@logstream/persistence';
import type { CustomerEntity } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertAdmin } from './access.rules';
import { customerBeingDeleted, customerNotFound } from './control.errors';
import {
  CONTROL_OPTIONS,
  type ControlOptions,
  type Principal,
  type QuotaOverride,
  type QuotaView,
} from './control.types';
import { visibleCustomer } from './visible-customer.reader';

/**
 * A customer's client quotas: admins set its own (or go back to the defaults); the customer
 * may read what is in force for it. The API records the desired state only; the provisioner
 * sets it on the broker, where all the customer's credentials share it.
 */
@Injectable()
export class QuotaService {
  private readonly desired: DesiredStateService;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {
    this.desired = new DesiredStateService(db);
  }

  async get(principal: Principal, id: CustomerId): Promise<QuotaView> {
    return this.view(await visibleCustomer(this.db.manager, principal, id));
  }

  async set(principal: Principal, id: CustomerId, override: QuotaOverride): Promise<QuotaView> {
    assertAdmin(principal);
    const result = await this.desired.setQuota(id, override);
    if (result.outcome === 'not_found') throw customerNotFound(id);
    if (result.outcome === 'being_deleted') throw customerBeingDeleted(id);
    return this.view(result.customer);
  }

  private view(row: CustomerEntity): QuotaView {
    const defaults = this.options.quotaDefaults;
    return {
      consumerByteRate: row.quotaConsumerByteRate ?? defaults.consumerByteRate,
      requestPercentage: row.quotaRequestPercentage ?? defaults.requestPercentage,
      override: {
        consumerByteRate: row.quotaConsumerByteRate,
        requestPercentage: row.quotaRequestPercentage,
      },
    };
  }
}
