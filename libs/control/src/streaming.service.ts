import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bumpGeneration, CustomerRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertCanSeeCustomer } from './access.rules';
import { customerBeingDeleted, customerNotFound } from './control.errors';
import {
  CONTROL_OPTIONS,
  type ControlOptions,
  type Principal,
  type StreamingStatus,
} from './control.types';
import { streamingStatus } from './customer-views.factory';

/**
 * The streaming switch. The API records the desired state only; the provisioner makes Kafka
 * match it and reports the observed state back into the same row.
 */
@Injectable()
export class StreamingService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {}

  async get(principal: Principal, id: CustomerId): Promise<StreamingStatus> {
    assertCanSeeCustomer(principal, id);
    const row = await new CustomerRepository(this.db.manager).findById(id);
    if (!row) throw customerNotFound(id);
    return streamingStatus(row, this.options.customerBootstrap, principal);
  }

  /**
   * Switches streaming on or off. The row lock serialises concurrent switches, so each one
   * that changes the desired state bumps the generation exactly once; asking for the state
   * already desired changes nothing.
   */
  async set(principal: Principal, id: CustomerId, enabled: boolean): Promise<StreamingStatus> {
    assertCanSeeCustomer(principal, id);
    const row = await this.db.transaction(async (tx) => {
      const customers = new CustomerRepository(tx);
      const current = await customers.lockById(id);
      if (!current) throw customerNotFound(id);
      if (current.deletionRequestedAt) throw customerBeingDeleted(id);
      if (current.streamingEnabled === enabled) return current;
      await customers.setStreaming(id, enabled, enabled ? 'provisioning' : 'disabling');
      await bumpGeneration(tx, id);
      return customers.findById(id);
    });
    if (!row) throw customerNotFound(id);
    return streamingStatus(row, this.options.customerBootstrap, principal);
  }
}
