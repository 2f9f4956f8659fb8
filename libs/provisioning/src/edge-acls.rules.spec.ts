import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerConsumerAcls, edgeProducerAcls } from '@logstream/kafka';
import { parseCustomerId } from '@logstream/tenancy';
import { desiredEdgePrincipals, type EdgeNodeInput, missingEdgeAcls } from './edge-acls.rules';
import { undesiredAcls } from './drift.rules';

const now = new Date('2026-06-01T00:00:00Z');
const later = new Date('2027-06-01T00:00:00Z');
const node = (name: string, extra: Partial<EdgeNodeInput> = {}): EdgeNodeInput => ({
  name,
  principal: `logstream-edge.${name}`,
  notAfter: later,
  revokedAt: null,
  ...extra,
});

describe('desired edge principals', () => {
  it('are the configured ones plus every enrolled node neither revoked nor expired, each once', () => {
    const desired = desiredEdgePrincipals(
      ['logstream-edge', 'logstream-edge.fra1'],
      [
        node('fra1'),
        node('ams2'),
        node('gone', { revokedAt: now }),
        node('old', { notAfter: now }),
      ],
      now,
    );
    assert.deepEqual(desired, {
      principals: ['logstream-edge', 'logstream-edge.ams2', 'logstream-edge.fra1'],
      refused: [],
    });
  });

  it("refuse a row whose principal is not its name's own, or whose name breaks the grammar", () => {
    const desired = desiredEdgePrincipals(
      [],
      [node('fra1', { principal: 'logstream-provisioner' }), node('Bad.Name')],
      now,
    );
    assert.deepEqual(desired.principals, []);
    assert.deepEqual(desired.refused, [
      'edge node "fra1" names principal "logstream-provisioner", not its own "logstream-edge.fra1"; no access granted to it',
      'edge node "Bad.Name" has an invalid name (it must be lowercase); no access granted to it',
    ]);
  });
});

describe('edge grants', () => {
  it('missing ones are those of desired principals Kafka lacks', () => {
    const held = edgeProducerAcls('logstream-edge.fra1').slice(0, 2);
    assert.deepEqual(missingEdgeAcls(['logstream-edge.fra1', 'logstream-edge.ams2'], held), [
      ...edgeProducerAcls('logstream-edge.fra1').slice(2),
      ...edgeProducerAcls('logstream-edge.ams2'),
    ]);
  });

  it("a revoked node's WRITE and registry READ are undesired; an operator's look-alike grants stay", () => {
    const settings = {
      partitions: 1,
      replicationFactor: 1,
      retentionMs: 60_000,
      minInsyncReplicas: 1,
    };
    const acme = parseCustomerId('acme');
    const desired = desiredEdgePrincipals(
      ['logstream-edge'],
      [node('fra1'), node('ams2', { revokedAt: now })],
      now,
    );
    const acls = [
      ...edgeProducerAcls('logstream-edge'),
      ...edgeProducerAcls('logstream-edge.fra1'),
      ...edgeProducerAcls('logstream-edge.ams2'),
      ...edgeProducerAcls('ops-audit'),
      ...customerConsumerAcls('customer.acme.k1', acme),
    ];
    const input = {
      customerId: acme,
      generation: 1,
      streamingEnabled: true,
      deletionRequested: false,
      requestedAt: now,
      observedGeneration: 1,
      state: 'active' as const,
      quota: { consumerByteRate: null, requestPercentage: null },
      credentials: [{ id: 'k1', principal: 'customer.acme.k1', revokedAt: null, expiresAt: later }],
    };
    const gone = undesiredAcls([input], acls, settings, now, {
      edgePrincipals: desired.principals,
      operatorPrincipals: new Set(['ops-audit']),
    });
    assert.deepEqual(gone, edgeProducerAcls('logstream-edge.ams2'));
  });
});
