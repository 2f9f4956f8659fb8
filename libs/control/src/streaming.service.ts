import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DesiredStateService } from '@logstream/persistence';
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
import { visibleCustomer } from './visible-customer.reader';

/**
 * The streaming switch. The API records the desired state only; the provisioner makes Kafka
 * match it and reports the observed state back into the same row.
 */
@Injectable()
export class StreamingService {
  private readonly desired: DesiredStateService;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {
    this.desired = new DesiredStateService(db);
  }

  async get(principal: Principal, id: CustomerId): Promise<StreamingStatus> {
    const row = await visibleCustomer(this.db.manager, principal, id);
    return streamingStatus(row, this.options.customerBootstrap, principal);
  }

  /**
   * Switches streaming on or off: each switch that changes the desired state bumps the
   * generation exactly once; asking for the state already desired changes nothing.
   */
  async set(principal: Principal, id: CustomerId, enabled: boolean): Promise<StreamingStatus> {
    assertCanSeeCustomer(principal, id);
    const result = await this.desired.setStreaming(id, enabled);
    if (result.outcome === 'not_found') throw customerNotFound(id);
    if (result.outcome === 'being_deleted') throw customerBeingDeleted(id);
    return streamingStatus(result.customer, this.options.customerBootstrap, principal);
  }
}
