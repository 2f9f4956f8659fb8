/**
 * `npm run bench:panel`: the customer panel's routes under an open-loop load (200 req/s by
 * default), as a browser session sends them, against the built control API on a scratch
 * database. Target: p99 under 100 ms with no error.
 */
import * as http from 'node:http';
import { REPO_ROOT } from '@logstream/config';
import { startBenchApi } from '../support/bench-api.service';
import { benchUsage, parseBenchArgs, type BenchSpec } from '../support/bench-args.rules';
import { failAndExit, machineSummary, progress, publishResults } from '../support/bench-report';
import {
  type HttpTarget,
  type PlannedRequest,
  runOpenLoop,
  sendRequest,
} from '../support/open-loop.service';
import { panelMarkdown, type PanelOperation, panelReport } from './panel-report.factory';

const SPEC: BenchSpec<'customers' | 'seconds' | 'rate'> = {
  name: 'bench:panel',
  summary: `Starts the built control API as its own process on a scratch PostgreSQL database, signs
customers in to the panel, then offers an open-loop mix of panel requests (pages, the fragments
htmx polls, the streaming switch, assets) at a fixed rate. Writes panel.md and panel.json.`,
  sizes: {
    customers: { help: 'customers signed in', full: 100, quick: 20, min: 1, max: 10_000 },
    seconds: { help: 'seconds of load', full: 30, quick: 8, min: 1, max: 3600 },
    rate: { help: 'requests per second', full: 200, quick: 200, min: 1, max: 10_000 },
  },
};
const ARGS = parseBenchArgs(process.argv.slice(2), SPEC, REPO_ROOT);
const TARGET_P99_MS = 100;
const CREDENTIALS_EACH = 2;
/** Customers that get credentials (each costs an RSA key pair to make). */
const WITH_CREDENTIALS = 10;
const MAX_SOCKETS = 128;

interface SignedIn {
  id: string;
  cookie: string;
  csrf: string;
}

async function expect(target: HttpTarget, planned: PlannedRequest, status: string) {
  const answer = await sendRequest(target, planned);
  if (answer.status !== status) {
    throw new Error(
      `${planned.method} ${planned.path}: ${answer.status} ${answer.body.toString().slice(0, 300)}`,
    );
  }
  return answer;
}

