import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type AclEntry,
  ResourcePatternTypes,
} from 'kafkajs';

export type AclResource = 'topic' | 'group' | 'cluster';
export type AclPattern = 'literal' | 'prefixed';
export type AclOperation = 'read' | 'write' | 'describe' | 'create' | 'delete' | 'alter' | 'all';

/** One ALLOW rule, in the project's own words rather than kafkajs' numeric enums. */
export interface AclBinding {
  principal: string;
  resource: AclResource;
  name: string;
  pattern: AclPattern;
  operation: AclOperation;
}

const RESOURCE: Record<AclResource, AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
};
const PATTERN: Record<AclPattern, ResourcePatternTypes> = {
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
};
const OPERATION: Record<AclOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  alter: AclOperationTypes.ALTER,
  all: AclOperationTypes.ALL,
};

export interface AclFilterSpec {
  principal?: string;
  resource?: AclResource;
  name?: string;
  pattern?: AclPattern;
}

export function toKafkaResource(resource: AclResource): AclResourceTypes {
  return RESOURCE[resource];
}

export function toKafkaPattern(pattern: AclPattern): ResourcePatternTypes {
  return PATTERN[pattern];
}

function reverse<K extends string, V>(map: Record<K, V>): Map<V, K> {
  return new Map(Object.entries(map).map(([k, v]) => [v as V, k as K]));
}
const RESOURCE_BACK = reverse(RESOURCE);
const PATTERN_BACK = reverse(PATTERN);
const OPERATION_BACK = reverse(OPERATION);

export function toKafkaAcl(b: AclBinding): AclEntry {
  return {
    resourceType: RESOURCE[b.resource],
    resourceName: b.name,
    resourcePatternType: PATTERN[b.pattern],
    principal: `User:${b.principal}`,
    host: '*',
    operation: OPERATION[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** The binding for a Kafka ACL, or undefined for one this project never writes (DENY, hosts). */
export function fromKafkaAcl(acl: AclEntry): AclBinding | undefined {
  const resource = RESOURCE_BACK.get(acl.resourceType);
  const pattern = PATTERN_BACK.get(acl.resourcePatternType);
  const operation = OPERATION_BACK.get(acl.operation);
  if (!resource || !pattern || !operation) return undefined;
  if (acl.permissionType !== AclPermissionTypes.ALLOW || acl.host !== '*') return undefined;
  if (!acl.principal.startsWith('User:')) return undefined;
  return {
    principal: acl.principal.slice(5),
    resource,
    name: acl.resourceName,
    pattern,
    operation,
  };
}

export function aclKey(b: AclBinding): string {
  return [b.principal, b.resource, b.pattern, b.name, b.operation].join('\u0000');
}
