import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config.errors';
import { loadPanelConfig } from './panel-config.loader';

describe('loadPanelConfig', () => {
  it('has defaults: 30 min idle, 12 h at most, 5 min tails of 50 lines/s, 7 days retention', () => {
    assert.deepEqual(loadPanelConfig({}), {
      session: { idleMs: 1_800_000, absoluteMs: 43_200_000 },
      tail: { maxDurationMs: 300_000, maxLinesPerSecond: 50 },
      topicRetentionMs: 604_800_000,
    });
  });

  it('reads every setting and names each bad one', () => {
    const c = loadPanelConfig({
      LOGSTREAM_PANEL_SESSION_IDLE_S: '60',
      LOGSTREAM_PANEL_SESSION_MAX_S: '120',
      LOGSTREAM_PANEL_TAIL_MAX_S: '8',
      LOGSTREAM_PANEL_TAIL_MAX_LINES_PER_S: '20',
    });
    assert.deepEqual(c.session, { idleMs: 60_000, absoluteMs: 120_000 });
    assert.deepEqual(c.tail, { maxDurationMs: 8_000, maxLinesPerSecond: 20 });
    assert.throws(
      () =>
        loadPanelConfig({
          LOGSTREAM_PANEL_SESSION_IDLE_S: '600',
          LOGSTREAM_PANEL_SESSION_MAX_S: '60',
          LOGSTREAM_PANEL_TAIL_MAX_S: '0',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 2 &&
        err.problems.some((p) => p.includes('LOGSTREAM_PANEL_TAIL_MAX_S')) &&
        err.problems.some((p) => p.includes('must not be shorter')),
    );
  });
});
