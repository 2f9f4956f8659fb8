import { type Html, html } from '../html.rules';

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  value: number | null;
}

const WIDTH = 600;
const HEIGHT = 120;
/** Width of the mark for a lone value, in chart units (1% of the width). */
const DASH = 6;

function dash(point: string): string {
  const [x, y] = point.split(',').map(Number);
  const from = Math.max(0, x - DASH / 2);
  return `${from.toFixed(1)},${y.toFixed(1)} ${Math.min(WIDTH, from + DASH).toFixed(1)},${y.toFixed(1)}`;
}

/** The polyline segments of a series: gaps (no value) split it, so a gap never looks like 0. */
export function chartSegments(points: readonly ChartPoint[], max: number): string[] {
  if (points.length === 0) return [];
  const t0 = points[0].t;
  const span = Math.max(1, points[points.length - 1].t - t0);
  const top = max > 0 ? max : 1;
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.value === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      continue;
    }
    const x = ((p.t - t0) / span) * WIDTH;
    const y = HEIGHT - (Math.min(p.value, top) / top) * HEIGHT;
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (current.length > 0) segments.push(current.join(' '));
  // A value between gaps (the first minutes of a stream) would be a line of no length: a dash.
  return segments.map((s) => (s.includes(' ') ? s : dash(s)));
}

export interface ChartSeries {
  name: string;
  points: readonly ChartPoint[];
}

/**
 * A line chart drawn on the server as SVG: no script, so it shows with JavaScript off and
 * under the panel's strict CSP, and every reload of its block redraws it. All series share one
 * scale; more than one gets a legend. `label` is what a screen reader hears instead.
 */
export function lineChart(input: {
  id: string;
  label: string;
  series: readonly ChartSeries[];
  formatValue: (v: number) => string;
  startLabel: string;
  endLabel: string;
}): Html {
  const values = input.series.flatMap((s) =>
    s.points.flatMap((p) => (p.value === null ? [] : [p.value])),
  );
  const max = values.length > 0 ? Math.max(...values) : 0;
  return html`<figure class="chart" id="${input.id}">
    ${
      input.series.length > 1
        ? html`<ul class="chart-legend" aria-hidden="true">
            ${input.series.map(
              (s, i) => html`<li><span class="swatch series-${i}"></span>${s.name}</li>`,
            )}
          </ul>`
        : ''
    }
    <div class="chart-frame">
      <span class="chart-max">${input.formatValue(max)}</span>
      <svg
        viewBox="0 0 ${WIDTH} ${HEIGHT}"
        preserveAspectRatio="none"
        role="img"
        aria-label="${input.label}"
      >
        <line
          class="chart-axis"
          x1="0"
          y1="${HEIGHT}"
          x2="${WIDTH}"
          y2="${HEIGHT}"
          vector-effect="non-scaling-stroke"
        />
        ${input.series.map((s, i) =>
          chartSegments(s.points, max).map(
            (points) =>
              html`<polyline
                class="chart-line series-${i}"
                points="${points}"
                vector-effect="non-scaling-stroke"
              />`,
          ),
        )}
      </svg>
    </div>
    <figcaption class="chart-axis-labels">
      <span>${input.startLabel}</span>
      <span>${values.length === 0 ? 'no data yet' : ''}</span>
      <span>${input.endLabel}</span>
    </figcaption>
  </figure>`;
}
