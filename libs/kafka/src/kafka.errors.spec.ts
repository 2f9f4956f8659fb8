import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSAggregateError, KafkaJSProtocolError } from 'kafkajs';
import { toKafkaOperationError } from './kafka.errors';

/**
 * A protocol error as kafkajs builds it from a broker's error code (its typings only admit the
 * message, its constructor reads type and retriable from the decoded error).
 */
function protocolError(type: string, retriable: boolean): KafkaJSProtocolError {
  const decoded = { type, code: 0, message: `${type} from the broker`, retriable };
  return new KafkaJSProtocolError(decoded as unknown as Error);
}

describe('toKafkaOperationError', () => {
  it('keeps the code and verdict of a protocol error', () => {
    const err = toKafkaOperationError('fetch', protocolError('TOPIC_AUTHORIZATION_FAILED', false));
    assert.equal(err.code, 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(err.retriable, false);
    assert.match(err.message, /^fetch: /);
  });

  it('reads the per-topic errors kafkajs aggregates for createTopics', () => {
    const denied = new KafkaJSAggregateError('Topic creation errors', [
      protocolError('TOPIC_AUTHORIZATION_FAILED', false),
      protocolError('TOPIC_AUTHORIZATION_FAILED', false),
    ]);
    const err = toKafkaOperationError('create topic a', denied);
    assert.equal(err.code, 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(err.retriable, false);
    assert.equal(err.cause, denied);

    const transient = new KafkaJSAggregateError('Topic creation errors', [
      protocolError('REQUEST_TIMED_OUT', true),
    ]);
    assert.equal(toKafkaOperationError('create topic a', transient).retriable, true);
  });

  it('names no code when the aggregated errors disagree', () => {
    const mixed = new KafkaJSAggregateError('Topic creation errors', [
      protocolError('TOPIC_AUTHORIZATION_FAILED', false),
      protocolError('INVALID_CONFIG', false),
    ]);
    const err = toKafkaOperationError('create topics', mixed);
    assert.equal(err.code, undefined);
    assert.equal(err.retriable, false);
  });
});
