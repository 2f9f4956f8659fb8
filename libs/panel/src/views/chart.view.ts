import { type Html, html } from '../html.rules';

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  value: number | null;
}

const WIDTH = 600;
const HEIGHT = 120;

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
  return segments;
}

/**
 * A line chart drawn on the server as SVG: no script, so it shows with JavaScript off and
 * under the panel's strict CSP, and every reload of its block redraws it. `label` is what a
 * screen reader hears instead of the drawing.
 */
export function lineChart(input: {
  id: string;
  label: string;
  points: readonly ChartPoint[];
  formatValue: (v: number) => string;
  startLabel: string;
  endLabel: string;
}): Html {
  const values = input.points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const max = values.length > 0 ? Math.max(...values) : 0;
  const segments = chartSegments(input.points, max);
  return html`<figure class="chart" id="${input.id}">
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
        ${segments.map(
          (s) =>
            html`<polyline class="chart-line" points="${s}" vector-effect="non-scaling-stroke" />`,
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
