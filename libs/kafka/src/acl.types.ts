import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type AclEntry,
  ResourcePatternTypes,
} from 'kafkajs';

export type AclResource = 'topic' | 'group' | 'cluster' | 'transactional_id' | 'delegation_token';
export type AclPattern = 'literal' | 'prefixed';
export type AclOperation =
  | 'read'
  | 'write'
  | 'describe'
  | 'create'
  | 'delete'
  | 'alter'
  | 'all'
  | 'cluster_action'
  | 'describe_configs'
  | 'alter_configs'
  | 'idempotent_write';

/**
 * One ACL, in the project's own words rather than kafkajs' numeric enums. The platform writes
 * ALLOW rules for any host; `permission` and `host` are set only on rules read back from the
 * broker that differ (someone else's DENY or host-specific rule), so drift repair sees them.
 */
export interface AclBinding {
  principal: string;
  resource: AclResource;
  name: string;
  pattern: AclPattern;
  operation: AclOperation;
  /** Absent: ALLOW. */
  permission?: 'deny';
  /** Absent: any host (`*`). */
  host?: string;
}

const RESOURCE: Record<AclResource, AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
  transactional_id: AclResourceTypes.TRANSACTIONAL_ID,
  delegation_token: AclResourceTypes.DELEGATION_TOKEN,
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
  cluster_action: AclOperationTypes.CLUSTER_ACTION,
  describe_configs: AclOperationTypes.DESCRIBE_CONFIGS,
  alter_configs: AclOperationTypes.ALTER_CONFIGS,
  idempotent_write: AclOperationTypes.IDEMPOTENT_WRITE,
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
    host: b.host ?? '*',
    operation: OPERATION[b.operation],
    permissionType: b.permission === 'deny' ? AclPermissionTypes.DENY : AclPermissionTypes.ALLOW,
  };
}

/**
 * The binding for a Kafka ACL, DENY and host-specific ones included; undefined only for what
 * the broker's authorizer never matches with the platform's principals (non-`User:` types).
 */
export function fromKafkaAcl(acl: AclEntry): AclBinding | undefined {
  const resource = RESOURCE_BACK.get(acl.resourceType);
  const pattern = PATTERN_BACK.get(acl.resourcePatternType);
  const operation = OPERATION_BACK.get(acl.operation);
  if (!resource || !pattern || !operation) return undefined;
  if (!acl.principal.startsWith('User:')) return undefined;
  const permission = acl.permissionType;
  if (permission !== AclPermissionTypes.ALLOW && permission !== AclPermissionTypes.DENY) {
    return undefined;
  }
  return {
    principal: acl.principal.slice(5),
    resource,
    name: acl.resourceName,
    pattern,
    operation,
    ...(permission === AclPermissionTypes.DENY ? { permission: 'deny' as const } : {}),
    ...(acl.host !== '*' ? { host: acl.host } : {}),
  };
}

export function aclKey(b: AclBinding): string {
  return [
    b.principal,
    b.resource,
    b.pattern,
    b.name,
    b.operation,
    b.permission ?? 'allow',
    b.host ?? '*',
  ].join('\u0000');
}
