import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyRdkafkaLog } from './rdkafka-log.rules';

describe('classifyRdkafkaLog', () => {
  it('explains the coordinator-loading warning at info level', () => {
    const d = classifyRdkafkaLog({
      level: 4,
      message:
        'GETPID: Failed to acquire idempotence PID from broker 127.0.0.1:9093/1: Broker: Coordinator load in progress: retrying',
    });
    assert.equal(d.level, 'info');
    assert.match(d.msg, /none is lost/);
    assert.match(String(d.fields.librdkafka), /Coordinator load in progress/);
  });

  it('keeps every other line at its own level', () => {
    assert.equal(
      classifyRdkafkaLog({ level: 3, message: 'FAIL: connection refused' }).level,
      'error',
    );
    assert.equal(
      classifyRdkafkaLog({
        level: 4,
        message: 'GETPID: Failed to acquire idempotence PID: Broker: Not authorized',
      }).level,
      'warn',
    );
    assert.equal(classifyRdkafkaLog({ level: 6, message: 'X: y' }).level, 'info');
    assert.equal(classifyRdkafkaLog({ level: 7, message: 'X: y' }).level, 'debug');
  });
});
