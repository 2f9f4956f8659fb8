import { type Env, EnvReader } from './env.reader';

/** The customer panel served by the control API under /panel. */
export interface PanelConfig {
  session: {
    /** A session unused for this long ends. */
    idleMs: number;
    /** A session ends this long after sign-in, however busy. */
    absoluteMs: number;
  };
  tail: {
    /** A live tail ends after this long; the customer starts a new one. */
    maxDurationMs: number;
    /** Lines per second sent to the browser; above it the tail samples (1 in N). */
    maxLinesPerSecond: number;
  };
  /** Retention of customer topics, as the provisioner sets it (shown to the customer). */
  topicRetentionMs: number;
}

export function loadPanelConfig(env: Env): PanelConfig {
  const r = new EnvReader(env);
  const idleS = r.int('LOGSTREAM_PANEL_SESSION_IDLE_S', 30 * 60, 10, 7 * 24 * 3600);
  const absoluteS = r.int('LOGSTREAM_PANEL_SESSION_MAX_S', 12 * 3600, 10, 30 * 24 * 3600);
  if (absoluteS < idleS) {
    r.problem(
      'LOGSTREAM_PANEL_SESSION_MAX_S must not be shorter than LOGSTREAM_PANEL_SESSION_IDLE_S',
    );
  }
  return r.done({
    session: { idleMs: idleS * 1000, absoluteMs: absoluteS * 1000 },
    tail: {
      maxDurationMs: r.int('LOGSTREAM_PANEL_TAIL_MAX_S', 300, 1, 3600) * 1000,
      maxLinesPerSecond: r.int('LOGSTREAM_PANEL_TAIL_MAX_LINES_PER_S', 50, 1, 10_000),
    },
    topicRetentionMs: r.int(
      'LOGSTREAM_TOPIC_RETENTION_MS',
      7 * 24 * 3600_000,
      60_000,
      365 * 24 * 3600_000,
    ),
  });
}
