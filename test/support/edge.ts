import type { Kafka } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { KafkaAdminService, type TopicSpec } from '@logstream/kafka';
import { TenantRegistryWriter } from '@logstream/provisioning';
import { registryTopicSpec, tenantRecord } from '@logstream/registry';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { AppProcess } from './app-process';
import { run } from './process';

/** A real edge producer process (the built app), quick to flush for tests. */
export function startEdge(args: string[], options: { stdin?: 'pipe' | 'ignore' } = {}): AppProcess {
  return new AppProcess(
    'edge-producer',
    {},
    [
      '--brokers',
      loadKafkaConfig('edge-test').brokers.join(','),
      '--metrics-listen',
      'off',
      '--linger-ms',
      '20',
      '--stats-interval-s',
      '0',
      // Most specs have no logstream.edge-stats topic (no provisioner); those about it turn it on.
      '--customer-stats-s',
      '0',
      ...args,
    ],
    options,
  );
}

/** What a test needs around edge producers: topics, registry records, reading topics back. */
export class EdgeTestBed {
  readonly admin: KafkaAdminService;
  readonly registry: TenantRegistryWriter;
  readonly topics: string[] = [];

  constructor(kafka: Kafka) {
    this.admin = new KafkaAdminService(kafka);
    this.registry = new TenantRegistryWriter(kafka);
  }

  /** `replicationFactor`: of the registry topic (3 on a 3-broker cluster, so it survives a kill). */
  async start(replicationFactor = 1): Promise<void> {
    await this.admin.connect();
    await this.registry.connect();
    await this.admin.ensureTopic(registryTopicSpec(replicationFactor));
  }

  async stop(): Promise<void> {
    for (const t of this.topics) await this.admin.deleteTopic(t);
    await this.registry.disconnect();
    await this.admin.disconnect();
  }

  async customer(id: CustomerId, enabled: boolean, generation = 1, partitions = 3): Promise<void> {
    const spec = { name: customerTopic(id), partitions, replicationFactor: 1, configs: {} };
    await this.customerWithTopic(id, spec, enabled, generation);
  }

  /** A customer whose topic is created as `spec` says (e.g. the provisioner's own spec). */
  async customerWithTopic(
    id: CustomerId,
    spec: TopicSpec,
    enabled = true,
    generation = 1,
  ): Promise<void> {
    this.topics.push(spec.name);
    await this.admin.ensureTopic(spec);
    await this.registry.publish(tenantRecord(id, enabled, generation));
  }

  async setEnabled(id: CustomerId, enabled: boolean, generation: number): Promise<void> {
    await this.registry.publish(tenantRecord(id, enabled, generation));
  }
}

/** Every message of a topic as `[partition, value]`, read with kcat over PLAINTEXT. */
export async function readTopic(topic: string): Promise<Array<[number, string]>> {
  const broker = loadKafkaConfig('kcat').brokers[0];
  const res = await run(
    'kcat',
    ['-b', broker, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%s\n'],
    {
      timeoutMs: 30_000,
    },
  );
  if (res.code !== 0) throw new Error(`kcat failed on ${topic}: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const tab = l.indexOf('\t');
      return [Number(l.slice(0, tab)), l.slice(tab + 1)];
    });
}

/** The counters in the edge producer's last log line ("stopped"). */
export function finalCounters(edge: AppProcess): Record<string, unknown> {
  const line = [...edge.lines].reverse().find((l) => l.msg === 'stopped');
  if (!line) throw new Error(`no "stopped" line:\n${edge.raw.slice(-10).join('\n')}`);
  return line;
}
