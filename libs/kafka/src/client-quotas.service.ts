import { readFileSync } from 'node:fs';
import type { KafkaConfig } from '@logstream/config';
import type { UserQuota, UserQuotaChange } from './client-quota.types';
import { KafkaOperationError } from './kafka.errors';
import { KafkaWireConnection, type WireEndpoint } from './kafka-wire.service';
import { WireReader } from './kafka-wire.reader';
import { WireWriter } from './kafka-wire.writer';

const API_DESCRIBE_CLIENT_QUOTAS = 48;
const API_ALTER_CLIENT_QUOTAS = 49;
/** Protocol errors that clear up by themselves (no controller yet, a request timed out...). */
const RETRIABLE_CODES = new Set([7, 15, 41, 51]);

/**
 * Client quotas of user entities, read and written with Kafka's own AlterClientQuotas and
 * DescribeClientQuotas (v0, supported by every broker since 2.6). kafkajs and librdkafka have
 * no such API, so the two requests are encoded here by hand on one connection to the first
 * broker that answers; any broker forwards the change to the KRaft controller. Only entities
 * made of one user (or the default user) are read or written: the customer quota callback
 * (infra/kafka-quota) ignores every other kind.
 */
export class ClientQuotasService {
  private connection: KafkaWireConnection | undefined;
  private readonly endpoints: WireEndpoint[];
  private readonly clientId: string;

  constructor(config: Pick<KafkaConfig, 'brokers' | 'tls' | 'clientId'>) {
    this.clientId = config.clientId;
    const tls = config.tls && {
      ca: readFileSync(config.tls.caFile, 'utf8'),
      cert: readFileSync(config.tls.certFile, 'utf8'),
      key: readFileSync(config.tls.keyFile, 'utf8'),
    };
    this.endpoints = config.brokers.map((b) => {
      const at = b.lastIndexOf(':');
      return { host: b.slice(0, at), port: Number(b.slice(at + 1)), tls };
    });
  }

  /**
   * Every user entity's quotas (the default user entity's as `user: null`), or only the named
   * user's (at most one entry). The broker answers from its metadata, so a change shows a
   * moment after {@link alter} returns.
   */
  async describeUsers(only?: { user: string }): Promise<UserQuota[]> {
    // Without components and strict=false: every entity, filtered below. Match type 0: exact.
    const components = only ? [only.user] : [];
    const body = new WireWriter()
      .array(components, (w, name) => w.string('user').int8(0).string(name))
      .bool(only !== undefined)
      .build();
    const r = new WireReader(
      await this.send('describe client quotas', API_DESCRIBE_CLIENT_QUOTAS, body),
    );
    r.int32(); // throttle time
    const code = r.int16();
    const message = r.string();
    if (code !== 0) throw quotaError('describe client quotas', code, message);
    const found: UserQuota[] = [];
    for (const entry of r.array(() => ({
      entity: r.array(() => ({ type: r.string(), name: r.string() })),
      values: r.array(() => [r.string() ?? '', r.float64()] as const),
    }))) {
      if (entry.entity.length !== 1 || entry.entity[0].type !== 'user') continue;
      found.push({ user: entry.entity[0].name, values: Object.fromEntries(entry.values) });
    }
    return found;
  }

  /** Applies the changes in one request; fails if any entity's change was refused. */
  async alter(changes: readonly UserQuotaChange[]): Promise<void> {
    if (changes.length === 0) return;
    const body = new WireWriter()
      .array(changes, (w, change) =>
        w
          .array([change.user], (e, name) => e.string('user').string(name))
          .array(
            [
              ...Object.entries(change.set).map(([key, value]) => ({ key, value, remove: false })),
              ...change.remove.map((key) => ({ key, value: 0, remove: true })),
            ],
            (o, op) => o.string(op.key).float64(op.value).bool(op.remove),
          ),
      )
      .bool(false) // validate only
      .build();
    const r = new WireReader(await this.send('alter client quotas', API_ALTER_CLIENT_QUOTAS, body));
    r.int32(); // throttle time
    const refused = r
      .array(() => ({
        code: r.int16(),
        message: r.string(),
        entity: r.array(() => `${r.string()}=${r.string() ?? '<default>'}`).join(','),
      }))
      .filter((e) => e.code !== 0);
    if (refused.length > 0) {
      const first = refused[0];
      throw quotaError(
        'alter client quotas',
        first.code,
        refused.map((e) => `${e.entity}: ${e.message ?? `error ${e.code}`}`).join('; '),
      );
    }
  }

  disconnect(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private async send(operation: string, apiKey: number, body: Buffer): Promise<Buffer> {
    try {
      const connection = await this.connect();
      return await connection.request(apiKey, 0, body);
    } catch (err) {
      if (err instanceof KafkaOperationError) throw err;
      this.disconnect();
      // Connection trouble (broker restarting, network): the caller backs off and retries.
      throw new KafkaOperationError(
        operation,
        err instanceof Error ? err.message : String(err),
        true,
        undefined,
        {
          cause: err,
        },
      );
    }
  }

  private async connect(): Promise<KafkaWireConnection> {
    if (this.connection?.isOpen) return this.connection;
    let last: unknown;
    for (const endpoint of this.endpoints) {
      try {
        this.connection = await KafkaWireConnection.open(endpoint, this.clientId, 5_000);
        return this.connection;
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new Error('no broker to connect to');
  }
}

function quotaError(operation: string, code: number, message: string | null): KafkaOperationError {
  return new KafkaOperationError(
    operation,
    message ?? `error code ${code}`,
    RETRIABLE_CODES.has(code),
    `ERROR_CODE_${code}`,
  );
}
