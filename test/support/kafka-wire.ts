import { KafkaWireConnection as WireConnection, WireReader, WireWriter } from '@logstream/kafka';

/**
 * A few Kafka requests written by hand on a raw TLS connection, for isolation tests that act
 * as an attacker would: straight to the broker, skipping every check a client library makes
 * on its side (metadata first, coordinator lookup), so what answers is the broker's own
 * authorizer. Old, fixed-layout versions (still served by Kafka 3.9) keep the encoding short.
 */

/** The protocol error codes these tests expect (Kafka's `Errors` enum). */
const ERROR_NAMES: Record<number, string> = {
  0: 'NONE',
  3: 'UNKNOWN_TOPIC_OR_PARTITION',
  15: 'COORDINATOR_NOT_AVAILABLE',
  16: 'NOT_COORDINATOR',
  25: 'UNKNOWN_MEMBER_ID',
  29: 'TOPIC_AUTHORIZATION_FAILED',
  30: 'GROUP_AUTHORIZATION_FAILED',
  31: 'CLUSTER_AUTHORIZATION_FAILED',
};

export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `ERROR_CODE_${code}`;
}

const API_FETCH = 1;
const API_OFFSET_COMMIT = 8;
const API_JOIN_GROUP = 11;

export interface WireTls {
  host: string;
  port: number;
  ca: string;
  cert: string;
  key: string;
}

/** One TLS connection to one broker with the given client certificate. */
export class KafkaWireConnection {
  private constructor(private readonly wire: WireConnection) {}

  static async open(tls: WireTls, timeoutMs = 10_000): Promise<KafkaWireConnection> {
    const { host, port, ca, cert, key } = tls;
    const wire = await WireConnection.open(
      { host, port, tls: { ca, cert, key } },
      'logstream-isolation-test',
      timeoutMs,
    );
    return new KafkaWireConnection(wire);
  }

  close(): void {
    this.wire.close();
  }

  /** Fetch v4 of one partition: the broker's error code and the record bytes it sent. */
  async fetch(
    topic: string,
    partition: number,
    offset = 0n,
  ): Promise<{ error: string; records: Buffer }> {
    const body = new WireWriter()
      .int32(-1) // replica id: a consumer
      .int32(100) // max wait ms
      .int32(1) // min bytes
      .int32(1_048_576) // max bytes
      .int8(0) // read uncommitted
      .array([topic], (w, t) =>
        w.string(t).array([partition], (p, i) => p.int32(i).int64(offset).int32(1_048_576)),
      )
      .build();
    const r = new WireReader(await this.request(API_FETCH, 4, body));
    r.int32(); // throttle time
    const found = r.array(() => {
      const name = r.string();
      const partitions = r.array(() => {
        r.int32(); // partition
        const error = r.int16();
        r.int64(); // high watermark
        r.int64(); // last stable offset
        r.array(() => [r.int64(), r.int64()]); // aborted transactions
        return { error: errorName(error), records: r.bytes() ?? Buffer.alloc(0) };
      });
      return { name, partitions };
    });
    const result = found.find((t) => t.name === topic)?.partitions[0];
    if (!result) throw new Error(`fetch response without ${topic}`);
    return result;
  }

  /**
   * OffsetCommit v2 sent straight to this broker, without asking for the group's coordinator
   * first (that lookup is where clients would stop). Returns the partition's error.
   */
  async commitOffset(
    groupId: string,
    topic: string,
    partition: number,
    offset: bigint,
  ): Promise<string> {
    const body = new WireWriter()
      .string(groupId)
      .int32(-1) // generation: a "simple" commit, no group membership
      .string('')
      .int64(-1n) // retention: the broker's default
      .array([topic], (w, t) =>
        w.string(t).array([partition], (p, i) => p.int32(i).int64(offset).string(null)),
      )
      .build();
    const r = new WireReader(await this.request(API_OFFSET_COMMIT, 2, body));
    const topics = r.array(() => ({
      name: r.string(),
      errors: r.array(() => {
        r.int32();
        return errorName(r.int16());
      }),
    }));
    const errors = topics.find((t) => t.name === topic)?.errors ?? [];
    if (errors.length !== 1) throw new Error(`commit response: ${JSON.stringify(topics)}`);
    return errors[0];
  }

  /** JoinGroup v0 as a consumer; returns the broker's error for the join. */
  async joinGroup(groupId: string, topic: string): Promise<string> {
    // Consumer protocol subscription v0: version, topics, user data.
    const subscription = new WireWriter()
      .int16(0)
      .array([topic], (w, t) => w.string(t))
      .bytes(Buffer.alloc(0))
      .build();
    const body = new WireWriter()
      .string(groupId)
      .int32(10_000) // session timeout ms
      .string('') // a new member
      .string('consumer')
      .array(['range'], (w, name) => w.string(name).bytes(subscription))
      .build();
    const r = new WireReader(await this.request(API_JOIN_GROUP, 0, body));
    return errorName(r.int16());
  }

  private request(apiKey: number, version: number, body: Buffer): Promise<Buffer> {
    return this.wire.request(apiKey, version, body);
  }
}

/** Kafka's compression codecs, by the number in a record batch's attributes (bits 0-2). */
const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * The compression of each record batch in Fetch's record bytes (magic 2 layout: baseOffset,
 * batchLength, partitionLeaderEpoch, magic, crc, then attributes at byte 21). A batch the
 * broker cut off at the size limit is left out.
 */
export function batchCompressions(records: Buffer): string[] {
  const found: string[] = [];
  for (let at = 0; at + 23 <= records.length;) {
    const end = at + 12 + records.readInt32BE(at + 8);
    if (end > records.length) break;
    const codec = records.readInt16BE(at + 21) & 0x07;
    found.push(COMPRESSION_NAMES[codec] ?? `codec-${codec}`);
    at = end;
  }
  return found;
}
