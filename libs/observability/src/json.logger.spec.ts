import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, errorMessage } from './json.logger';
import { FIXED_LOG_KEYS } from './log-line.types';

function capture(level?: 'debug' | 'info' | 'warn' | 'error' | 'silent') {
  const lines: string[] = [];
  const logger = createLogger({ app: 'test-app', level, sink: (l) => lines.push(l) });
  return {
    logger,
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the JSON log line schema', () => {
  it('starts every line with time, level, msg and app, then the context in order', () => {
    const { logger, lines, parsed } = capture();
    logger.child({ customer: 'acme', generation: 3 }).info('reconciled', { step: 'sync-acls' });
    assert.equal(lines.length, 1);
    const line = parsed()[0];
    assert.deepEqual(Object.keys(line), [...FIXED_LOG_KEYS, 'customer', 'generation', 'step']);
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'reconciled');
    assert.equal(line.app, 'test-app');
    assert.ok(!Number.isNaN(Date.parse(String(line.time))), 'time is an ISO timestamp');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('never lets context or fields overwrite the fixed keys', () => {
    const { logger, parsed } = capture();
    logger.child({ app: 'spoof', level: 'error' }).warn('real', { msg: 'fake', time: 'then' });
    const line = parsed()[0];
    assert.equal(line.app, 'test-app');
    assert.equal(line.level, 'warn');
    assert.equal(line.msg, 'real');
    assert.notEqual(line.time, 'then');
  });

  it('writes lines at or above the threshold only; silent writes nothing', () => {
    const warn = capture('warn');
    warn.logger.debug('d');
    warn.logger.info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    assert.deepEqual(
      warn.parsed().map((l) => l.level),
      ['warn', 'error'],
    );
    assert.equal(warn.logger.enabled('info'), false);
    const silent = capture('silent');
    silent.logger.error('e');
    assert.equal(silent.lines.length, 0);
  });

  it('writes errors as their message, bigints as text, and drops undefined fields', () => {
    const { logger, parsed } = capture();
    logger.error('failed', { error: new Error('boom'), offset: 12n, gone: undefined });
    const line = parsed()[0];
    assert.equal(line.error, 'boom');
    assert.equal(line.offset, '12');
    assert.ok(!('gone' in line));
    assert.equal(errorMessage('plain'), 'plain');
  });

  it('keeps one line per call even for messages with newlines', () => {
    const { logger, lines } = capture();
    logger.info('two\nlines', { detail: 'a\nb' });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0].includes('\n'));
  });
});
