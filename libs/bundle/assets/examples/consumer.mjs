#!/usr/bin/env node
// Logstream: prints the access-log lines of this bundle's customer, one per line.
// The topic, servers and group prefix come from ../client.properties; see ../README.md.
// Needs Node 18+, kafkajs and the lz4 and zstd decoders:
// "npm install kafkajs@2.2.4 lz4js@0.2.0 fzstd@0.1.1" in the bundle folder.
// Run "node examples/consumer.mjs --help" for the options.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// The unzipped bundle folder, wherever it is and wherever this script is run from.
const BUNDLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The bundle's settings: client.properties' keys, and the "#@ name=value" lines Logstream
 * writes there for the examples (Java reads those as comments).
 */
function bundleSettings() {
  let text;
  try {
    text = readFileSync(join(BUNDLE_DIR, 'client.properties'), 'utf8');
  } catch (err) {
    console.error('consumer.mjs: cannot read the bundle settings: ' + err.message);
    process.exit(1);
  }
  const settings = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.startsWith('#@ ') ? raw.slice(3) : raw;
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq < 1) continue;
    settings.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const get = (name) => {
    const value = settings.get(name);
    if (value === undefined || value === '') {
      console.error(
        'consumer.mjs: ' + name + ' is missing from ' + join(BUNDLE_DIR, 'client.properties'),
      );
      process.exit(1);
    }
    return value;
  };
  return {
    bootstrapServers: get('bootstrap.servers').split(','),
    topic: get('topic'),
    groupPrefix: get('group.prefix'),
  };
}

const SETTINGS = bundleSettings();
const TOPIC = SETTINGS.topic;
const GROUP_PREFIX = SETTINGS.groupPrefix;
const DEFAULT_GROUP = GROUP_PREFIX + 'node';

const HELP = [
  'Usage: node examples/consumer.mjs [options]',
  'Prints every access-log line of ' + TOPIC + ' on stdout, one per line, as it arrives.',
  '',
  '  --from-beginning   read again everything the topic still holds',
  '  --from-time TIME   start at the first line logged at or after TIME: ISO 8601',
  '                     (2025-01-31T12:00:00Z; without a zone, local time) or epoch milliseconds',
  '  --group ID         consumer group (default ' +
    DEFAULT_GROUP +
    '); must start with "' +
    GROUP_PREFIX +
    '"',
  '  --exit-at-end      exit once every partition is read to its end, instead of waiting',
  '  --max-messages N   exit after N lines',
  '  --topic NAME       topic to read (default ' + TOPIC + ', the only one this credential reads)',
  '  -h, --help         show this help',
  'Without --from-beginning or --from-time the group carries on where it stopped; a new',
  'group starts at the oldest line the topic holds.',
].join('\n');

function usageError(message) {
  console.error('consumer.mjs: ' + message + ' (see --help)');
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'from-beginning': { type: 'boolean' },
        'from-time': { type: 'string' },
        group: { type: 'string', default: DEFAULT_GROUP },
        'exit-at-end': { type: 'boolean' },
        'max-messages': { type: 'string' },
        topic: { type: 'string', default: TOPIC },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    usageError(err.message);
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (values['from-beginning'] && values['from-time'] !== undefined) {
    usageError('--from-beginning and --from-time exclude each other');
  }
  let fromTime;
  if (values['from-time'] !== undefined) {
    const text = values['from-time'];
    fromTime = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
    if (!Number.isFinite(fromTime)) {
      usageError(
        'cannot read the time "' +
          text +
          '": give ISO 8601 (2025-01-31T12:00:00Z) or epoch milliseconds',
      );
    }
  }
  let maxMessages;
  if (values['max-messages'] !== undefined) {
    maxMessages = Number(values['max-messages']);
    if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
      usageError('--max-messages needs a positive whole number');
    }
  }
  if (!values.group.startsWith(GROUP_PREFIX) || values.group === GROUP_PREFIX) {
    usageError('the group id must start with "' + GROUP_PREFIX + '" (got "' + values.group + '")');
  }
  return {
    fromBeginning: Boolean(values['from-beginning']),
    fromTime,
    group: values.group,
    exitAtEnd: Boolean(values['exit-at-end']),
    maxMessages,
    topic: values.topic,
  };
}

