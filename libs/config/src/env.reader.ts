import { ConfigError } from './config.errors';

export type Env = Readonly<Record<string, string | undefined>>;

/** One variable a loader asked for: what docs/configuration.md is generated from. */
export interface EnvRead {
  name: string;
  /** The value used when the variable is unset or empty; undefined: no default (unset). */
  fallback?: string;
  /** What a value must be, in words. */
  constraint: string;
}

let recording: Map<string, EnvRead> | undefined;

/**
 * Runs `load` and returns every variable an {@link EnvReader} was asked for meanwhile, first
 * read first (a name read twice keeps its first read). `npm run docs:config` runs every loader
 * this way, so the configuration reference is what the loaders really read.
 */
export function recordEnvReads(load: () => void): EnvRead[] {
  const outer = recording;
  recording = new Map();
  try {
    load();
    return [...recording.values()];
  } finally {
    recording = outer;
  }
}

/**
 * Reads typed values from an environment, collecting problems instead of throwing on the
 * first, so {@link EnvReader.done} can report all of them together.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private note(name: string, fallback: string | undefined, constraint: string): void {
    if (recording && !recording.has(name)) recording.set(name, { name, fallback, constraint });
  }

  string(name: string, fallback: string): string {
    this.note(name, fallback, 'text');
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  optionalString(name: string): string | undefined {
    this.note(name, undefined, 'text');
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    this.note(name, String(fallback), `whole number, ${min} to ${max}`);
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    this.note(name, String(fallback), 'true or false (also 1/0, yes/no, on/off)');
    const raw = this.env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${this.env[name]}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    this.note(name, fallback, `one of ${allowed.join(', ')}`);
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  /** Comma-separated host:port list. */
  brokers(name: string, fallback: string): string[] {
    this.note(name, fallback, 'comma-separated host:port list');
    const list = this.string(name, fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
    if (list.length === 0 || bad.length > 0) {
      this.problems.push(
        `${name} must be a comma-separated list of host:port, got "${this.env[name]}"`,
      );
    }
    return list;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    this.note(name, fallback, `${protocols.map((p) => p.replace(/:$/, '')).join(' or ')} URL`);
    const raw = this.string(name, fallback);
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${raw}"`);
      }
    } catch {
      this.problems.push(`${name} must be a URL, got "${raw}"`);
    }
    return raw;
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws a {@link ConfigError} naming every problem seen, or returns `value`. */
  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return value;
  }
}
