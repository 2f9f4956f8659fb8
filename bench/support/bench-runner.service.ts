import * as path from 'node:path';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { TenantRegistryWriter } from '@logstream/provisioning';
import { edgeStatsTopicSpec, registryTopicSpec, tenantRecord } from '@logstream/registry';
import { type CustomerId, customerTopic } from '@logstream/tenancy';
import { run } from '../../test/support/process';
import { type BenchArgs, benchUsage, type BenchSpec, parseBenchArgs } from './bench-args.rules';
import { failAndExit, progress } from './bench-report';
import { REPO_ROOT } from '@logstream/config';

/** A benchmark's entry: parses its options, answers --help, reports a failure and exits 1. */
export function benchMain<K extends string, P extends string = never>(
  spec: BenchSpec<K, P>,
  body: (args: BenchArgs<K, P>) => Promise<void>,
): void {
  const main = async (): Promise<void> => {
    const args = parseBenchArgs(process.argv.slice(2), spec, REPO_ROOT);
    if (args.help) process.stdout.write(benchUsage(spec));
    else await body(args);
  };
  main().catch(failAndExit);
}

/** Installs the Debian packages a benchmark runs (scripts/apt.sh skips those already there). */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  const res = await run('bash', [path.join(REPO_ROOT, 'scripts/apt.sh'), ...packages], {
    timeoutMs: 600_000,
  });
  if (res.code !== 0) throw new Error(`scripts/apt.sh ${packages.join(' ')}: ${res.stderr}`);
}

/**
 * Customers as the edge producer sees them on a bench broker: a one-partition topic each (plus
 * `extraTopics` and the edge stats topic) and an enabled registry record each.
 */
export async function createBenchCustomers(
  broker: string,
  ids: readonly CustomerId[],
  extraTopics: readonly string[] = [],
): Promise<void> {
  const kafka = createKafkaClient({ brokers: [broker], customerBootstrap: [], clientId: 'bench' });
  const admin = new KafkaAdminService(kafka);
  await admin.connect();
  progress(`creating ${ids.length} customer topics and registry records`);
  await admin.ensureTopic(registryTopicSpec(1));
  // As the provisioner makes it: the edge publishes its per-customer record there on exit.
  await admin.ensureTopic(edgeStatsTopicSpec(1));
  await Promise.all(
    [...ids.map((id) => customerTopic(id)), ...extraTopics].map((name) =>
      admin.ensureTopic({ name, partitions: 1, replicationFactor: 1, configs: {} }),
    ),
  );
  const registry = new TenantRegistryWriter(kafka);
  await registry.connect();
  await registry.publish(...ids.map((id) => tenantRecord(id, true, 1)));
  await registry.disconnect();
  await admin.disconnect();
}
