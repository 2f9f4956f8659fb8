import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Kafka from 'node-rdkafka';
import { LineBatch } from './line-batch.types';
import { loadNativeProducer } from './native-producer.binding';
import { loadEdgeConfig } from './edge-config.loader';
import { flatProperties, producerConfig } from './rdkafka-config.factory';

// No broker: librdkafka queues what it is given, so the queue bound can be shown on its own.
const NOWHERE = ['bootstrap.servers', '127.0.0.1:9', 'log_level', '0'];

describe('native producer addon', () => {
  const native = loadNativeProducer();

  it('binds to the librdkafka that node-rdkafka ships (one copy in the process)', () => {
    assert.equal(native.librdkafkaVersion, Kafka.librdkafkaVersion);
  });

  it('rejects an unknown or invalid librdkafka property with librdkafka’s own words', () => {
    assert.throws(
      () => native.create([...NOWHERE, 'no.such.property', '1']),
      /No such configuration property/,
    );
    assert.throws(() => native.create([...NOWHERE, 'linger.ms', 'soon']), /Invalid value/);
    assert.throws(() => native.create(['odd']), /key, value/);
  });

  it('accepts the edge producer’s whole configuration, as librdkafka checks it', () => {
    const command = loadEdgeConfig(['--brokers', '127.0.0.1:9', '-X', 'log_level=0'], {}, 'node-1');
    assert.equal(command.kind, 'run');
    if (command.kind !== 'run') return;
    const props = producerConfig(command.config);
    assert.equal(props['message.timeout.ms'], 0, 'queued lines never expire');
    assert.equal(props['enable.idempotence'], true);
    native.close(native.create(flatProperties(props)));
  });

  it('takes lines until the queue is full and says where it stopped', () => {
    const p = native.create([...NOWHERE, 'queue.buffering.max.messages', '3']);
    try {
      native.addTopic(p, 'cdn-logs.a');
      native.addTopic(p, 'cdn-logs.b');
      const buf = Buffer.from('one two three four five');
      const batch = new LineBatch(8);
      for (const [slot, start, end] of [
        [0, 0, 3],
        [1, 4, 7],
        [0, 8, 13],
        [1, 14, 18],
        [0, 19, 23],
      ]) {
        batch.push(buf, slot, start, end);
      }
      const key = Buffer.from('node');
      assert.equal(native.produce(p, buf, batch.slots, batch.starts, batch.ends, 0, 5, key), 3);
      assert.equal(native.produce(p, buf, batch.slots, batch.starts, batch.ends, 3, 5, key), 3);
      // Nothing was refused: the lines after the third were left for a later call.
      assert.equal(native.takeEvents(p).refused, 0);
    } finally {
      native.close(p);
    }
  });

  it('refuses lines outside their buffer or with an unknown slot, and a closed producer', () => {
    const p = native.create(flatProperties({ 'bootstrap.servers': '127.0.0.1:9', log_level: 0 }));
    native.addTopic(p, 'cdn-logs.a');
    const buf = Buffer.from('abc');
    const key = Buffer.alloc(0);
    const arrays = (slot: number, start: number, end: number) =>
      [Uint32Array.of(slot), Uint32Array.of(start), Uint32Array.of(end)] as const;
    assert.throws(() => native.produce(p, buf, ...arrays(0, 1, 4), 0, 1, key), RangeError);
    assert.throws(() => native.produce(p, buf, ...arrays(1, 0, 1), 0, 1, key), RangeError);
    assert.throws(() => native.produce(p, buf, ...arrays(0, 0, 1), 0, 2, key), /bad arguments/);
    native.close(p);
    assert.throws(() => native.outqLen(p), /closed/);
  });

  it('refuses a property value, name or topic name too long for its buffer instead of cutting it', () => {
    const long = 'x'.repeat(8192);
    assert.throws(
      () => native.create([...NOWHERE, 'ssl.ca.location', long]),
      (err: Error & { code?: string }) =>
        err.code === 'ERR__INVALID_ARG' &&
        /the value of ssl\.ca\.location is 8192 bytes long; at most 8191/.test(err.message),
    );
    assert.throws(() => native.create([...NOWHERE, 'k'.repeat(300), '1']), /property name is 300/);
    // One byte less fits, and librdkafka itself judges the value.
    native.close(native.create([...NOWHERE, 'client.id', 'c'.repeat(8191)]));
    const p = native.create(NOWHERE);
    try {
      assert.throws(() => native.addTopic(p, `cdn-logs.${'t'.repeat(260)}`), /topic name is 269/);
    } finally {
      native.close(p);
    }
  });

  it('close() during a flush releases the client only after the flush has called back', async () => {
    const p = native.create([...NOWHERE, 'linger.ms', '0']);
    native.addTopic(p, 'cdn-logs.a');
    const buf = Buffer.from('line');
    const key = Buffer.alloc(0);
    assert.equal(
      native.produce(p, buf, Uint32Array.of(0), Uint32Array.of(0), Uint32Array.of(4), 0, 1, key),
      1,
    );
    // No broker: the flush runs (on a worker thread, inside librdkafka) until its timeout.
    const flushed = new Promise<string | null>((resolve) => native.flush(p, 400, resolve));
    native.close(p);
    assert.throws(() => native.outqLen(p), /closed/, 'closed at once for the JS side');
    const error = await flushed;
    assert.match(String(error), /timed out/i, 'the flush ran to its end on a live client');
    assert.throws(() => native.poll(p), /closed/);
  });
});
