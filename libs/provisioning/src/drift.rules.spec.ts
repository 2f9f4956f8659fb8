import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AclBinding,
  customerConsumerAcls,
  edgeProducerAcls,
  healthCollectorAcls,
} from '@logstream/kafka';
import { parseCustomerId } from '@logstream/tenancy';
import { undesiredAcls } from './drift.rules';
import type { CustomerDesiredInput } from './provisioning.types';

const acme = parseCustomerId('acme');
const now = new Date('2026-06-01T00:00:00Z');
const settings = {
  partitions: 3,
  replicationFactor: 1,
  retentionMs: 86_400_000,
  minInsyncReplicas: 1,
};
const input: CustomerDesiredInput = {
  customerId: acme,
  generation: 1,
  streamingEnabled: true,
  deletionRequested: false,
  requestedAt: now,
  observedGeneration: 1,
  state: 'active',
  quota: { consumerByteRate: null, requestPercentage: null },
  credentials: [
    { id: 'k1', principal: 'customer.acme.k1', revokedAt: null, expiresAt: new Date('2027-01-01') },
  ],
};
const policy = {
  edgePrincipals: ['logstream-edge'],
  healthPrincipals: ['logstream-health-collector'],
  operatorPrincipals: new Set(['ops-audit']),
};
const wanted = [
  ...customerConsumerAcls('customer.acme.k1', acme),
  ...edgeProducerAcls('logstream-edge'),
  ...healthCollectorAcls('logstream-health-collector'),
];

function undesired(extra: AclBinding[]): AclBinding[] {
  return undesiredAcls([input], [...wanted, ...extra], settings, now, policy);
}

const read = (over: Partial<AclBinding>): AclBinding => ({
  principal: 'mallory',
  resource: 'topic',
  name: 'cdn-logs.acme',
  pattern: 'literal',
  operation: 'read',
  ...over,
});

describe('undesiredAcls (drift repair)', () => {
  it('keeps exactly the desired grants', () => {
    assert.deepEqual(undesired([]), []);
  });

  it("removes every other rule on a customer's resources: DENY, host-specific, other operations, prefixed and wildcard patterns", () => {
    const rogue: AclBinding[] = [
      read({ permission: 'deny', principal: 'customer.acme.k1' }),
      read({ host: '10.0.0.9' }),
      read({ operation: 'write' }),
      read({ operation: 'alter_configs' }),
      read({ operation: 'all', principal: '*' }),
      read({ pattern: 'prefixed', name: 'cdn-logs.ac' }),
      read({ pattern: 'prefixed', name: 'cdn' }),
      read({ pattern: 'prefixed', name: 'cdn-logs.' }),
      read({ name: '*' }),
      read({ resource: 'group', pattern: 'literal', name: 'acme.stolen' }),
      read({ resource: 'group', pattern: 'prefixed', name: 'ac' }),
      read({ resource: 'group', pattern: 'prefixed', name: 'acme.x' }),
      read({ resource: 'group', pattern: 'literal', name: '*' }),
      // The edge's own rule, held by a principal no longer configured as an edge producer.
      { ...edgeProducerAcls('old-edge')[0] },
      { ...edgeProducerAcls('old-edge')[1] },
      { ...edgeProducerAcls('old-edge')[2] },
    ];
    assert.deepEqual(undesired(rogue), rogue);
  });

  it('removes grants held by customer principals anywhere, even on no customer resource', () => {
    const elsewhere: AclBinding[] = [
      read({ principal: 'customer.acme.k1', name: 'logstream.edge-stats' }),
      read({
        principal: 'customer.acme.k9',
        resource: 'cluster',
        name: 'kafka-cluster',
        operation: 'create',
      }),
      read({ principal: 'customer.ghost.k1', resource: 'transactional_id', name: 'x' }),
    ];
    assert.deepEqual(undesired(elsewhere), elsewhere);
  });

  it("keeps an operator's grants wherever they are, and others' grants on platform resources", () => {
    const kept: AclBinding[] = [
      read({ principal: 'ops-audit', name: '*' }),
      read({ principal: 'ops-audit', permission: 'deny', host: '10.0.0.1' }),
      read({ principal: 'ops-audit', resource: 'group', pattern: 'prefixed', name: 'acme.' }),
      // A platform app's own groups: a prefix that is not an existing customer's.
      read({
        principal: 'logstream-archiver',
        resource: 'group',
        pattern: 'prefixed',
        name: 'archiver.',
      }),
      read({ principal: 'logstream-archiver', name: 'logstream.archive-state' }),
      read({
        principal: 'logstream-archiver',
        resource: 'group',
        pattern: 'prefixed',
        name: 'logstream-',
      }),
    ];
    assert.deepEqual(undesired(kept), []);
  });

  it('grants the edge stats exactly: edge producers write, health collectors read', () => {
    const rogue: AclBinding[] = [
      // A revoked or unconfigured node must not write counts the collector would sum.
      { ...edgeProducerAcls('old-edge')[3] },
      read({ principal: 'logstream-archiver', name: 'logstream.edge-stats' }),
      read({ principal: 'logstream-edge', name: 'logstream.edge-stats' }),
      read({ resource: 'group', name: 'logstream-health-edge-stats' }),
    ];
    assert.deepEqual(undesired(rogue), rogue);
  });
});
