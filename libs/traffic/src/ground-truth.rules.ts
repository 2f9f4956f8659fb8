import { clfTime, seededRandom, ZipfSampler } from './traffic.rules';

/**
 * Traffic whose statistics are known: each line is written from fields that are also recorded,
 * so a test can compare what the aggregator reports with what was really sent. Lines are in the
 * generator's format (combined + edge time in ms) with an absolute request target, as
 * varnishncsa's %r writes it, so the host is in the line.
 */

export interface TruthWindow {
  requests: number;
  bytes: number;
  status: Map<number, number>;
  /** Requests per client IP. */
  ips: Map<string, number>;
  /** 4xx responses per client IP. */
  ips4xx: Map<string, number>;
  hosts: Map<string, number>;
  paths: Map<string, number>;
}

const STATUSES = [200, 200, 200, 200, 200, 206, 301, 304, 403, 404, 404, 500, 503];
const PATHS = ['/', '/index.html', '/assets/app.js', '/img/a.jpg', '/video/seg-1.ts', '/api/v1'];

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function emptyTruthWindow(): TruthWindow {
  return {
    requests: 0,
    bytes: 0,
    status: new Map(),
    ips: new Map(),
    ips4xx: new Map(),
    hosts: new Map(),
    paths: new Map(),
  };
}

/** Ground truth per customer and window start (ms), for windows of `windowMs`. */
export class TrafficTruth {
  private readonly windows = new Map<string, Map<number, TruthWindow>>();

  constructor(readonly windowMs: number) {}

  add(
    customerId: string,
    timeMs: number,
    line: { ip: string; status: number; bytes: number; host: string; path: string },
  ): void {
    let perCustomer = this.windows.get(customerId);
    if (!perCustomer) this.windows.set(customerId, (perCustomer = new Map<number, TruthWindow>()));
    const start = timeMs - (timeMs % this.windowMs);
    let w = perCustomer.get(start);
    if (!w) perCustomer.set(start, (w = emptyTruthWindow()));
    w.requests++;
    w.bytes += line.bytes;
    bump(w.status, line.status);
    bump(w.ips, line.ip);
    if (line.status >= 400 && line.status < 500) bump(w.ips4xx, line.ip);
    bump(w.hosts, line.host);
    bump(w.paths, line.path);
  }

  /** Windows of one customer, by start. */
  of(customerId: string): Map<number, TruthWindow> {
    return this.windows.get(customerId) ?? new Map<number, TruthWindow>();
  }
}

export interface KnownTrafficOptions {
  seed: number;
  /** Distinct client IPs per customer, drawn Zipf (s = 1.1) so a few are heavy hitters. */
  clients: number;
  hosts: number;
}

/**
 * A line source for one customer whose every line is recorded in `truth` (both windows sizes
 * can be kept by passing several truths). Returns the line as the edge ships it:
 * `<customerId> <line>`.
 */
export function knownTrafficSource(
  customerId: string,
  options: KnownTrafficOptions,
  truths: readonly TrafficTruth[],
): (nowMs: number) => string {
  const random = seededRandom(options.seed);
  const clients = new ZipfSampler(options.clients, 1.1);
  const firstOctet = 10 + (options.seed % 200);
  const ipOf = (k: number) => `${firstOctet}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  return (nowMs) => {
    const ip = ipOf(clients.sample(random()));
    const status = STATUSES[Math.floor(random() * STATUSES.length)];
    const bytes = status === 304 ? 0 : Math.floor(random() * 100_000);
    const host = `www${Math.floor(random() ** 2 * options.hosts)}.${customerId}.example`;
    const path = PATHS[Math.floor(random() ** 1.5 * PATHS.length)];
    const query = random() < 0.3 ? `?v=${Math.floor(random() * 1000)}` : '';
    for (const t of truths) t.add(customerId, nowMs, { ip, status, bytes, host, path });
    return `${customerId} ${ip} - - ${clfTime(nowMs)} "GET http://${host}${path}${query} HTTP/1.1" ${status} ${bytes} "-" "test-agent/1.0" ${nowMs}`;
  };
}
