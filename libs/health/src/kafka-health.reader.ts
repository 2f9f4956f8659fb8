import type { Admin, Kafka } from 'kafkajs';
import {
  createKafkaCluster,
  groupCoordinatorOf,
  type KafkaCluster,
  kafkaOperation,
  mapLimit,
  OFFSETS_TOPIC,
} from '@logstream/kafka';
import type { GroupObservation, PartitionWatermarks } from './health.types';

/** Reads watermarks, groups and committed offsets for many customer topics in few requests. */
export class KafkaHealthReader {
  private readonly cluster: KafkaCluster;
  private readonly admin: Admin;

  constructor(
    kafka: Kafka,
    private readonly offsetFetchConcurrency = 64,
  ) {
    this.cluster = createKafkaCluster(kafka);
    this.admin = kafka.admin();
  }

  async connect(): Promise<void> {
    await kafkaOperation('connect', async () => {
      await this.cluster.connect();
      await this.admin.connect();
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.cluster.disconnect(), this.admin.disconnect()]);
  }

  /** Which of these topics exist now (one metadata request for all topics). */
  async existingTopics(topics: readonly string[]): Promise<string[]> {
    const all = new Set(await kafkaOperation('listTopics', () => this.admin.listTopics()));
    return topics.filter((t) => all.has(t));
  }

  /**
   * Low and high watermarks of every partition of these topics: one metadata request, then one
   * ListOffsets request per broker for the high and one for the low watermarks.
   */
  async watermarks(topics: readonly string[]): Promise<Map<string, PartitionWatermarks[]>> {
    return kafkaOperation('watermarks', async () => {
      this.cluster.targetTopics = new Set([...topics, OFFSETS_TOPIC]);
      await this.cluster.refreshMetadata();
      const request = (fromBeginning: boolean) =>
        topics.map((topic) => ({
          topic,
          fromBeginning,
          partitions: this.cluster
            .findTopicPartitionMetadata(topic)
            .map((p) => ({ partition: p.partitionId })),
        }));
      const [high, low] = await Promise.all([
        this.cluster.fetchTopicsOffset(request(false)),
        this.cluster.fetchTopicsOffset(request(true)),
      ]);
      const lows = new Map<string, Map<number, number>>();
      for (const t of low) {
        lows.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
      }
      const out = new Map<string, PartitionWatermarks[]>();
      for (const t of high) {
        const lowOf = lows.get(t.topic);
        out.set(
          t.topic,
          t.partitions
            .map((p) => ({
              partition: p.partition,
              high: Number(p.offset),
              low: lowOf?.get(p.partition) ?? 0,
            }))
            .sort((a, b) => a.partition - b.partition),
        );
      }
      return out;
    });
  }

  /** Every consumer group id in the cluster (ListGroups on each broker). */
  async listGroups(): Promise<string[]> {
    const { groups } = await kafkaOperation('listGroups', () => this.admin.listGroups());
    return groups.map((g) => g.groupId);
  }

  /**
   * State, members and committed offsets on `topic` of each group: one DescribeGroups request
   * per coordinator for all groups, one OffsetFetch per group (bounded concurrency).
   * Call after {@link watermarks} (it loads the metadata used here).
   */
  async groups(
    wanted: ReadonlyArray<{ groupId: string; topic: string; partitions: number[] }>,
  ): Promise<Map<string, GroupObservation>> {
    return kafkaOperation('groups', async () => {
      const byCoordinator = new Map<number, string[]>();
      for (const g of wanted) {
        const node = groupCoordinatorOf(this.cluster, g.groupId);
        const list = byCoordinator.get(node) ?? [];
        list.push(g.groupId);
        byCoordinator.set(node, list);
      }
      const described = new Map<string, { state: string; members: number }>();
      await Promise.all(
        [...byCoordinator].map(async ([nodeId, groupIds]) => {
          const broker = await this.cluster.findBroker({ nodeId });
          for (let i = 0; i < groupIds.length; i += 1000) {
            const { groups } = await broker.describeGroups({
              groupIds: groupIds.slice(i, i + 1000),
            });
            for (const g of groups)
              described.set(g.groupId, { state: g.state, members: g.members.length });
          }
        }),
      );
      const out = new Map<string, GroupObservation>();
      await mapLimit(wanted, this.offsetFetchConcurrency, async (g) => {
        const broker = await this.cluster.findBroker({
          nodeId: groupCoordinatorOf(this.cluster, g.groupId),
        });
        const { responses } = await broker.offsetFetch({
          groupId: g.groupId,
          topics: [
            { topic: g.topic, partitions: g.partitions.map((partition) => ({ partition })) },
          ],
        });
        const committed = new Map<number, number>();
        for (const t of responses) {
          for (const p of t.partitions) {
            const offset = Number(p.offset);
            if (p.errorCode === 0 && offset >= 0) committed.set(p.partition, offset);
          }
        }
        const d = described.get(g.groupId);
        out.set(g.groupId, {
          groupId: g.groupId,
          state: d?.state ?? 'Unknown',
          members: d?.members ?? 0,
          committed,
        });
      });
      return out;
    });
  }

  /** retention.ms of each topic (one DescribeConfigs request for all of them). */
  async retentionMs(topics: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (topics.length === 0) return out;
    const { resources } = await kafkaOperation('describeConfigs', () =>
      this.admin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })),
      }),
    );
    for (const r of resources) {
      const entry = r.configEntries.find((e) => e.configName === 'retention.ms');
      if (entry) out.set(r.resourceName, Number(entry.configValue));
    }
    return out;
  }
}
