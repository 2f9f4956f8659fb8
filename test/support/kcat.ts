import { loadKafkaConfig } from '@logstream/config';
import { run, type RunResult } from './process';
import type { ClientFiles } from './test-pki';

/** kcat on the broker's SSL listener, as a customer would run it. */
export function kcatSsl(
  client: Partial<ClientFiles> & { caFile: string },
  args: readonly string[],
  timeoutMs = 20_000,
  input?: string,
): Promise<RunResult> {
  const bootstrap = loadKafkaConfig('kcat').customerBootstrap.join(',');
  const tls = ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${client.caFile}`];
  if (client.certFile) tls.push('-X', `ssl.certificate.location=${client.certFile}`);
  if (client.keyFile) tls.push('-X', `ssl.key.location=${client.keyFile}`);
  return run('kcat', ['-b', bootstrap, ...tls, ...args], { timeoutMs, input });
}
