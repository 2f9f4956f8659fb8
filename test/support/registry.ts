import { loadKafkaConfig } from '@logstream/config';
import { decodeTenantRecord, type DecodedRegistryEntry } from '@logstream/registry';
import { TENANT_REGISTRY_TOPIC } from '@logstream/tenancy';
import { run } from './process';

/** The latest tenant registry entry for `customerId`, read from the real topic with kcat. */
export async function latestRegistryEntry(
  customerId: string,
): Promise<DecodedRegistryEntry | undefined> {
  const broker = loadKafkaConfig('kcat').brokers[0];
  const res = await run(
    'kcat',
    [
      '-b',
      broker,
      '-C',
      '-t',
      TENANT_REGISTRY_TOPIC,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-Z',
      '-f',
      '%k\t%S\t%s\n',
    ],
    { timeoutMs: 20_000 },
  );
  if (res.code !== 0) throw new Error(`kcat could not read the registry: ${res.stderr}`);
  let latest: DecodedRegistryEntry | undefined;
  for (const line of res.stdout.split('\n')) {
    const [key, size, ...rest] = line.split('\t');
    if (key !== customerId) continue;
    const value = size === '-1' ? null : Buffer.from(rest.join('\t'));
    latest = decodeTenantRecord(key, value);
  }
  return latest;
}
