import * as path from 'node:path';
import { parseArgs } from 'node:util';

/** A whole-number option of a benchmark, with its size in a full run and in a `--quick` run. */
export interface SizeOption {
  help: string;
  full: number;
  quick: number;
  min: number;
  max: number;
}

export interface BenchArgs<K extends string, P extends string = never> {
  help: boolean;
  quick: boolean;
  /** Port base of the benchmark's dedicated broker(s). */
  portBase: number;
  /** Where the results go: bench/results, or bench/results/quick for smoke runs. */
  resultsDir: string;
  sizes: Record<K, number>;
  /** The path options given, resolved; absent ones are undefined. */
  paths: Partial<Record<P, string>>;
}

export interface BenchSpec<K extends string, P extends string = never> {
  name: string;
  summary: string;
  /** Default port base; absent for benchmarks without a broker. */
  portBase?: number;
  /** What --port-base means, when not one broker's port base. */
  portBaseHelp?: string;
  sizes: Record<K, SizeOption>;
  /** Options naming a file or folder (`--baseline DIR`), with their help. */
  paths?: Record<P, string>;
}

/** The results folder of a full run; quick (smoke) runs write below it so they never replace it. */
export function defaultResultsDir(repo: string, quick: boolean): string {
  return quick ? path.join(repo, 'bench/results/quick') : path.join(repo, 'bench/results');
}

function flag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parses a benchmark's command line: `--help`, `--quick`, `--port-base P`, `--results-dir DIR`
 * and its size options (`--lines N`, ...). Throws one error listing every problem.
 */
export function parseBenchArgs<K extends string, P extends string = never>(
  argv: readonly string[],
  spec: BenchSpec<K, P>,
  repo: string,
): BenchArgs<K, P> {
  const sizeKeys = Object.keys(spec.sizes) as K[];
  const pathKeys = Object.keys(spec.paths ?? {}) as P[];
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      quick: { type: 'boolean', default: false },
      'port-base': { type: 'string' },
      'results-dir': { type: 'string' },
      ...Object.fromEntries(
        [...sizeKeys, ...pathKeys].map((k) => [flag(k), { type: 'string' as const }]),
      ),
    },
  });
  const quick = values.quick === true;
  const problems: string[] = [];
  const whole = (name: string, raw: unknown, min: number, max: number): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min || v > max) {
      problems.push(`--${name} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
    }
    return v;
  };
  const sizes = {} as Record<K, number>;
  for (const k of sizeKeys) {
    const o = spec.sizes[k];
    const raw = (values as Record<string, string | boolean | undefined>)[flag(k)];
    sizes[k] = raw === undefined ? (quick ? o.quick : o.full) : whole(flag(k), raw, o.min, o.max);
  }
  const rawPort = values['port-base'];
  const portBase =
    rawPort === undefined ? (spec.portBase ?? 0) : whole('port-base', rawPort, 1024, 65_000);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const paths: Partial<Record<P, string>> = {};
  for (const k of pathKeys) {
    const raw = (values as Record<string, string | boolean | undefined>)[flag(k)];
    if (typeof raw === 'string') paths[k] = path.resolve(raw);
  }
  const resultsDir = values['results-dir'];
  return {
    help: values.help === true,
    quick,
    portBase,
    resultsDir:
      typeof resultsDir === 'string' ? path.resolve(resultsDir) : defaultResultsDir(repo, quick),
    sizes,
    paths,
  };
}

/** The `--help` text of a benchmark. */
export function benchUsage<K extends string, P extends string = never>(
  spec: BenchSpec<K, P>,
): string {
  const rows: Array<[string, string]> = [
    ['--quick', 'small sizes for a smoke run; results go to bench/results/quick/'],
    ['--results-dir DIR', 'write the results there instead'],
  ];
  if (spec.portBase !== undefined) {
    rows.push([
      '--port-base P',
      spec.portBaseHelp ?? `port base of the dedicated broker (default ${spec.portBase})`,
    ]);
  }
  for (const [k, o] of Object.entries<SizeOption>(spec.sizes)) {
    rows.push([
      `--${flag(k)} N`,
      `${o.help} (default ${o.full.toLocaleString('en')}; --quick ${o.quick.toLocaleString('en')})`,
    ]);
  }
  for (const [k, help] of Object.entries<string>(spec.paths ?? {})) {
    rows.push([`--${flag(k)} DIR`, help]);
  }
  rows.push(['--help', 'this text']);
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    `Usage: npm run ${spec.name} [-- options]`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
  ].join('\n');
}
