import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { HealthMetrics } from './health.metrics';

describe('health collector metrics', () => {
  it('pass promtool check metrics, with the lag exporters’ names and a customer label', async () => {
    const m = new HealthMetrics();
    const labels = { customer: 'acme', group: 'acme.archiver', topic: 'cdn-logs.acme' };
    m.groupLag.set(labels, 42);
    m.groupLagSeconds.set(labels, 3.5);
    m.groupMembers.set({ customer: 'acme', group: 'acme.archiver' }, 2);
    m.producedLines.inc({ customer: 'acme' }, 1000);
    m.lostLines.set({ customer: 'acme', group: 'acme.archiver' }, 0);
    m.edgeLines.inc({ customer: 'acme', outcome: 'inactive' }, 3);
    m.collectionSeconds.observe(0.2);
    m.collections.inc({ outcome: 'ok' });
    const text = await m.registry.metrics();
    assert.match(
      text,
      /kafka_consumergroup_group_lag\{customer="acme",group="acme.archiver",topic="cdn-logs.acme"\} 42/,
    );
    assert.match(text, /kafka_consumergroup_group_lag_seconds\{customer="acme",[^}]*\} 3.5/);
    assert.match(text, /logstream_customer_produced_lines_total\{customer="acme"\} 1000/);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(
      check.error,
      undefined,
      'promtool runs (npm run setup installs Debian prometheus)',
    );
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'no lint warnings');
  });
});
