import * as path from 'node:path';
import { run } from './process';

const REPO = path.resolve(__dirname, '../../..');

/**
 * A Kafka broker (or cluster) of one test's own, on its own port base, so the test may kill it
 * without touching the suite's broker. Started and stopped through scripts/kafka.sh.
 */
export class PrivateKafka {
  constructor(readonly portBase: number) {}

  /** Broker 1's PLAINTEXT address. */
  get bootstrap(): string {
    return `127.0.0.1:${this.portBase}`;
  }

  start(brokers = 1): Promise<void> {
    return this.script('start', '--brokers', String(brokers));
  }

  /** SIGKILL of broker `node` (1-based). */
  kill(node = 1): Promise<void> {
    return this.script('kill', String(node));
  }

  /** Stops every broker and removes the cluster's data. */
  async remove(): Promise<void> {
    await this.script('stop').catch(() => undefined);
    await run('rm', ['-rf', path.join(REPO, '.data', 'kafka', `cluster-${this.portBase}`)]);
  }

  private async script(...args: string[]): Promise<void> {
    const res = await run(
      'bash',
      [path.join(REPO, 'scripts/kafka.sh'), ...args, '--port-base', String(this.portBase)],
      { timeoutMs: 180_000 },
    );
    if (res.code !== 0) throw new Error(`kafka.sh ${args.join(' ')}: ${res.stderr}`);
  }
}
