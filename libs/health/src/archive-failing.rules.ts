import type { AlertCondition, AlertFacts, AlertRule } from './alert-rules.registry';

/** A threshold left out: five minutes, long enough for a store's restart or a deploy. */
export const ARCHIVE_FAILING_DEFAULT_SECONDS = 300;
/** At most Kafka's default retention: past it the lines are lost anyway (lines-lost tells). */
export const ARCHIVE_FAILING_MAX_SECONDS = 7 * 86_400;

export function archiveFailingProblem(rule: AlertRule): string | undefined {
  const extra = Object.keys(rule).filter((k) => k !== 'type' && k !== 'seconds');
  if (extra.length > 0) return `rule "${rule.type}" has unknown fields: ${extra.join(', ')}`;
  const v = rule.seconds;
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > ARCHIVE_FAILING_MAX_SECONDS) {
    return `rule "${rule.type}" takes "seconds", a whole number from 1 to ${ARCHIVE_FAILING_MAX_SECONDS} (default ${ARCHIVE_FAILING_DEFAULT_SECONDS})`;
  }
  return undefined;
}

/**
 * Fires while the archive has been `failing` or `failed` for at least the threshold, since the
 * first failed attempt of the outage. Any other state resolves it: `active`/`catching_up`
 * (delivering again), `unverified` (a new destination), `stopped` (the customer does not
 * stream), and an archive that was deleted.
 */
export function archiveFailingConditions(
  rule: AlertRule,
  facts: AlertFacts,
  nowMs: number,
): AlertCondition[] {
  const seconds = typeof rule.seconds === 'number' ? rule.seconds : ARCHIVE_FAILING_DEFAULT_SECONDS;
  const a = facts.archive;
  if (!a) {
    return [
      { subject: 'archive', firing: false, details: { state: null, configured: false, seconds } },
    ];
  }
  const failing = a.state === 'failing' || a.state === 'failed';
  const since = failing && a.failingSince ? a.failingSince.getTime() : null;
  return [
    {
      subject: 'archive',
      firing: since !== null && nowMs - since >= seconds * 1000,
      details: {
        state: a.state,
        summary: a.summary,
        lastError: a.lastError,
        behindSeconds: a.behindSeconds,
        failingSince: since === null ? null : new Date(since).toISOString(),
        seconds,
      },
    },
  ];
}
