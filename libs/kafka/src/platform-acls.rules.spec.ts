import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aclKey } from './acl.types';
import { edgeProducerAcls, healthCollectorAcls } from './platform-acls.rules';

describe('edgeProducerAcls', () => {
  it('grants WRITE on the customer topic prefix and the edge stats, READ on the registry, nothing else', () => {
    assert.deepEqual(edgeProducerAcls('logstream-edge'), [
      {
        principal: 'logstream-edge',
        resource: 'topic',
        name: 'cdn-logs.',
        pattern: 'prefixed',
        operation: 'write',
      },
      {
        principal: 'logstream-edge',
        resource: 'topic',
        name: 'logstream.tenants',
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: 'logstream-edge',
        resource: 'group',
        name: 'logstream-edge-registry',
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: 'logstream-edge',
        resource: 'topic',
        name: 'logstream.edge-stats',
        pattern: 'literal',
        operation: 'write',
      },
    ]);
  });

  it('gives no customer group, cluster or admin right, and binds only the given principal', () => {
    const acls = edgeProducerAcls('edge-eu-1');
    assert.ok(
      acls.every(
        (b) =>
          b.principal === 'edge-eu-1' &&
          (b.resource === 'topic' ||
            (b.resource === 'group' && b.name === 'logstream-edge-registry')),
      ),
    );
    assert.ok(acls.every((b) => b.operation === 'read' || b.operation === 'write'));
    assert.equal(new Set(acls.map(aclKey)).size, acls.length);
  });
});

describe('healthCollectorAcls', () => {
  it('grants READ on the edge stats and its one group, nothing else', () => {
    assert.deepEqual(healthCollectorAcls('logstream-health-collector'), [
      {
        principal: 'logstream-health-collector',
        resource: 'topic',
        name: 'logstream.edge-stats',
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: 'logstream-health-collector',
        resource: 'group',
        name: 'logstream-health-edge-stats',
        pattern: 'literal',
        operation: 'read',
      },
    ]);
  });
});
