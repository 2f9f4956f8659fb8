import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCustomerId } from '@logstream/tenancy';
import { desiredState, diffAcls, isPrincipalOfCustomer, phaseOf } from './desired-state.rules';
import { customerOfAcl, findDrift } from './drift.rules';
import { customerConsumerAcls } from '@logstream/kafka';
import type { CustomerDesiredInput } from './provisioning.types';

const acme = parseCustomerId('acme');
const now = new Date('2026-06-01T00:00:00Z');
const later = new Date('2027-01-01T00:00:00Z');
const settings = {
  partitions: 3,
  replicationFactor: 3,
  retentionMs: 86_400_000,
  minInsyncReplicas: 2,
};

function input(over: Partial<CustomerDesiredInput> = {}): CustomerDesiredInput {
  return {
    customerId: acme,
    generation: 4,
    streamingEnabled: true,
    deletionRequested: false,
    requestedAt: now,
    observedGeneration: 4,
    state: 'active',
    quota: { consumerByteRate: null, requestPercentage: null },
    credentials: [
      { id: 'k1', principal: 'customer.acme.k1', revokedAt: null, expiresAt: later },
      { id: 'k2', principal: 'customer.acme.k2', revokedAt: now, expiresAt: later },
      {
        id: 'k3',
        principal: 'customer.acme.k3',
        revokedAt: null,
        expiresAt: new Date('2026-01-01T00:00:00Z'),
      },
    ],
    ...over,
  };
}

describe('desiredState', () => {
  it('grants nothing to a credential row whose principal is not its own, and says why', () => {
    const forged = input({
      credentials: [
        { id: 'k1', principal: 'customer.acme.k1', revokedAt: null, expiresAt: later },
        { id: 'k4', principal: 'logstream-edge', revokedAt: null, expiresAt: later },
        { id: 'k5', principal: 'customer.other.k5', revokedAt: null, expiresAt: later },
        { id: 'K 6', principal: 'customer.acme.K 6', revokedAt: null, expiresAt: later },
      ],
    });
    const d = desiredState(forged, settings, now);
    assert.deepEqual([...new Set(d.acls.map((a) => a.principal))], ['customer.acme.k1']);
    assert.equal(d.refusedCredentials.length, 3);
    assert.match(
      d.refusedCredentials[0],
      /credential "k4" of customer "acme" names principal "logstream-edge", not its own "customer\.acme\.k4"/,
    );
    assert.match(
      d.refusedCredentials[1],
      /"customer\.other\.k5", not its own "customer\.acme\.k5"/,
    );
    assert.match(d.refusedCredentials[2], /credential "K 6" of customer "acme" has an invalid id/);
  });

  it('grants READ on the topic and group prefix to live credentials only', () => {
    const d = desiredState(input(), settings, now);
    assert.equal(d.phase, 'enabled');
    assert.deepEqual(
      d.acls.map((a) => `${a.principal}|${a.resource}|${a.pattern}|${a.name}|${a.operation}`),
      [
        'customer.acme.k1|topic|literal|cdn-logs.acme|read',
        'customer.acme.k1|topic|literal|cdn-stats.acme|read',
        'customer.acme.k1|group|prefixed|acme.|read',
      ],
    );
    assert.deepEqual(d.topic, {
      name: 'cdn-logs.acme',
      partitions: 3,
      replicationFactor: 3,
      configs: { 'retention.ms': '86400000', 'min.insync.replicas': '2' },
    });
    assert.deepEqual(d.statsTopic, {
      name: 'cdn-stats.acme',
      partitions: 1,
      replicationFactor: 3,
      configs: { 'cleanup.policy': 'compact', 'min.insync.replicas': '2' },
    });
    assert.equal(d.registry.enabled, true);
    assert.equal(d.registry.generation, 4);
  });

  it('grants nothing and tells edge nodes to stop when disabled or deleted', () => {
    for (const over of [{ streamingEnabled: false }, { deletionRequested: true }]) {
      const d = desiredState(input(over), settings, now);
      assert.deepEqual(d.acls, []);
      assert.equal(d.registry.enabled, false);
    }
    assert.equal(phaseOf({ streamingEnabled: true, deletionRequested: true }), 'deleted');
  });
});

