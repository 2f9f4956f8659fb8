import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserQuota } from '@logstream/kafka';
import { parseCustomerId } from '@logstream/tenancy';
import type { CustomerDesiredInput } from './provisioning.types';
import {
  customerQuotaUser,
  customerUserQuota,
  desiredQuotas,
  diffQuotas,
  isManagedQuotaUser,
} from './quota.rules';

const acme = parseCustomerId('acme');
const globex = parseCustomerId('globex');
const defaults = { consumerByteRate: 10_485_760, requestPercentage: 100 };

function input(
  id: typeof acme,
  quota: CustomerDesiredInput['quota'],
  deletionRequested = false,
): CustomerDesiredInput {
  return {
    customerId: id,
    generation: 1,
    streamingEnabled: true,
    deletionRequested,
    requestedAt: new Date(),
    observedGeneration: 1,
    state: 'active',
    quota,
    credentials: [],
  };
}

describe('quota rules', () => {
  it("names a customer's entity by the prefix all its credentials' principals share", () => {
    assert.equal(customerQuotaUser(acme), 'customer.acme');
    assert.equal(isManagedQuotaUser(null), true);
    assert.equal(isManagedQuotaUser('customer.acme'), true);
    assert.equal(isManagedQuotaUser('ops-tool'), false);
  });

  it('desires the default and only the overrides a customer has, none once it is being deleted', () => {
    const inputs = [
      input(acme, { consumerByteRate: 1_048_576, requestPercentage: null }),
      input(globex, { consumerByteRate: null, requestPercentage: null }),
      input(parseCustomerId('gone'), { consumerByteRate: 2_000_000, requestPercentage: 5 }, true),
    ];
    assert.deepEqual(desiredQuotas(inputs, defaults), [
      { user: null, values: { consumer_byte_rate: 10_485_760, request_percentage: 100 } },
      { user: 'customer.acme', values: { consumer_byte_rate: 1_048_576 } },
    ]);
    assert.deepEqual(customerUserQuota(inputs[2]), { user: 'customer.gone', values: {} });
  });

  it('sets what differs, removes what is not desired, deletes unwanted customer entities, leaves others', () => {
    const current: UserQuota[] = [
      { user: null, values: { consumer_byte_rate: 1, request_percentage: 100 } },
      { user: 'customer.acme', values: { consumer_byte_rate: 1_048_576, request_percentage: 7 } },
      { user: 'customer.stale', values: { consumer_byte_rate: 5 } },
      { user: 'ops-tool', values: { consumer_byte_rate: 5 } },
    ];
    const desired: UserQuota[] = [
      { user: null, values: { consumer_byte_rate: 10_485_760, request_percentage: 100 } },
      { user: 'customer.acme', values: { consumer_byte_rate: 1_048_576 } },
      { user: 'customer.globex', values: { request_percentage: 50 } },
    ];
    assert.deepEqual(diffQuotas(current, desired), [
      { user: null, set: { consumer_byte_rate: 10_485_760 }, remove: [] },
      { user: 'customer.acme', set: {}, remove: ['request_percentage'] },
      { user: 'customer.globex', set: { request_percentage: 50 }, remove: [] },
      { user: 'customer.stale', set: {}, remove: ['consumer_byte_rate'] },
    ]);
    assert.deepEqual(diffQuotas(desired, desired), [], 'nothing to do once converged');
  });
});
