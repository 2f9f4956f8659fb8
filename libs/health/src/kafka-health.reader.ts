import type { Admin, Kafka } from 'kafkajs';
import { kafkaOperation } from '@logstream/kafka';
import type { GroupObservation, PartitionWatermarks } from './health.types';

/**
 * The parts of kafkajs' internal cluster this reader drives. kafkajs' admin asks ListOffsets
 * one topic per call; its cluster already groups many topics per partition leader into one
 * ListOffsets request per broker, which is what 10,000 customer topics need.
 */
interface KafkaBroker {
  offsetFetch(request: {
    groupId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number }> }>;
  }): Promise<{
    responses: Array<{
      topic: string;
      partitions: Array<{ partition: number; offset: string; errorCode: number }>;
    }>;
  }>;
  describeGroups(request: { groupIds: string[] }): Promise<{
    groups: Array<{ groupId: string; state: string; members: unknown[]; errorCode: number }>;
  }>;
}
interface PartitionMetadata {
  partitionId: number;
  leader: number;
}
interface KafkaCluster {
  targetTopics: Set<string>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(args: { nodeId: number | string }): Promise<KafkaBroker>;
  fetchTopicsOffset(
    topics: Array<{
      topic: string;
      partitions: Array<{ partition: number }>;
      fromBeginning: boolean;
    }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

const OFFSETS_TOPIC = '__consumer_offsets';

function createCluster(kafka: Kafka): KafkaCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!symbol) throw new Error('this kafkajs version does not expose its cluster factory');
  const factory = (kafka as unknown as Record<symbol, (o: object) => KafkaCluster>)[symbol];
  return factory({ allowAutoTopicCreation: false, maxInFlightRequests: null });
}

/** Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The __consumer_offsets partition of a group (Kafka's Utils.abs(hash) % partitions). */
export function offsetsPartitionOf(groupId: string, partitions: number): number {
  const h = javaStringHash(groupId);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads watermarks, groups and committed offsets for many customer topics in few requests. */
export class KafkaHealthReader {
  private readonly cluster: KafkaCluster;
  private readonly admin: Admin;

  constructor(
    kafka: Kafka,
    private readonly offsetFetchConcurrency = 64,
  ) {
    this.cluster = createCluster(kafka);
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

  /** The broker coordinating a group, from the leader of its __consumer_offsets partition. */
  private coordinatorOf(groupId: string): number {
    const partitions = this.cluster.findTopicPartitionMetadata(OFFSETS_TOPIC);
    const p = offsetsPartitionOf(groupId, partitions.length);
    const meta = partitions.find((m) => m.partitionId === p);
    if (!meta || meta.leader < 0) throw new Error(`no leader for ${OFFSETS_TOPIC} partition ${p}`);
    return meta.leader;
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
        const node = this.coordinatorOf(g.groupId);
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
        const broker = await this.cluster.findBroker({ nodeId: this.coordinatorOf(g.groupId) });
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