describe('diffAcls', () => {
  it('creates what is missing and removes what is extra, ignoring order and duplicates', () => {
    const want = desiredState(input(), settings, now).acls;
    const rogue = { ...want[0], principal: 'customer.other.x' };
    const diff = diffAcls([want[1], want[2], rogue, rogue], want);
    assert.deepEqual(diff.create, [want[0]]);
    assert.deepEqual(diff.remove, [rogue]);
    assert.deepEqual(diffAcls(want, [...want].reverse()), { create: [], remove: [] });
  });
});

describe('principal ownership', () => {
  it("never counts a prefix customer's principals as another's", () => {
    assert.equal(isPrincipalOfCustomer('customer.acme.k1', acme), true);
    assert.equal(isPrincipalOfCustomer('customer.acme-eu.k1', acme), false);
    assert.equal(isPrincipalOfCustomer('customer.acm.k1', acme), false);
  });
});

describe('findDrift', () => {
  const settled = desiredState(input(), settings, now);
  const policy = { edgePrincipals: [], operatorPrincipals: new Set<string>() };

  it('finds nothing when Kafka matches and the generation is settled', () => {
    const drift = findDrift(
      [input()],
      { topics: new Set(['cdn-logs.acme', 'cdn-stats.acme']), acls: settled.acls },
      settings,
      now,
      policy,
    );
    assert.deepEqual(drift, { drifted: [], undesired: [] });
  });

  it('finds a missing topic, a missing or extra ACL, an unsettled generation and a deletion', () => {
    const topics = new Set(['cdn-logs.acme', 'cdn-stats.acme']);
    const cases: Array<[string, Parameters<typeof findDrift>]> = [
      [
        'missing topic',
        [[input()], { topics: new Set(), acls: settled.acls }, settings, now, policy],
      ],
      [
        'missing statistics topic',
        [
          [input()],
          { topics: new Set(['cdn-logs.acme']), acls: settled.acls },
          settings,
          now,
          policy,
        ],
      ],
      ['missing ACL', [[input()], { topics, acls: settled.acls.slice(1) }, settings, now, policy]],
      [
        'extra ACL',
        [
          [input()],
          { topics, acls: [...settled.acls, { ...settled.acls[0], principal: 'x' }] },
          settings,
          now,
          policy,
        ],
      ],
      [
        'unsettled',
        [[input({ observedGeneration: 3 })], { topics, acls: settled.acls }, settings, now, policy],
      ],
      [
        'failed',
        [[input({ state: 'failed' })], { topics, acls: settled.acls }, settings, now, policy],
      ],
      [
        'deletion',
        [[input({ deletionRequested: true })], { topics, acls: [] }, settings, now, policy],
      ],
    ];
    for (const [what, args] of cases) assert.deepEqual(findDrift(...args).drifted, [acme], what);
  });

  it("keeps an operator's or platform app's group prefix that is not a customer's", () => {
    const archiver = { ...settled.acls[1], principal: 'logstream-archiver', name: 'archiver.' };
    const drift = findDrift(
      [input()],
      { topics: new Set(['cdn-logs.acme', 'cdn-stats.acme']), acls: [...settled.acls, archiver] },
      settings,
      now,
      policy,
    );
    assert.deepEqual(drift.undesired, []);
  });

  it('marks the grants of a customer that no longer exists as undesired', () => {
    const ghost = customerConsumerAcls('customer.ghost.k1', parseCustomerId('ghost'));
    const drift = findDrift(
      [input()],
      { topics: new Set(['cdn-logs.acme', 'cdn-stats.acme']), acls: [...settled.acls, ...ghost] },
      settings,
      now,
      policy,
    );
    assert.deepEqual(drift.undesired, ghost);
  });

  it('maps only customer resources back to customers', () => {
    assert.equal(customerOfAcl({ ...settled.acls[0] }), 'acme');
    assert.equal(customerOfAcl({ ...settled.acls[1] }), 'acme');
    assert.equal(customerOfAcl({ ...settled.acls[2] }), 'acme');
    assert.equal(customerOfAcl({ ...settled.acls[0], name: 'cdn-stats.ghost' }), 'ghost');
    assert.equal(
      customerOfAcl({ ...settled.acls[0], pattern: 'prefixed', name: 'cdn-logs.' }),
      undefined,
    );
    assert.equal(customerOfAcl({ ...settled.acls[0], name: 'logstream.tenants' }), undefined);
    assert.equal(customerOfAcl({ ...settled.acls[2], name: 'acme' }), undefined);
  });
});
