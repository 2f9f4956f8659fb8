import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCustomerId } from '@logstream/tenancy';
import { toKafkaAcl } from './acl.types';
import { customerConsumerAcls } from './customer-acls.rules';

describe('customerConsumerAcls', () => {
  const acme = parseCustomerId('acme');

  it('grants READ on the literal topic, its statistics topic and the prefixed group, nothing else', () => {
    assert.deepEqual(customerConsumerAcls('customer.acme.k1', acme), [
      {
        principal: 'customer.acme.k1',
        resource: 'topic',
        name: 'cdn-logs.acme',
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: 'customer.acme.k1',
        resource: 'topic',
        name: 'cdn-stats.acme',
        pattern: 'literal',
        operation: 'read',
      },
      {
        principal: 'customer.acme.k1',
        resource: 'group',
        name: 'acme.',
        pattern: 'prefixed',
        operation: 'read',
      },
    ]);
  });

  it('never grants a prefixed topic, so "acme" cannot read "cdn-logs.acme-corp"', () => {
    const topicAcls = customerConsumerAcls('p', acme).filter((b) => b.resource === 'topic');
    assert.ok(topicAcls.every((b) => b.pattern === 'literal'));
  });

  it('ends the group prefix with a dot, so "acme" gets no group of "acme-corp"', () => {
    const [group] = customerConsumerAcls('p', acme).filter((b) => b.resource === 'group');
    assert.equal(group.name.endsWith('.'), true);
    assert.equal('acme-corp.kcat'.startsWith(group.name), false);
  });

  it('maps to ALLOW ACLs for User:<principal> on any host', () => {
    for (const acl of customerConsumerAcls('customer.acme.k1', acme).map(toKafkaAcl)) {
      assert.equal(acl.principal, 'User:customer.acme.k1');
      assert.equal(acl.host, '*');
    }
  });
});
