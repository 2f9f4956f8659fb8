import { createKafkaClient } from '@logstream/kafka';
import type { Kafka } from 'kafkajs';
import { kafkaClusterDir, kafkaScript } from './kafka-script';
import { run } from './process';

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  isr: number[];
}

/**
 * A Kafka broker or cluster of a fault test's own (scripts/kafka.sh on its own port base), so
 * the test may kill brokers without touching the shared test broker. Broker i listens on
 * PLAINTEXT `portBase + 100 * (i - 1)`; its node id is i.
 */
export class TestKafkaCluster {
  readonly brokers: string[];

  constructor(
    readonly portBase: number,
    readonly size = 1,
  ) {
    this.brokers = [...Array(size).keys()].map((i) => `127.0.0.1:${portBase + 100 * i}`);
  }

  start(): Promise<void> {
    return this.script('start', '--brokers', String(this.size));
  }

  /** Restarts a killed broker (the others keep running). */
  restart(): Promise<void> {
    return this.start();
  }

  /** SIGKILL of broker `node` (1-based). */
  kill(node: number): Promise<void> {
    return this.script('kill', String(node));
  }

  /** Stops every broker and removes the cluster's folder; never throws (use it in `after`). */
  async destroy(): Promise<void> {
    await this.script('stop').catch(() => undefined);
    await run('rm', ['-rf', this.dir]);
  }

  /**
   * Leader and in-sync replicas of every partition of `topics`, as broker `askNode` (1-based)
   * sees them; leader -1 while none is elected.
   */
  async partitions(topics: readonly string[], askNode: number): Promise<PartitionState[]> {
    const res = await run('kcat', ['-b', this.brokers[askNode - 1], '-L', '-J', '-m', '5'], {
      timeoutMs: 15_000,
    });
    if (res.code !== 0) throw new Error(`kcat -L: ${res.stderr}`);
    const meta = JSON.parse(res.stdout) as {
      topics: Array<{
        topic: string;
        partitions?: Array<{ partition: number; leader: number; isrs?: Array<{ id: number }> }>;
      }>;
    };
    return meta.topics
      .filter((t) => topics.includes(t.topic))
      .flatMap((t) =>
        (t.partitions ?? []).map((p) => ({
          topic: t.topic,
          partition: p.partition,
          leader: p.leader,
          isr: (p.isrs ?? []).map((r) => r.id).sort(),
        })),
      );
  }

  private get dir(): string {
    return kafkaClusterDir(this.portBase);
  }

  client(clientId: string): Kafka {
    return createKafkaClient({ brokers: this.brokers, customerBootstrap: [], clientId });
  }

  private script(...args: string[]): Promise<void> {
    return kafkaScript(this.portBase, ...args);
  }
}
