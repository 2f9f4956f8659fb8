import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AlertFacts,
  type AlertRule,
  type ArchiveAlertFacts,
  alertRule,
  alertRuleTypes,
} from './alert-rules.registry';
import { ARCHIVE_FAILING_DEFAULT_SECONDS, archiveFailingConditions } from './archive-failing.rules';
import type { CustomerHealth } from './health.types';

const T0 = Date.parse('2026-12-02T06:00:00Z');
const ERROR =
  'cannot reach http://127.0.0.1:9000 (ECONNREFUSED); retrying, lines wait in Kafka meanwhile';

function archive(over: Partial<ArchiveAlertFacts> = {}): AlertFacts {
  return {
    archive: {
      state: 'failing',
      summary: `failing: ${ERROR}`,
      lastError: ERROR,
      behindSeconds: 42,
      failingSince: new Date(T0),
      ...over,
    },
  };
}

const rule = { type: 'archive-failing', seconds: 60 };

describe('archive-failing alert rule', () => {
  it('is registered with the other rule types', () => {
    assert.ok(alertRuleTypes().includes('archive-failing'));
    assert.ok(alertRule('archive-failing')?.description.includes('`seconds`'));
  });

  it('accepts a threshold from 1 s to 7 days, or none (the default), and nothing else', () => {
    const validate = (r: AlertRule) => alertRule('archive-failing')!.validate(r);
    assert.equal(validate({ type: 'archive-failing' }), undefined);
    assert.equal(validate({ type: 'archive-failing', seconds: 1 }), undefined);
    assert.equal(validate({ type: 'archive-failing', seconds: 604_800 }), undefined);
    for (const seconds of [0, -5, 1.5, 604_801, '60', null]) {
      assert.match(
        validate({ type: 'archive-failing', seconds }) ?? '',
        /rule "archive-failing" takes "seconds", a whole number from 1 to 604800 \(default 300\)/,
        String(seconds),
      );
    }
    assert.equal(
      validate({ type: 'archive-failing', minutes: 5 }),
      'rule "archive-failing" has unknown fields: minutes',
    );
  });

  it('fires once the archive has been failing for the threshold, not before', () => {
    const before = archiveFailingConditions(rule, archive(), T0 + 59_999);
    assert.deepEqual(
      before.map((c) => [c.subject, c.firing]),
      [['archive', false]],
    );
    const [at] = archiveFailingConditions(rule, archive(), T0 + 60_000);
    assert.equal(at.firing, true);
    assert.deepEqual(at.details, {
      state: 'failing',
      summary: `failing: ${ERROR}`,
      lastError: ERROR,
      behindSeconds: 42,
      failingSince: '2026-12-02T06:00:00.000Z',
      seconds: 60,
    });
  });

  it('counts failed (credentials, bucket) like failing', () => {
    const [c] = archiveFailingConditions(rule, archive({ state: 'failed' }), T0 + 61_000);
    assert.equal(c.firing, true);
    assert.equal(c.details.state, 'failed');
  });

  it(`waits ${ARCHIVE_FAILING_DEFAULT_SECONDS} s without a threshold`, () => {
    const r = { type: 'archive-failing' };
    assert.equal(archiveFailingConditions(r, archive(), T0 + 299_000)[0].firing, false);
    assert.equal(archiveFailingConditions(r, archive(), T0 + 300_000)[0].firing, true);
  });

  it('is resolved when delivering again, unverified, stopped, or when the archive is gone', () => {
    const late = T0 + 3600_000;
    for (const state of ['active', 'catching_up', 'unverified', 'stopped'] as const) {
      const [c] = archiveFailingConditions(rule, archive({ state, failingSince: null }), late);
      assert.equal(c.firing, false, state);
      assert.equal(c.details.state, state);
    }
    // A stale start time does not matter once the state says it is over.
    assert.equal(
      archiveFailingConditions(rule, archive({ state: 'active' }), late)[0].firing,
      false,
    );
    const [gone] = archiveFailingConditions(rule, { archive: null }, late);
    assert.deepEqual(gone, {
      subject: 'archive',
      firing: false,
      details: { state: null, configured: false, seconds: 60 },
    });
  });

  it('does not fire without a known start of the failure', () => {
    assert.equal(
      archiveFailingConditions(rule, archive({ failingSince: null }), T0 + 3600_000)[0].firing,
      false,
    );
  });

  it('is evaluated through the registry with the facts the engine read', () => {
    const health = {} as CustomerHealth;
    const conditions = alertRule('archive-failing')!.evaluate(rule, health, T0 + 60_000, archive());
    assert.equal(conditions[0].firing, true);
  });
});
