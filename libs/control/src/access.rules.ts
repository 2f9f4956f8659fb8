import type { CustomerId } from '@logstream/tenancy';
import { ControlError, customerNotFound } from './control.errors';
import type { Principal } from './control.types';

/** A customer token sees its own customer only; anything else looks like it does not exist. */
export function assertCanSeeCustomer(principal: Principal, customerId: CustomerId): void {
  if (principal.kind === 'customer' && principal.customerId !== customerId) {
    throw customerNotFound(customerId);
  }
}

export function assertAdmin(principal: Principal): void {
  if (principal.kind !== 'admin') {
    throw new ControlError('forbidden', 'this operation needs an admin token');
  }
}