/** Creates the customers with the admin token, then signs each in as a browser would. */
async function seed(target: HttpTarget, admin: string, origin: string): Promise<SignedIn[]> {
  const out: SignedIn[] = [];
  for (let i = 0; i < ARGS.sizes.customers; i++) {
    const id = `panel-bench-${String(i).padStart(4, '0')}`;
    const base = { op: 'seed', token: admin };
    await expect(
      target,
      {
        ...base,
        method: 'POST',
        path: '/v1/customers',
        body: JSON.stringify({ id, name: `Bench ${id}` }),
      },
      '201',
    );
    if (i < WITH_CREDENTIALS) {
      for (let k = 0; k < CREDENTIALS_EACH; k++) {
        await expect(
          target,
          { ...base, method: 'POST', path: `/v1/customers/${id}/credentials` },
          '201',
        );
      }
    }
    const issued = await expect(
      target,
      { ...base, method: 'POST', path: `/v1/customers/${id}/tokens` },
      '201',
    );
    const token = (JSON.parse(issued.body.toString()) as { token: string }).token;
    const signIn = await new Promise<string>((resolve, reject) => {
      const body = `token=${encodeURIComponent(token)}`;
      const req = http.request(
        {
          host: target.host,
          port: target.port,
          method: 'POST',
          path: '/panel/sign-in',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
            Origin: origin,
            'Sec-Fetch-Site': 'same-origin',
          },
        },
        (res) => {
          res.resume();
          const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0];
          if (res.statusCode !== 303 || cookie === '')
            reject(new Error(`sign-in answered ${res.statusCode}`));
          else resolve(cookie);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const page = await expect(
      target,
      {
        op: 'seed',
        token: '',
        method: 'GET',
        path: `/panel/customers/${id}`,
        headers: { Cookie: signIn },
      },
      '200',
    );
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body.toString())?.[1];
    if (csrf === undefined) throw new Error('no CSRF token in the page');
    out.push({ id, cookie: signIn, csrf });
  }
  return out;
}

/** A browser session's mix: mostly the fragments htmx polls, some pages, a few switches. */
function planner(customers: SignedIn[], origin: string) {
  const mix: Array<[PanelOperation, number]> = [
    ['streaming fragment', 35],
    ['page', 25],
    ['credentials fragment', 20],
    ['health fragment', 8],
    ['traffic fragment', 2],
    ['asset', 7],
    ['switch streaming', 3],
  ];
  const wheel = mix.flatMap(([op, n]) => Array<PanelOperation>(n).fill(op));
  return (i: number): PlannedRequest<PanelOperation> => {
    const c = customers[i % customers.length];
    const op = wheel[(i * 37) % wheel.length];
    const base = { op, token: '', headers: { Cookie: c.cookie } };
    const path = `/panel/customers/${c.id}`;
    switch (op) {
      case 'page':
        return { ...base, method: 'GET', path };
      case 'streaming fragment':
        return {
          ...base,
          method: 'GET',
          path: `${path}/streaming`,
          headers: { ...base.headers, 'HX-Request': 'true' },
        };
      case 'credentials fragment':
        return {
          ...base,
          method: 'GET',
          path: `${path}/credentials`,
          headers: { ...base.headers, 'HX-Request': 'true' },
        };
      case 'health fragment':
      case 'traffic fragment':
        return {
          ...base,
          method: 'GET',
          path: `${path}/${op === 'health fragment' ? 'health' : 'stats'}`,
          headers: { ...base.headers, 'HX-Request': 'true' },
        };
      case 'asset':
        return { ...base, method: 'GET', path: '/panel/assets/panel.css' };
      case 'switch streaming':
        return {
          ...base,
          method: 'POST',
          path: `${path}/streaming`,
          body: `enabled=${i % 2 === 0 ? 'true' : 'false'}&_csrf=${encodeURIComponent(c.csrf)}`,
          headers: {
            ...base.headers,
            'HX-Request': 'true',
            'Content-Type': 'application/x-www-form-urlencoded',
            Origin: origin,
            'Sec-Fetch-Site': 'same-origin',
          },
        };
    }
  };
}

async function main(): Promise<void> {
  if (ARGS.help) {
    process.stdout.write(benchUsage(SPEC));
    return;
  }
  const bench = await startBenchApi('panelbench', MAX_SOCKETS);
  const { api, port, adminToken: admin, target } = bench;
  const origin = `http://127.0.0.1:${port}`;
  try {
    progress(`API on port ${port}; seeding and signing in ${ARGS.sizes.customers} customers`);
    const customers = await seed(target, admin, origin);
    const plan = planner(customers, origin);
    progress('warm-up: 100 req/s for 3 s');
    await runOpenLoop(target, 100, 3, plan);
    const { rate, seconds } = ARGS.sizes;
    progress(`load: ${rate} req/s for ${seconds} s`);
    const run = await runOpenLoop(target, rate, seconds, plan);
    if (!api.running) throw new Error(`the API died:\n${api.raw.slice(-20).join('\n')}`);
    const report = panelReport(
      run,
      {
        customers: customers.length,
        credentialsEach: CREDENTIALS_EACH,
        ratePerSecond: rate,
        seconds,
      },
      TARGET_P99_MS,
      () => '200',
      { date: new Date().toISOString(), machine: machineSummary(), quick: ARGS.quick },
    );
    progress(
      `p50 ${report.overall.p50Ms} ms, p99 ${report.overall.p99Ms} ms, max ${report.overall.maxMs} ms, ${report.overall.errors} errors`,
    );
    await publishResults(ARGS.resultsDir, 'panel', panelMarkdown(report), report);
    if (!report.met) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}

main().catch(failAndExit);
