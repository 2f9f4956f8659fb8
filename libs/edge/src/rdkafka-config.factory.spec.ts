import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEdgeConfig } from './edge-config.loader';
import type { EdgeConfig } from './edge-config.types';
import { flatProperties, producerConfig } from './rdkafka-config.factory';

function config(...argv: string[]): EdgeConfig {
  const command = loadEdgeConfig(['--metrics-listen', 'off', ...argv], {}, 'edge-1');
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.config;
}

describe('producer configuration', () => {
  it('never expires queued lines by default (a full queue pauses reading instead)', () => {
    assert.equal(producerConfig(config())['message.timeout.ms'], 0);
  });

  it('lets -X set any librdkafka property, topic-level ones included', () => {
    // The native addon sets every property on librdkafka's global configuration, where a
    // topic-level one becomes the default of every topic it opens.
    const props = producerConfig(config('-X', 'message.timeout.ms=60000', '-X', 'linger.ms=5'));
    assert.equal(props['message.timeout.ms'], '60000');
    assert.equal(props['linger.ms'], '5');
  });

  it('keeps the delivery guarantees and asks for failed deliveries only', () => {
    const props = producerConfig(config());
    assert.equal(props['enable.idempotence'], true);
    assert.equal(props.acks, 'all');
    assert.equal(props['delivery.report.only.error'], true);
    assert.equal(props.dr_cb, undefined, 'node-rdkafka options are not librdkafka properties');
  });

  it('flattens properties into the key, value list the addon takes', () => {
    assert.deepEqual(flatProperties({ a: 1, b: true, c: 'x' }), ['a', '1', 'b', 'true', 'c', 'x']);
  });
});
