import type { RollupView } from './stats-query.rules';

/**
 * What the alert rules need, over the one-minute rollups of a time window (pass the rows of the
 * last W minutes). Pure functions: the alert registry (issue #14) evaluates them on its schedule.
 */

export interface AbusiveIp {
  ip: string;
  /** At least this many 4xx responses in the window (Space-Saving lower bound). */
  atLeast: number;
  /** At most this many. */
  atMost: number;
}

/** "An IP with at least N 4xx in W": IPs whose 4xx count is surely >= n (lower bounds added). */
export function ipsWithAtLeast4xx(rows: readonly RollupView[], n: number): AbusiveIp[] {
  const totals = new Map<string, AbusiveIp>();
  for (const r of rows) {
    for (const e of r.top.clientIps4xx?.entries ?? []) {
      const t = totals.get(e.key) ?? { ip: e.key, atLeast: 0, atMost: 0 };
      t.atLeast += e.count - e.error;
      t.atMost += e.count;
      totals.set(e.key, t);
    }
  }
  return [...totals.values()].filter((t) => t.atLeast >= n).sort((a, b) => b.atLeast - a.atLeast);
}

export interface ServerErrorShare {
  requests: number;
  serverErrors: number;
  /** 5xx / requests in percent (0 when there were no requests). */
  percent: number;
}

/** "5xx share over X%": exact, from the counts. */
export function serverErrorShare(rows: readonly RollupView[]): ServerErrorShare {
  let requests = 0;
  let serverErrors = 0;
  for (const r of rows) {
    requests += r.requests;
    serverErrors += r.statusClass['5xx'] ?? 0;
  }
  return { requests, serverErrors, percent: requests === 0 ? 0 : (100 * serverErrors) / requests };
}

export function serverErrorShareOver(rows: readonly RollupView[], percent: number): boolean {
  const share = serverErrorShare(rows);
  return share.requests > 0 && share.percent > percent;
}
