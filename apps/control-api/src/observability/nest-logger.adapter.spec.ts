import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LogThreshold } from '@logstream/observability';
import { NestLoggerAdapter } from './nest-logger.adapter';

function capture(level: LogThreshold) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    app: 'control-api',
    level,
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { nest: new NestLoggerAdapter(logger), lines };
}

describe("Nest's logger on the platform logger", () => {
  it("maps Nest's calls: log(message, context) and error(message, stack, context)", () => {
    const { nest, lines } = capture('debug');
    nest.log('Mapped route', 'RouterExplorer');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    nest.verbose({ a: 1 }, 'Ctx');
    assert.deepEqual(
      lines.map((l) => [l.app, l.level, l.msg, l.context, l.stack]),
      [
        ['control-api', 'info', 'Mapped route', 'RouterExplorer', undefined],
        ['control-api', 'error', 'boom', 'ExceptionHandler', 'Error: boom\n    at x'],
        ['control-api', 'debug', '{"a":1}', 'Ctx', undefined],
      ],
    );
  });

  it('drops what is below the configured level', () => {
    const { nest, lines } = capture('warn');
    nest.log('hidden');
    nest.debug('hidden');
    nest.warn('shown');
    nest.fatal('shown too');
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['shown', 'shown too'],
    );
  });
});