// kafkajs, with the decoders of the compressions Logstream writes (lz4 by default, zstd) plugged
// in: kafkajs itself reads gzip only. This consumer never compresses, so compress() refuses.
async function loadKafkajs() {
  let kafkajs, lz4, zstd;
  try {
    kafkajs = (await import('kafkajs')).default;
    lz4 = (await import('lz4js')).default;
    zstd = await import('fzstd');
  } catch (err) {
    console.error(
      'consumer.mjs: ' +
        err.message +
        ' (run "npm install kafkajs@2.2.4 lz4js@0.2.0 fzstd@0.1.1" in ' +
        BUNDLE_DIR +
        ')',
    );
    process.exit(1);
  }
  const asBuffer = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoderOnly = (name, decompress) => () => ({
    async compress() {
      throw new Error(name + ' compression is not needed by this consumer');
    },
    async decompress(buffer) {
      return asBuffer(decompress(buffer));
    },
  });
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  CompressionCodecs[CompressionTypes.LZ4] = decoderOnly('LZ4', (buffer) => {
    // lz4js misreads frames with block checksums (skips them at the wrong place); Kafka's
    // producers (librdkafka, Java) write none, so refuse rather than print garbage.
    if ((buffer[4] & 0x10) !== 0) {
      throw new Error('LZ4 frames with block checksums are not supported');
    }
    return lz4.decompress(buffer);
  });
  CompressionCodecs[CompressionTypes.ZSTD] = decoderOnly('ZSTD', (buffer) =>
    zstd.decompress(buffer),
  );
  return kafkajs;
}

async function main() {
  const opts = parseOptions();
  const { Kafka, logLevel } = await loadKafkajs();
  const read = (name) => readFileSync(join(BUNDLE_DIR, name), 'utf8');
  const kafka = new Kafka({
    clientId: DEFAULT_GROUP,
    brokers: SETTINGS.bootstrapServers,
    ssl: { ca: [read('ca.pem')], cert: read('client.pem'), key: read('client.key') },
    // stdout is for the log lines only; errors are reported once, below.
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
  const admin = kafka.admin();
  // A short fetch wait, so that stopping does not wait out a long poll.
  const consumer = kafka.consumer({
    groupId: opts.group,
    maxWaitTimeInMs: 1000,
    retry: { retries: 5 },
  });

  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => finish({ ok: true }));
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) finish({ ok: false, error: event.payload.error });
  });

  await admin.connect();
  // Where each partition ends now, and where this run starts reading it.
  const ends = await admin.fetchTopicOffsets(opts.topic);
  const low = new Map(ends.map((p) => [p.partition, Number(p.low)]));
  const end = new Map(ends.map((p) => [p.partition, Number(p.high)]));
  let starts;
  if (opts.fromBeginning) {
    starts = ends.map((p) => ({ partition: p.partition, offset: p.low }));
  } else if (opts.fromTime !== undefined) {
    starts = await admin.fetchTopicOffsetsByTimestamp(opts.topic, opts.fromTime);
  } else {
    const [committed] = await admin.fetchOffsets({ groupId: opts.group, topics: [opts.topic] });
    starts = committed.partitions.map(({ partition, offset }) => ({
      partition,
      // No committed position, or one the topic no longer holds: the oldest line.
      offset: String(Math.max(Number(offset), low.get(partition))),
    }));
  }
  await admin.disconnect();
  const next = new Map(starts.map((p) => [p.partition, Number(p.offset)]));

  let assigned = [];
  const caughtUp = () => assigned.length > 0 && assigned.every((p) => next.get(p) >= end.get(p));
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = event.payload.memberAssignment[opts.topic] ?? [];
    if (opts.exitAtEnd && caughtUp()) finish({ ok: true });
  });

  const newline = Buffer.from('\n');
  const print = async (value) => {
    if (!process.stdout.write(Buffer.concat([value, newline]))) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  };
  let consumed = 0;
  let stopping = false;
  await consumer.connect();
  await consumer.subscribe({ topics: [opts.topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (stopping || !isRunning() || isStale()) break;
        const offset = Number(message.offset);
        if (opts.exitAtEnd && offset >= end.get(batch.partition)) break;
        if (message.value !== null) await print(message.value);
        resolveOffset(message.offset);
        next.set(batch.partition, offset + 1);
        consumed += 1;
        if (opts.maxMessages !== undefined && consumed >= opts.maxMessages) {
          stopping = true;
          finish({ ok: true });
        }
      }
      await heartbeat();
      if (opts.exitAtEnd && caughtUp()) finish({ ok: true });
    },
  });
  if (opts.fromBeginning || opts.fromTime !== undefined) {
    for (const { partition, offset } of starts) {
      consumer.seek({ topic: opts.topic, partition, offset });
    }
  }

  const result = await finished;
  stopping = true;
  // Commits the position of what was printed, so the group carries on from there.
  await consumer.disconnect();
  if (!result.ok) throw result.error;
}

main().catch((err) => {
  console.error('consumer.mjs: ' + (err && err.message ? err.message : String(err)));
  process.exit(1);
});
