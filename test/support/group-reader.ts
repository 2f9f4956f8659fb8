import { spawn } from 'node:child_process';

/**
 * Reads `topics` from the beginning to their end in consumer group `groupId`, as a customer's
 * consumer does (group coordinator, assignment, offsets): kcat's balanced consumer, which is
 * librdkafka and so reads the edge's lz4/zstd batches (kafkajs has no lz4 codec). Returns the
 * values per topic, exact bytes, in offset order per partition. Call it after the producer has
 * flushed.
 */
export function readTopicsInGroup(
  brokers: readonly string[],
  topics: readonly string[],
  groupId: string,
  timeoutMs = 120_000,
): Promise<Map<string, Buffer[]>> {
  const args = [
    '-b',
    brokers.join(','),
    '-G',
    groupId,
    '-X',
    'auto.offset.reset=earliest',
    '-e',
    '-q',
    // "<topic> <partition> <offset> <length>:" and then exactly <length> bytes: binary-safe.
    '-f',
    '%t %p %o %S:%s',
    ...topics,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat -G ${groupId} did not reach the end in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`kcat -G ${groupId} exited ${code}: ${err}`));
      try {
        resolve(parseRecords(Buffer.concat(out), topics));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

function parseRecords(buf: Buffer, topics: readonly string[]): Map<string, Buffer[]> {
  const records: Array<{ topic: string; partition: number; offset: number; value: Buffer }> = [];
  for (let pos = 0; pos < buf.length;) {
    const colon = buf.indexOf(0x3a, pos);
    const head = buf.subarray(pos, colon).toString('latin1').split(' ');
    if (colon < 0 || head.length !== 4) throw new Error(`unexpected kcat output at byte ${pos}`);
    const length = Math.max(0, Number(head[3]));
    records.push({
      topic: head[0],
      partition: Number(head[1]),
      offset: Number(head[2]),
      value: buf.subarray(colon + 1, colon + 1 + length),
    });
    pos = colon + 1 + length;
  }
  records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const byTopic = new Map<string, Buffer[]>(topics.map((t) => [t, []]));
  for (const r of records) {
    const list = byTopic.get(r.topic) ?? [];
    list.push(r.value);
    byTopic.set(r.topic, list);
  }
  return byTopic;
}
