import type { TopEntry } from '@logstream/stats';
import { formatBytes, formatCount } from '../format.rules';
import { type Html, html } from '../html.rules';
import type { TrafficModel } from '../panel.types';
import { CHARTED_CLASSES } from '../panel-models.factory';
import { lineChart } from './chart.view';
import { customerPath, pollAttributes } from './paths.rules';

const LAST_HOUR = { startLabel: '1 h ago', endLabel: 'now' };
const LIST_TITLES = { hosts: 'Top hosts', paths: 'Top paths' } as const;

function share(part: number, total: number): string {
  if (total === 0 || part === 0) return '0%';
  const pct = (part / total) * 100;
  return pct > 0 && pct < 0.1 ? '<0.1%' : `${pct.toFixed(1)}%`;
}

function topList(id: keyof typeof LIST_TITLES, entries: readonly TopEntry[]): Html {
  return html`<div class="top-list">
    <h3 id="traffic-${id}-title">${LIST_TITLES[id]}</h3>
    ${
      entries.length === 0
        ? html`<p class="muted">none yet</p>`
        : html`<ol id="traffic-${id}" aria-labelledby="traffic-${id}-title">
            ${entries.map(
              (e) =>
                html`<li>
                  <code class="wrap">${e.key}</code>
                  <span class="count">${formatCount(e.count)}</span>
                </li>`,
            )}
          </ol>`
    }
  </div>`;
}

/**
 * Traffic statistics of the last hour, from the aggregator's rollups (GET …/stats and
 * …/stats/top): requests, bytes, visitors, status classes, requests per minute, top hosts and
 * paths. Counts in top lists are upper bounds (the sketch's), as the API says.
 */
export function trafficBlock(m: TrafficModel): Html {
  const t = m.totals;
  return html`<div
    id="traffic-block"
    class="block"
    ${pollAttributes(`${customerPath(m.customerId)}/stats`, m.pollSeconds)}
  >
    <p class="muted">Last hour, counted from your log lines (late lines included).</p>
    <dl class="tiles">
      <div>
        <dt>Requests</dt>
        <dd id="traffic-requests">${formatCount(t.requests)}</dd>
      </div>
      <div>
        <dt>Bytes sent</dt>
        <dd id="traffic-bytes">${formatBytes(t.bytes)}</dd>
      </div>
      <div>
        <dt>Visitors, busiest minute</dt>
        <dd id="traffic-visitors">${formatCount(t.uniqueVisitors)}</dd>
      </div>
      ${CHARTED_CLASSES.map(
        (c) =>
          html`<div>
            <dt>${c}</dt>
            <dd id="traffic-${c}">${share(t.statusClass[c], t.requests)}</dd>
          </div>`,
      )}
    </dl>
    ${lineChart({
      id: 'traffic-chart',
      label: `Requests per minute by status class over the last hour; ${formatCount(t.requests)} in all`,
      series: CHARTED_CLASSES.map((c) => ({ name: c, points: m.requestsByClass[c] })),
      formatValue: (v) => `${formatCount(v)} requests/min`,
      ...LAST_HOUR,
    })}
    <div class="chart-pair">
      ${lineChart({
        id: 'traffic-bytes-chart',
        label: `Bytes sent per minute over the last hour; ${formatBytes(t.bytes)} in all`,
        series: [{ name: 'bytes', points: m.bytes }],
        formatValue: (v) => `${formatBytes(v)}/min`,
        ...LAST_HOUR,
      })}
      ${lineChart({
        id: 'traffic-visitors-chart',
        label: 'Unique visitors per minute over the last hour',
        series: [{ name: 'visitors', points: m.visitors }],
        formatValue: (v) => `${formatCount(v)} visitors/min`,
        ...LAST_HOUR,
      })}
    </div>
    <div class="top-lists">${topList('hosts', m.hosts)} ${topList('paths', m.paths)}</div>
  </div>`;
}
