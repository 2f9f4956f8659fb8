import type { CustomerHealth, GroupHealth } from '@logstream/health';
import { formatBytes, formatCount, formatDate, formatElapsed, formatPeriod } from '../format.rules';
import { type Html, html } from '../html.rules';
import type { HealthModel } from '../panel.types';
import { lineChart } from './chart.view';
import { customerPath, pollAttributes } from './paths.rules';

function field(label: string, value: Html | string, id: string): Html {
  return html`<div class="field">
    <dt>${label}</dt>
    <dd id="${id}">${value}</dd>
  </div>`;
}

/** "0.4", "12.5", "3,200": lines per second, precise where it is small. */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : formatCount(perSecond);
}

function ago(iso: string | null, nowMs: number): Html | string {
  if (iso === null) return 'none yet';
  const at = new Date(iso);
  return html`${formatElapsed(Math.max(0, nowMs - at.getTime()))} ago
    <span class="muted">(${formatDate(at)})</span>`;
}

function groupRow(g: GroupHealth): Html {
  const risk = g.atRisk
    ? html`<span class="warning">at risk: its oldest unread lines near the end of retention</span>`
    : 'no';
  return html`<tr data-group="${g.groupId}">
    <td data-label="Group"><code class="wrap">${g.groupId}</code></td>
    <td data-label="State">
      <span
        >${g.state}
        <span class="muted">(${g.members} member${g.members === 1 ? '' : 's'})</span></span
      >
    </td>
    <td class="lag-lines" data-label="Lag (lines)">${formatCount(g.lagLines)}</td>
    <td class="lag-seconds" data-label="Lag (time)">
      ${g.lagSeconds === null ? 'not known yet' : formatElapsed(g.lagSeconds * 1000)}
    </td>
    <td data-label="Retention risk">${risk}</td>
    <td class="lost" data-label="Lines lost">
      ${g.lostLines > 0 ? html`<span class="warning">${formatCount(g.lostLines)}</span>` : '0'}
    </td>
  </tr>`;
}

function groupsTable(m: HealthModel): Html {
  if (m.health.groups.length === 0) {
    return html`<p id="health-groups" class="muted">
      No consumer group has committed an offset yet. Groups under your prefix
      <code>${m.groupPrefix}</code> show here with how far behind they are.
    </p>`;
  }
  return html`<table class="data" id="health-groups">
    <caption class="visually-hidden">
      Your consumer groups
    </caption>
    <thead>
      <tr>
        <th scope="col">Group</th>
        <th scope="col">State</th>
        <th scope="col">Lag (lines)</th>
        <th scope="col">Lag (time)</th>
        <th scope="col">Retention risk</th>
        <th scope="col">Lines lost</th>
      </tr>
    </thead>
    <tbody>
      ${m.health.groups.map(groupRow)}
    </tbody>
  </table>`;
}

function edgeLine(m: HealthModel): Html {
  const d = m.health.edgeDrops;
  if (d.since === null) return html`not reported yet`;
  return html`${formatCount(d.routedLines)} lines (${formatBytes(d.routedBytes)}) from ${d.nodes}
  edge node${d.nodes === 1 ? '' : 's'} since ${formatDate(new Date(d.since))}; dropped:
  ${formatCount(d.inactive)} while streaming was off, ${formatCount(d.oversize)} over the line-size
  limit`;
}

function brokerLine(m: HealthModel): string {
  // Snapshots stored before the brokers were measured have no `broker`.
  const b = (m.health as Partial<CustomerHealth>).broker;
  if (!b || (b.producedBytesPerSec === null && b.fetchedBytesPerSec === null)) {
    return 'not measured yet';
  }
  const rate = (v: number | null) => (v === null ? 'unknown' : `${formatBytes(v)}/s`);
  return `${rate(b.producedBytesPerSec)} in, ${rate(b.fetchedBytesPerSec)} read by your consumers`;
}

/**
 * Delivery health, from GET /v1/customers/{id}/health and its series: what was produced, how
 * far behind each consumer group is, what is at risk or lost, what the edge dropped. It reloads
 * itself at the collector's pace.
 */
export function healthBlock(m: HealthModel): Html {
  const h = m.health;
  const bytes = h.produced.bytesPerSec === null ? '' : `, ${formatBytes(h.produced.bytesPerSec)}/s`;
  return html`<div
    id="health-block"
    class="block"
    ${pollAttributes(`${customerPath(m.customerId)}/health`, m.pollSeconds)}
  >
    <dl class="fields">
      ${field('Produced', `${formatRate(h.produced.linesPerSec)} lines/s${bytes}`, 'health-produced')}
      ${field('Newest line', ago(h.produced.lastLineAt, m.nowMs), 'health-newest')}
      ${field(
        'Oldest kept line',
        h.retention.oldestLineAt === null
          ? h.produced.lastLineAt === null
            ? 'none yet'
            : 'not known yet (the collector has not watched this topic long enough)'
          : html`${formatDate(new Date(h.retention.oldestLineAt))}
            ${
              h.retention.ms === null
                ? ''
                : html`<span class="muted">(lines are kept ${formatPeriod(h.retention.ms)})</span>`
            }`,
        'health-retention',
      )}
      ${field('At the edge', edgeLine(m), 'health-edge')}
      ${field('At the brokers', brokerLine(m), 'health-broker')}
    </dl>
    ${lineChart({
      id: 'health-chart',
      label: `Lines per second over the last 24 hours; now ${formatRate(h.produced.linesPerSec)}`,
      series: [{ name: 'lines/s', points: m.produced }],
      formatValue: (v) => `${formatRate(v)} lines/s`,
      startLabel: '24 h ago',
      endLabel: 'now',
    })}
    <h3>Consumer groups</h3>
    ${groupsTable(m)}
    <p class="muted" id="health-as-of">
      As of ${formatDate(new Date(h.asOf))}${h.lastError ? html`: ${h.lastError}` : ''}
    </p>
  </div>`;
}
