import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEdgeConfig } from './edge-config.loader';
import type { EdgeConfig } from './edge-config.types';
import { producerConfig, producerTopicConfig } from './rdkafka-config.factory';

function config(...argv: string[]): EdgeConfig {
  const command = loadEdgeConfig(['--metrics-listen', 'off', ...argv], {}, 'edge-1');
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.config;
}

describe('producer configuration', () => {
  it('never expires queued lines by default (a full queue pauses reading instead)', () => {
    assert.equal(producerTopicConfig(config())['message.timeout.ms'], 0);
  });

  it('keeps topic-level properties out of the global configuration, where node-rdkafka ignores them', () => {
    const c = config('-X', 'message.timeout.ms=60000', '-X', 'socket.timeout.ms=5000');
    const global = producerConfig(c) as Record<string, unknown>;
    assert.equal(global['message.timeout.ms'], undefined);
    assert.equal(global['socket.timeout.ms'], '5000');
    assert.equal(producerTopicConfig(c)['message.timeout.ms'], '60000');
  });

  it('takes delivery.timeout.ms (the alias) as the message timeout', () => {
    const c = config('-X', 'delivery.timeout.ms=120000');
    assert.equal(producerTopicConfig(c)['message.timeout.ms'], '120000');
    assert.equal((producerConfig(c) as Record<string, unknown>)['delivery.timeout.ms'], undefined);
  });

  it('keeps the delivery guarantees', () => {
    const global = producerConfig(config()) as Record<string, unknown>;
    assert.equal(global['enable.idempotence'], true);
    assert.equal(global.acks, 'all');
  });
});
