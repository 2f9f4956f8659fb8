import { rm } from 'node:fs/promises';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaClusterDir, kafkaScript } from '../../test/support/kafka-script';
import { run } from '../../test/support/process';
import { progress } from './bench-report';
import { onInterrupt } from './interrupt-cleanup.service';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A single Kafka broker of a benchmark's own (scripts/kafka.sh), started on fresh storage and
 * removed afterwards, so a benchmark neither loads nor meets anybody else's broker.
 */
export class DedicatedBroker {
  readonly plaintext: string;
  private readonly clusterDir: string;
  private unregister: () => void = () => undefined;

  constructor(readonly portBase: number) {
    this.plaintext = `127.0.0.1:${portBase}`;
    this.clusterDir = kafkaClusterDir(portBase);
  }

  async start(): Promise<void> {
    // kafka.sh would happily report a broker someone else runs there as ready.
    for (const port of [this.portBase, this.portBase + 1, this.portBase + 2]) {
      if (await portOpen(port)) {
        throw new Error(`port ${port} is in use: pick another --port-base`);
      }
    }
    await rm(this.clusterDir, { recursive: true, force: true });
    progress(`starting a dedicated broker on port base ${this.portBase}`);
    this.unregister = onInterrupt(() => this.stop());
    await this.script('start');
  }

  async stop(): Promise<void> {
    this.unregister();
    await this.script('stop').catch((err: unknown) => progress(`broker stop: ${String(err)}`));
    await rm(this.clusterDir, { recursive: true, force: true });
  }

  private script(command: string): Promise<void> {
    return kafkaScript(this.portBase, command);
  }
}

/** Sum of the high watermarks in `kcat -Q` output (`<topic> [<partition>] offset <n>` lines). */
export function sumWatermarks(kcatOutput: string): { sum: number; partitions: number } {
  let sum = 0;
  let partitions = 0;
  for (const m of kcatOutput.matchAll(/^\S+ \[\d+\] offset (-?\d+)$/gm)) {
    sum += Math.max(0, Number(m[1]));
    partitions++;
  }
  return { sum, partitions };
}

/**
 * The number of records in `topics` (partition 0 each): one ListOffsets request for all of them
 * through `kcat -Q`, cheap enough to poll. Retried a few times: just after topics are created
 * the broker may still answer "not leader".
 */
export async function recordsInTopics(broker: string, topics: readonly string[]): Promise<number> {
  const args = ['-b', broker, '-Q', ...topics.flatMap((t) => ['-t', `${t}:0:-1`])];
  for (let attempt = 1; ; attempt++) {
    const res = await run('kcat', args, { timeoutMs: 30_000 });
    const { sum, partitions } = sumWatermarks(res.stdout);
    if (res.code === 0 && partitions === topics.length) return sum;
    if (attempt === 20) {
      throw new Error(
        `kcat -Q answered ${partitions} of ${topics.length} partitions: ${res.stderr.slice(-500)}`,
      );
    }
    await sleep(500);
  }
}
