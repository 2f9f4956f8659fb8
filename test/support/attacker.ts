import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { toKafkaOperationError } from '@logstream/kafka';
import { KafkaWireConnection } from './kafka-wire';
import { kcatSsl } from './kcat';
import { eventually } from './process';
import type { RunResult } from './process';
import type { ClientFiles } from './test-pki';

/** What a customer holds: the CA, its certificate and key (PEM). */
export interface CustomerTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function sslBootstrap(): string[] {
  return loadKafkaConfig('logstream-isolation-test').customerBootstrap;
}

/** kafkajs on the SSL listener with a customer's certificate, failing fast (no retries). */
export function customerKafka(tls: CustomerTls): Kafka {
  return new Kafka({
    clientId: 'logstream-isolation-attacker',
    brokers: sslBootstrap(),
    ssl: { ca: [tls.caPem], cert: tls.certPem, key: tls.keyPem },
    connectionTimeout: 5_000,
    requestTimeout: 10_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}

/** A raw protocol connection to the SSL listener with a customer's certificate. */
export function customerWire(tls: CustomerTls): Promise<KafkaWireConnection> {
  const [host, port] = sslBootstrap()[0].split(':');
  return KafkaWireConnection.open({
    host,
    port: Number(port),
    ca: tls.caPem,
    cert: tls.certPem,
    key: tls.keyPem,
  });
}

/**
 * Runs an attempt that must be refused with the Kafka protocol error `code` (as the platform's
 * typed {@link toKafkaOperationError} reads it, nested errors included); fails if it succeeds.
 */
export async function assertDenied(
  code: string,
  what: string,
  attempt: () => Promise<unknown>,
): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await attempt();
  } catch (err) {
    const typed = toKafkaOperationError(what, err);
    assert.equal(typed.code, code, `${what}: ${typed.message}`);
    return;
  }
  assert.fail(`${what} was allowed: ${JSON.stringify(outcome)}`);
}

/** kcat as the bundle's README runs it: a group under the prefix, the first line, then exit. */
export function kcatConsumeOne(
  cred: ClientFiles,
  topic: string,
  group: string,
): Promise<RunResult> {
  return kcatSsl(
    cred,
    ['-C', '-G', group, '-X', 'auto.offset.reset=earliest', '-c', '1', '-f', '%s\n', topic],
    15_000,
  );
}

/**
 * A positive control: the credential reads the first line of `topic` with kcat. Retried for a
 * while, since ACLs reach the broker's authorizer with a delay; returns what kcat printed.
 */
export function kcatReadsFirstLine(
  cred: ClientFiles,
  topic: string,
  group: string,
): Promise<string> {
  return eventually(
    async () => {
      const res = await kcatConsumeOne(cred, topic, group);
      return res.code === 0 ? res.stdout : undefined;
    },
    `${cred.principal} to read ${topic}`,
    20_000,
    500,
  );
}
