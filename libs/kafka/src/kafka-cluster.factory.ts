import type { Kafka } from 'kafkajs';

/** One group's committed offsets on one topic, as OffsetFetch answers them. */
export interface ClusterOffsetFetchResponse {
  responses: Array<{
    topic: string;
    partitions: Array<{ partition: number; offset: string; errorCode: number }>;
  }>;
}

/**
 * The parts of a kafkajs broker connection that callers drive directly: each method is one
 * request on the broker's connection, many may be in flight at once.
 */
export interface KafkaClusterBroker {
  offsetFetch(request: {
    groupId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number }> }>;
  }): Promise<ClusterOffsetFetchResponse>;
  /**
   * Generation -1 and member id '' commit for a group nobody is a member of (Kafka's
   * "simple" commit); the broker creates the group, Empty, if it did not exist.
   */
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
  /** timestamp -1: the high watermark, -2: the low one. */
  listOffsets(request: {
    isolationLevel: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; timestamp: number }> }>;
  }): Promise<{
    responses: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }>;
  describeGroups(request: { groupIds: string[] }): Promise<{
    groups: Array<{ groupId: string; state: string; members: unknown[]; errorCode: number }>;
  }>;
}

export interface ClusterPartitionMetadata {
  partitionId: number;
  leader: number;
}

/**
 * kafkajs' internal cluster: its admin asks ListOffsets one topic per call, while the cluster
 * groups many topics per partition leader into one ListOffsets request per broker, and hands
 * out broker connections for requests the admin has no single-request form of.
 */
export interface KafkaCluster {
  targetTopics: Set<string>;
  /** What the cluster's own ListOffsets requests ask (read committed by default). */
  isolationLevel: number;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): ClusterPartitionMetadata[];
  findBroker(args: { nodeId: number | string }): Promise<KafkaClusterBroker>;
  /** FindCoordinator; the first one makes the broker create __consumer_offsets. */
  findGroupCoordinator(args: { groupId: string }): Promise<KafkaClusterBroker>;
  /**
   * Offsets of many topics in one ListOffsets request per leader; it merges the answers with a
   * quadratic reduce (70% of a collection's CPU at 10,000 topics), so prefer
   * {@link KafkaClusterBroker.listOffsets} for many topics.
   */
  fetchTopicsOffset(
    topics: Array<{
      topic: string;
      partitions: Array<{ partition: number }>;
      fromBeginning: boolean;
    }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

/** A cluster of the client's own (its connections are not the admin's or a consumer's). */
export function createKafkaCluster(kafka: Kafka): KafkaCluster {
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

export const OFFSETS_TOPIC = '__consumer_offsets';

/**
 * A lookup of the broker coordinating a group: the leader of its __consumer_offsets partition,
 * from the cluster's metadata (load it with `targetTopics` including {@link OFFSETS_TOPIC}).
 * The metadata is read once here: kafkajs finds a topic's partitions by scanning every topic,
 * which per group is quadratic at 10,000 topics.
 */
export function groupCoordinators(cluster: KafkaCluster): (groupId: string) => number {
  const partitions = cluster.findTopicPartitionMetadata(OFFSETS_TOPIC);
  const leaders = new Map(partitions.map((m) => [m.partitionId, m.leader]));
  return (groupId) => {
    const p = offsetsPartitionOf(groupId, partitions.length);
    const leader = leaders.get(p);
    if (leader === undefined || leader < 0) {
      throw new Error(`no leader for ${OFFSETS_TOPIC} partition ${p}`);
    }
    return leader;
  };
}
