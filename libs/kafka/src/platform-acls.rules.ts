import {
  CUSTOMER_TOPIC_PREFIX,
  EDGE_REGISTRY_GROUP,
  TENANT_REGISTRY_TOPIC,
} from '@logstream/tenancy';
import type { AclBinding } from './acl.types';

/**
 * What an edge producer's principal may do, and nothing more: write to every customer topic
 * (prefix `cdn-logs.`) and read the tenant registry, which it follows without a consumer group.
 * Idempotent producing needs no further ACL on brokers >= 2.8 (WRITE on the topic implies it).
 * The registry is read with hand-assigned partitions; see {@link EDGE_REGISTRY_GROUP}.
 */
export function edgeProducerAcls(principal: string): AclBinding[] {
  return [
    {
      principal,
      resource: 'topic',
      name: CUSTOMER_TOPIC_PREFIX,
      pattern: 'prefixed',
      operation: 'write',
    },
    {
      principal,
      resource: 'topic',
      name: TENANT_REGISTRY_TOPIC,
      pattern: 'literal',
      operation: 'read',
    },
    {
      principal,
      resource: 'group',
      name: EDGE_REGISTRY_GROUP,
      pattern: 'literal',
      operation: 'read',
    },
  ];
}
