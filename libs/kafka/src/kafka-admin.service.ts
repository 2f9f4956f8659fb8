import {
  ConfigResourceTypes,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  type Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import {
  type AclBinding,
  type AclFilterSpec,
  aclKey,
  fromKafkaAcl,
  toKafkaAcl,
  toKafkaPattern,
  toKafkaResource,
} from './acl.types';
import { kafkaOperation } from './kafka.errors';
import { RequestBatcher } from './request.batcher';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface TopicState {
  name: string;
  partitions: number;
}

/**
 * The Kafka admin operations the platform needs, each idempotent and each failing with a typed
 * {@link KafkaOperationError}. Only the provisioner (and tests) hold admin rights. Topic and ACL
 * writes from concurrent callers are batched (see {@link RequestBatcher}).
 */
export class KafkaAdminService {
  private readonly admin: Admin;
  private readonly topicCreates: RequestBatcher<TopicSpec, boolean>;
  private readonly aclCreates: RequestBatcher<AclBinding, void>;
  private readonly aclDeletes: RequestBatcher<AclBinding, void>;

  constructor(kafka: Kafka) {
    const admin = kafka.admin();
    this.admin = admin;
    this.topicCreates = new RequestBatcher((specs) =>
      admin.createTopics({
        // Leaders are elected within moments; consumers retry until then, so nobody waits here.
        waitForLeaders: false,
        topics: specs.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        })),
      }),
    );
    this.aclCreates = new RequestBatcher(async (bindings) => {
      await admin.createAcls({ acl: bindings.map(toKafkaAcl) });
    });
    this.aclDeletes = new RequestBatcher(async (bindings) => {
      await admin.deleteAcls({ filters: bindings.map(toKafkaAcl) });
    });
  }

  connect(): Promise<void> {
    return kafkaOperation('connect', () => this.admin.connect());
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /**
   * Creates the topic if it is missing. Returns true when it certainly created it, false when
   * it (or, batched with others, some topic) already existed.
   */
  ensureTopic(spec: TopicSpec): Promise<boolean> {
    return kafkaOperation(`create topic ${spec.name}`, () => this.topicCreates.submit([spec]));
  }

  deleteTopic(name: string): Promise<void> {
    return kafkaOperation(`delete topic ${name}`, async () => {
      const existing = await this.admin.listTopics();
      if (existing.includes(name)) await this.admin.deleteTopics({ topics: [name] });
    });
  }

  listTopics(): Promise<string[]> {
    return kafkaOperation('list topics', () => this.admin.listTopics());
  }

  createAcls(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return Promise.resolve();
    return kafkaOperation('create ACLs', () => this.aclCreates.submit(bindings));
  }

  deleteAcls(bindings: readonly AclBinding[]): Promise<void> {
    if (bindings.length === 0) return Promise.resolve();
    return kafkaOperation('delete ACLs', () => this.aclDeletes.submit(bindings));
  }

  /**
   * Every ACL (ALLOW and DENY, any host) matching the filter: of one principal, and/or on one exact resource
   * pattern (e.g. the literal topic `cdn-logs.acme`). Nothing given: every ACL.
   */
  describeAcls(filter: AclFilterSpec = {}): Promise<AclBinding[]> {
    return kafkaOperation('describe ACLs', async () => {
      const res = await this.admin.describeAcls({
        resourceType: filter.resource ? toKafkaResource(filter.resource) : AclResourceTypes.ANY,
        resourceName: filter.name,
        resourcePatternType: filter.pattern
          ? toKafkaPattern(filter.pattern)
          : ResourcePatternTypes.ANY,
        principal: filter.principal === undefined ? undefined : `User:${filter.principal}`,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const seen = new Map<string, AclBinding>();
      for (const resource of res.resources) {
        for (const acl of resource.acls) {
          const binding = fromKafkaAcl({ ...resource, ...acl });
          if (binding) seen.set(aclKey(binding), binding);
        }
      }
      return [...seen.values()];
    });
  }

  /** Sets the topic's config overrides to exactly `configs` when they differ; returns whether it did. */
  ensureTopicConfigs(name: string, configs: Record<string, string>): Promise<boolean> {
    return kafkaOperation(`configure topic ${name}`, async () => {
      const res = await this.admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name }],
      });
      const current = new Map(
        (res.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
      );
      const drifted = Object.entries(configs).some(([k, v]) => current.get(k) !== v);
      if (!drifted) return false;
      // alterConfigs replaces the topic's whole override set: send all of it.
      await this.admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name,
            configEntries: Object.entries(configs).map(([configName, value]) => ({
              name: configName,
              value,
            })),
          },
        ],
      });
      return true;
    });
  }
}
