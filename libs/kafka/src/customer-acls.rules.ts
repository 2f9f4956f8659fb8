import {
  consumerGroupPrefix,
  customerStatsTopic,
  customerTopic,
  type CustomerId,
} from '@logstream/tenancy';
import type { AclBinding } from './acl.types';

/**
 * What one customer credential may do on the cluster, and nothing more: READ on the customer's
 * own topic and its statistics topic (DESCRIBE is implied) and READ on every consumer group under the customer's prefix.
 * The provisioner grants exactly these per credential and deletes exactly these to revoke it.
 */
export function customerConsumerAcls(principal: string, customerId: CustomerId): AclBinding[] {
  return [
    {
      principal,
      resource: 'topic',
      name: customerTopic(customerId),
      pattern: 'literal',
      operation: 'read',
    },
    {
      principal,
      resource: 'topic',
      name: customerStatsTopic(customerId),
      pattern: 'literal',
      operation: 'read',
    },
    {
      principal,
      resource: 'group',
      name: consumerGroupPrefix(customerId),
      pattern: 'prefixed',
      operation: 'read',
    },
  ];
}
