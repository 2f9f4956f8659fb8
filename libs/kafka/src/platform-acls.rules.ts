import {
  CUSTOMER_TOPIC_PREFIX,
  EDGE_REGISTRY_GROUP,
  EDGE_STATS_TOPIC,
  HEALTH_EDGE_STATS_GROUP,
  TENANT_REGISTRY_TOPIC,
} from '@logstream/tenancy';
import type { AclBinding } from './acl.types';

/**
 * What an edge producer's principal may do, and nothing more: write to every customer topic
 * (prefix `cdn-logs.`) and its per-customer counts to `logstream.edge-stats`, and read the
 * tenant registry, which it follows without a consumer group.
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
    {
      principal,
      resource: 'topic',
      name: EDGE_STATS_TOPIC,
      pattern: 'literal',
      operation: 'write',
    },
  ];
}

/**
 * The health collector's grants for following the edge nodes' counts (it has admin rights in
 * development, where it connects on the loopback listener; a production collector on SSL with
 * its own principal needs exactly these): READ on the topic and on its one group.
 */
export function healthCollectorAcls(principal: string): AclBinding[] {
  return [
    { principal, resource: 'topic', name: EDGE_STATS_TOPIC, pattern: 'literal', operation: 'read' },
    {
      principal,
      resource: 'group',
      name: HEALTH_EDGE_STATS_GROUP,
      pattern: 'literal',
      operation: 'read',
    },
  ];
}
