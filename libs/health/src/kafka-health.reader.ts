import type { Admin, Kafka } from 'kafkajs';
import {
  createKafkaCluster,
  groupCoordinators,
  type KafkaCluster,
  kafkaOperation,
  mapLimit,
  OFFSETS_TOPIC,
} from '@logstream/kafka';
import type { GroupObservation, PartitionWatermarks } from './health.types';

/** ListOffsets timestamps asking for the high and the low watermark. */
const LATEST = -1;
const EARLIEST = -2;

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
      // Grouped by leader here rather than by cluster.fetchTopicsOffset, whose merge of the
      // answers is quadratic in the number of topics (a 10,000-customer collection took 26 s).
      const byLeader = new Map<number, Array<{ topic: string; partitions: number[] }>>();
      for (const topic of topics) {
        for (const p of this.cluster.findTopicPartitionMetadata(topic)) {
          const list = byLeader.get(p.leader) ?? [];
          const last = list[list.length - 1];
          if (last?.topic === topic) last.partitions.push(p.partitionId);
          else list.push({ topic, partitions: [p.partitionId] });
          byLeader.set(p.leader, list);
        }
      }
      const offsets = async (timestamp: number) =>
        (
          await Promise.all(
            [...byLeader].map(async ([nodeId, list]) => {
              const broker = await this.cluster.findBroker({ nodeId });
              const { responses } = await broker.listOffsets({
                isolationLevel: this.cluster.isolationLevel,
                topics: list.map((t) => ({
                  topic: t.topic,
                  partitions: t.partitions.map((partition) => ({ partition, timestamp })),
                })),
              });
              return responses;
            }),
          )
        ).flat();
      const [high, low] = await Promise.all([offsets(LATEST), offsets(EARLIEST)]);
      // A topic's partitions may answer from several leaders: merge per topic.
      const lows = new Map<string, number>();
      for (const t of low) {
        for (const p of t.partitions) lows.set(`${p.partition}:${t.topic}`, Number(p.offset));
      }
      const out = new Map<string, PartitionWatermarks[]>();
      for (const t of high) {
        const list = out.get(t.topic) ?? [];
        for (const p of t.partitions) {
          const low = lows.get(`${p.partition}:${t.topic}`) ?? 0;
          list.push({ partition: p.partition, high: Number(p.offset), low });
        }
        out.set(t.topic, list);
      }
      for (const list of out.values()) list.sort((a, b) => a.partition - b.partition);
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
      const coordinatorOf = groupCoordinators(this.cluster);
      const byCoordinator = new Map<number, string[]>();
      for (const g of wanted) {
        const node = coordinatorOf(g.groupId);
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
          nodeId: coordinatorOf(g.groupId),
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
