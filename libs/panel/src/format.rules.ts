const UNITS: Array<[number, string]> = [
  [24 * 3600_000, 'day'],
  [3600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** "1.2 s", "850 ms", "2 min 5 s": how long something took, for people. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** A retention period in its largest whole unit: "7 days", "36 hours". */
export function formatPeriod(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

/** "1,280,000": counts people read at a glance (one grouping for everyone). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "40.2 MB": decimal units, as object stores bill them. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${formatCount(value)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "2026-12-02 06:12 UTC": dates in one zone for everyone, so support and customer agree. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whole days from `now` until `date` (negative once past). */
export function daysUntil(date: Date, now: Date): number {
  return Math.floor((date.getTime() - now.getTime()) / (24 * 3600_000));
}

/**
 * The provisioner's lastError ("step ensure-topic: ...") in words a customer can act on. The
 * original stays visible below for support.
 */
export function explainLastError(lastError: string): string {
  const text = lastError.toLowerCase();
  if (/timeout|timed out|econnrefused|broker|not available|network|connection/.test(text)) {
    return 'The streaming platform could not reach Kafka. Nothing is needed on your side: it retries by itself within a minute. If this stays for more than 10 minutes, contact support and quote the details below.';
  }
  if (/authoriz|acl|denied|permission/.test(text)) {
    return 'Access for your credentials could not be set up. It is retried within a minute; if it stays, contact support and quote the details below.';
  }
  if (/topic/.test(text)) {
    return 'Your topic could not be set up. It is retried within a minute; if it stays, contact support and quote the details below.';
  }
  return 'Setting up streaming failed. It is retried within a minute; switching streaming off and on again also retries now. If it stays, contact support and quote the details below.';
}
