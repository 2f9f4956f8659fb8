import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEdgeConfig } from './edge-config.loader';
import { EDGE_OPTIONS, type EdgeConfig, queueBoundsForBudget } from './edge-config.types';

function load(argv: string[]): EdgeConfig {
  const command = loadEdgeConfig(argv, {}, 'node-1');
  assert.equal(command.kind, 'run');
  return (command as { config: EdgeConfig }).config;
}

describe('edge configuration defaults and the memory budget', () => {
  it('uses the defaults --help shows (one source)', () => {
    const c = load([]);
    assert.equal(c.kafka.lingerMs, EDGE_OPTIONS.lingerMs.default);
    assert.equal(c.kafka.batchBytes, EDGE_OPTIONS.batchBytes.default);
    assert.equal(c.maxLineBytes, EDGE_OPTIONS.maxLineBytes.default);
    assert.equal(c.shutdownTimeoutMs, EDGE_OPTIONS.shutdownTimeoutS.default * 1000);
    assert.equal(c.kafka.clientId, 'logstream-edge@node-1');
    assert.equal(c.nodeId, 'node-1');
    assert.equal(c.memoryBudgetMb, EDGE_OPTIONS.memoryBudgetMb.default);
  });

  it('sizes the librdkafka queue from the budget unless a bound is given', () => {
    const c = load(['--memory-budget-mb', '160']);
    // (160 − 64 base − 1.25 reader) / 2 = 47.375 MiB.
    assert.equal(c.kafka.queueMaxKbytes, 48_512);
    assert.deepEqual(queueBoundsForBudget(160, 1048576), {
      queueMaxKbytes: c.kafka.queueMaxKbytes,
      queueMaxMessages: c.kafka.queueMaxMessages,
    });
    assert.ok(load(['--memory-budget-mb', '400']).kafka.queueMaxKbytes > c.kafka.queueMaxKbytes);
    const explicit = load(['--queue-max-mbytes', '512', '--queue-max-messages', '5000']);
    assert.equal(explicit.kafka.queueMaxKbytes, 512 * 1024);
    assert.equal(explicit.kafka.queueMaxMessages, 5000);
    assert.throws(() => loadEdgeConfig(['--memory-budget-mb', '50'], {}, 'n'), /memory-budget-mb/);
  });

  it('spools only with --spool-dir, never for a file source, with the budget checked', () => {
    assert.equal(load([]).spool, undefined, 'no spool dir: a full queue pauses reading');
    const c = load(['--source', 'exec:varnishncsa', '--spool-dir', '/tmp/edge-spool']);
    assert.deepEqual(c.spool, {
      dir: '/tmp/edge-spool',
      maxBytes: EDGE_OPTIONS.spoolMaxBytes.default,
      segmentBytes: 16 * 1048576,
      fsyncMs: 1000,
    });
    const small = load(['--spool-dir', '/tmp/s', '--spool-max-bytes', '1048576']);
    assert.equal(small.spool?.segmentBytes, 128 * 1024, 'an eighth of a small budget');
    assert.throws(
      () => loadEdgeConfig(['--source', 'file:/tmp/x.log', '--spool-dir', '/tmp/s'], {}, 'n'),
      /file: source never spools/,
    );
    assert.throws(() => loadEdgeConfig(['--spool-max-bytes', '5000000'], {}, 'n'), /--spool-dir/);
    assert.throws(
      () => loadEdgeConfig(['--spool-dir', '/tmp/s', '--spool-max-bytes', '1000'], {}, 'n'),
      /spool-max-bytes/,
    );
  });
});
