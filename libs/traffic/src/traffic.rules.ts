/**
 * Synthetic CDN traffic: access-log lines in the combined format that varnishncsa writes,
 * prefixed with the customer id as edge nodes ship them, spread over customers the way real
 * CDN traffic is (a few customers send most of it: Zipf).
 */

/** Small, fast, seedable PRNG (mulberry32), so generated traffic is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws indexes 0..n-1 with P(k) proportional to 1/(k+1)^s. */
export class ZipfSampler {
  private readonly cdf: Float64Array;

  constructor(n: number, s: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Zipf needs at least one item, got ${n}`);
    if (!(s >= 0)) throw new Error(`Zipf exponent must be >= 0, got ${s}`);
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += 1 / (k + 1) ** s;
      this.cdf[k] = total;
    }
    for (let k = 0; k < n; k++) this.cdf[k] /= total;
  }

  sample(u: number): number {
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST'];
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 206, 304, 304, 301, 404, 403, 500, 503];
const PATHS = [
  '/',
  '/index.html',
  '/assets/app.js',
  '/assets/app.css',
  '/images/hero.jpg',
  '/images/logo.svg',
  '/video/intro/seg-00042.ts',
  '/video/intro/playlist.m3u8',
  '/api/v2/items?page=2',
  '/fonts/inter-var.woff2',
  '/downloads/installer-4.2.1.dmg',
  '/favicon.ico',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 19_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0',
  'curl/8.14.1',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
];
// Hosts of a customer's sites, weighted like PATHS (the first is the busiest).
const HOST_LABELS = ['www', 'www', 'www', 'static', 'static', 'img', 'api', 'downloads'];
const REFERERS = ['-', 'https://www.example.com/', 'https://search.example.org/?q=cdn', '-'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pick<T>(list: readonly T[], u: number): T {
  return list[Math.floor(u * list.length)];
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `[23/Nov/2026:14:05:09 +0000]`, as varnishncsa's %t writes it (UTC). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

/**
 * One line as the edge ships it: `<customerId> <combined log line> <ms since epoch>`. The request
 * target is absolute (`http://www.<id>.example/path`), as varnishncsa's `%r` rebuilds it from the
 * Host header, so statistics have hosts to count. The last field (varnishncsa `%{%s}t`-style, in
 * milliseconds) lets benchmarks measure end-to-end latency from the moment the edge wrote the line.
 */
export function accessLogLine(customerId: string, nowMs: number, random: () => number): string {
  const ip = `${1 + Math.floor(random() * 223)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
  const status = pick(STATUSES, random());
  const bytes = status === 304 ? 0 : Math.floor(random() * 2_000_000);
  const target = `http://${pick(HOST_LABELS, random())}.${customerId}.example${pick(PATHS, random())}`;
  return `${customerId} ${ip} - - ${clfTime(nowMs)} "${pick(METHODS, random())} ${target} HTTP/1.1" ${status} ${bytes} "${pick(REFERERS, random())}" "${pick(AGENTS, random())}" ${nowMs}`;
}

export interface TrafficOptions {
  customers: readonly string[];
  /** Zipf exponent over `customers` in the given order (the first is the busiest). */
  zipf: number;
  /** Share of lines (0..1) for ids that are not in `customers`, as edges see stray traffic. */
  unknownShare: number;
  seed: number;
}

/** A line source: each call returns the next line (without newline) for time `nowMs`. */
export function trafficSource(options: TrafficOptions): (nowMs: number) => string {
  if (options.customers.length === 0) throw new Error('traffic needs at least one customer id');
  if (!(options.unknownShare >= 0 && options.unknownShare <= 1)) {
    throw new Error(`unknown share must be between 0 and 1, got ${options.unknownShare}`);
  }
  const random = seededRandom(options.seed);
  const zipf = new ZipfSampler(options.customers.length, options.zipf);
  return (nowMs) => {
    const id =
      random() < options.unknownShare
        ? `unknown-${Math.floor(random() * 100)}`
        : options.customers[zipf.sample(random())];
    return accessLogLine(id, nowMs, random);
  };
}
