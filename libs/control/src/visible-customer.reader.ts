import type { EntityManager } from 'typeorm';
import { type CustomerEntity, CustomerRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { assertCanSeeCustomer } from './access.rules';
import { customerNotFound } from './control.errors';
import type { Principal } from './control.types';

/**
 * The customer `id` when `principal` may see it and it exists, else the API's "not found": the
 * same words for another customer's id as for one that does not exist, so ids cannot be probed.
 */
export async function visibleCustomer(
  em: EntityManager,
  principal: Principal,
  id: CustomerId,
): Promise<CustomerEntity> {
  assertCanSeeCustomer(principal, id);
  const row = await new CustomerRepository(em).findById(id);
  if (!row) throw customerNotFound(id);
  return row;
}
