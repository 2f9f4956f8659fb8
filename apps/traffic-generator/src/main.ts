import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '@logstream/config';
import { createLogger, runMain } from '@logstream/observability';
import { trafficSource } from '@logstream/traffic';

const HELP = `Usage: traffic-generator [options]

Writes synthetic CDN access-log lines to stdout, as an edge node ships them:
"<customerId> <combined log line> <edge time in ms>", Zipf-spread over customers.

Options:
  --customers a,b,c       customer ids, busiest first (default: --customer-count generated ids)
  --customer-count N      generate ids <prefix>0..<prefix>N-1 (default 10)
  --customer-prefix P     prefix of generated ids (default "cust-")
  --rate N                lines per second; 0 = as fast as the reader takes them (default 100)
  --count N               stop after N lines; 0 = run until interrupted (default 0)
  --zipf S                Zipf exponent of the spread over customers (default 1.1)
  --unknown-share F       share of lines for unknown customer ids, 0..1 (default 0)
  --seed N                random seed, for reproducible traffic (default 1)
  --help                  this text
`;

interface Options {
  customers: string[];
  rate: number;
  count: number;
  zipf: number;
  unknownShare: number;
  seed: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      customers: { type: 'string' },
      'customer-count': { type: 'string', default: '10' },
      'customer-prefix': { type: 'string', default: 'cust-' },
      rate: { type: 'string', default: '100' },
      count: { type: 'string', default: '0' },
      zipf: { type: 'string', default: '1.1' },
      'unknown-share': { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const problems: string[] = [];
  const num = (name: string, raw: string, min: number, max: number, integer: boolean): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      problems.push(
        `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
      );
    }
    return v;
  };
  const count = num('customer-count', values['customer-count'], 1, 1_000_000, true);
  const customers = values.customers
    ? values.customers
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Array.from(
        { length: Number.isInteger(count) ? count : 0 },
        (_, i) => `${values['customer-prefix']}${i}`,
      );
  if (customers.length === 0) problems.push('--customers must name at least one id');
  const options: Options = {
    customers,
    rate: num('rate', values.rate, 0, 10_000_000, false),
    count: num('count', values.count, 0, Number.MAX_SAFE_INTEGER, true),
    zipf: num('zipf', values.zipf, 0, 10, false),
    unknownShare: num('unknown-share', values['unknown-share'], 0, 1, false),
    seed: num('seed', values.seed, 0, 2 ** 32 - 1, true),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}

const logger = createLogger({ app: 'traffic-generator' });

async function main(signal: AbortSignal, argv: readonly string[]): Promise<void> {
  const options = parseOptions([...argv]);
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const next = trafficSource({ ...options });
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // The reader went away (e.g. `| head`): that is the end of the traffic, not a failure.
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  const tickMs = 10;
  const perTick = options.rate > 0 ? options.rate / (1000 / tickMs) : 1000;
  let written = 0;
  let credit = 0;
  let lastReport = Date.now();
  const started = Date.now();
  while (!signal.aborted && (options.count === 0 || written < options.count)) {
    credit += perTick;
    const lines: string[] = [];
    const now = Date.now();
    while (credit >= 1 && (options.count === 0 || written + lines.length < options.count)) {
      lines.push(next(now));
      credit -= 1;
    }
    written += lines.length;
    if (lines.length > 0 && !process.stdout.write(`${lines.join('\n')}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
    if (options.rate > 0) {
      // Sleep to the next tick on the wall clock, so the rate holds however long writing took.
      const target = started + Math.ceil((Date.now() - started + 1) / tickMs) * tickMs;
      await sleep(Math.max(0, target - Date.now()));
    } else if (lines.length > 0) {
      await new Promise((r) => setImmediate(r));
    }
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      logger.info('progress', { written });
    }
  }
  logger.info('done', { written });
}

runMain({ app: 'traffic-generator' }, (ctx) => main(ctx.signal, ctx.argv));
