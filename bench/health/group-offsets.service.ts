import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { createKafkaCluster, groupCoordinators, mapLimit, OFFSETS_TOPIC } from '@logstream/kafka';
import { eventually } from '../../test/support/process';

const RETRIES = 150;
const RETRY_MS = 200;

/**
 * Waits until the broker answers ListOffsets for partition 0 of every topic: topics created
 * without waiting for leaders are refused ("not the leader") for a while, the longer the more
 * partitions the broker is opening. One request for all topics per attempt.
 */
export async function waitForTopicsServed(
  kafka: Kafka,
  topics: readonly string[],
  timeoutMs = 300_000,
): Promise<void> {
  const cluster = createKafkaCluster(kafka);
  await cluster.connect();
  try {
    cluster.targetTopics = new Set(topics);
    await eventually(
      async () => {
        await cluster.refreshMetadata();
        await cluster.fetchTopicsOffset(
          topics.map((topic) => ({ topic, partitions: [{ partition: 0 }], fromBeginning: false })),
        );
        return true;
      },
      `ListOffsets answered for all ${topics.length} topics`,
      timeoutMs,
      1000,
    );
  } finally {
    await cluster.disconnect();
  }
}

/** One group's committed offset on partition 0 of a topic. */
export interface GroupOffset {
  groupId: string;
  topic: string;
  offset: number;
}

/**
 * Commits an offset for each group with ONE OffsetCommit request per group (generation -1, no
 * member: the "simple" commit, which leaves the group Empty as a stopped consumer would),
 * `concurrency` requests in flight on the coordinator's connection. kafkajs' admin.setOffsets
 * instead runs a whole consumer per call (join, sync, fetch, commit, leave).
 */
export async function commitGroupOffsets(
  kafka: Kafka,
  offsets: readonly GroupOffset[],
  concurrency = 256,
): Promise<void> {
  if (offsets.length === 0) return;
  const cluster = createKafkaCluster(kafka);
  await cluster.connect();
  try {
    // The first FindCoordinator makes the broker create __consumer_offsets; on a busy machine
    // that outlasts kafkajs' retries, so ask until a coordinator answers.
    await eventually(
      () => cluster.findGroupCoordinator({ groupId: offsets[0].groupId }).then(() => true),
      'the group coordinator (__consumer_offsets)',
      120_000,
      1000,
    );
    cluster.targetTopics = new Set([OFFSETS_TOPIC]);
    await cluster.refreshMetadata();
    const coordinatorOf = groupCoordinators(cluster);
    await mapLimit(offsets, concurrency, async (o) => {
      const broker = await cluster.findBroker({ nodeId: coordinatorOf(o.groupId) });
      for (let attempt = 1; ; attempt++) {
        try {
          return await broker.offsetCommit({
            groupId: o.groupId,
            groupGenerationId: -1,
            memberId: '',
            topics: [{ topic: o.topic, partitions: [{ partition: 0, offset: String(o.offset) }] }],
          });
        } catch (err) {
          // Topics just created (without waiting for leaders) are unknown to the broker for a
          // moment: that answer is retriable.
          const retriable = (err as { retriable?: boolean }).retriable === true;
          if (!retriable || attempt >= RETRIES) throw err;
          await sleep(RETRY_MS);
        }
      }
    });
  } finally {
    await cluster.disconnect();
  }
}
