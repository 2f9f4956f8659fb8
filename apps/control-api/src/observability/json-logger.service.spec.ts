import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogger } from './json-logger.service';

function capture(level: ConstructorParameters<typeof JsonLogger>[0]) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger(level, (line) =>
    lines.push(JSON.parse(line) as Record<string, unknown>),
  );
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per event with time, level, message and fields', () => {
    const { logger, lines } = capture('debug');
    logger.event('info', 'request', { requestId: 'r1', status: 200 });
    assert.equal(lines.length, 1);
    assert.equal(lines[0].msg, 'request');
    assert.equal(lines[0].level, 'info');
    assert.equal(lines[0].requestId, 'r1');
    assert.ok(!Number.isNaN(Date.parse(lines[0].time as string)));
  });

  it("maps Nest's calls: log(message, context) and error(message, stack, context)", () => {
    const { logger, lines } = capture('debug');
    logger.log('Mapped route', 'RouterExplorer');
    logger.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    logger.verbose({ a: 1 }, 'Ctx');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.context, l.stack]),
      [
        ['info', 'Mapped route', 'RouterExplorer', undefined],
        ['error', 'boom', 'ExceptionHandler', 'Error: boom\n    at x'],
        ['debug', '{"a":1}', 'Ctx', undefined],
      ],
    );
  });

  it('drops events below its level; silent drops everything', () => {
    const warn = capture('warn');
    warn.logger.log('hidden');
    warn.logger.debug('hidden');
    warn.logger.warn('shown');
    warn.logger.event('error', 'shown too');
    assert.deepEqual(
      warn.lines.map((l) => l.msg),
      ['shown', 'shown too'],
    );
    const silent = capture('silent');
    silent.logger.error('nothing');
    assert.equal(silent.lines.length, 0);
  });
});
