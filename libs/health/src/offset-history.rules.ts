/**
 * Recorded (high watermark, time) points of one partition, oldest first. A point is added
 * only when the watermark moved, so an idle partition costs nothing; the oldest half is
 * thinned when the list is full, which keeps recent history exact and old history coarse.
 */
export interface OffsetPoint {
  /** The high watermark observed: lines 0 .. offset-1 existed at `timeMs`. */
  offset: number;
  timeMs: number;
}

export const DEFAULT_MAX_POINTS = 720;

export function recordPoint(
  points: OffsetPoint[],
  point: OffsetPoint,
  maxPoints = DEFAULT_MAX_POINTS,
): void {
  const last = points[points.length - 1];
  if (last && point.offset < last.offset) {
    // The topic was recreated (watermark went back): the old history says nothing any more.
    points.length = 0;
  } else if (last && point.offset === last.offset) {
    return;
  }
  points.push(point);
  if (points.length > maxPoints) thin(points);
}

/** Drops every second point of the older half (the first and the newest half stay). */
function thin(points: OffsetPoint[]): void {
  const half = Math.floor(points.length / 2);
  const kept: OffsetPoint[] = [];
  for (let i = 0; i < half; i++) if (i === 0 || i % 2 === 1) kept.push(points[i]);
  points.splice(0, half, ...kept);
}

/**
 * When the line at `offset` was appended, by linear interpolation between the last point
 * that did not yet contain it and the first that did. `undefined` when the history does not
 * reach back that far (the line is older than the first point); `exact: false` then means
 * the first point's time is only an upper bound.
 */
export function timeOfOffset(
  points: readonly OffsetPoint[],
  offset: number,
): { timeMs: number; exact: boolean } | undefined {
  if (points.length === 0) return undefined;
  // Binary search: the first point whose watermark is above `offset` (contains the line).
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].offset > offset) hi = mid;
    else lo = mid + 1;
  }
  if (lo === points.length) return undefined; // not produced yet
  if (lo === 0) return { timeMs: points[0].timeMs, exact: false };
  const before = points[lo - 1];
  const after = points[lo];
  const share = (offset + 1 - before.offset) / (after.offset - before.offset);
  return { timeMs: before.timeMs + share * (after.timeMs - before.timeMs), exact: true };
}
