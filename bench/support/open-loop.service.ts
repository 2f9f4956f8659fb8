import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpTarget {
  host: string;
  port: number;
  /** Keep-alive connections shared by every request to the target. */
  agent: http.Agent;
  timeoutMs: number;
}

export function keepAliveTarget(host: string, port: number, maxSockets: number): HttpTarget {
  return {
    host,
    port,
    agent: new http.Agent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      // Idle sockets close well before the server's keep-alive timeout (Node: 5 s). Reusing one
      // the server is closing at that moment answers ECONNRESET, which is the client's race, not
      // the API's error; a server whose event loop stalls for a while makes the race likely.
      timeout: 2_000,
    }),
    timeoutMs: 30_000,
  };
}

export interface PlannedRequest<Op extends string = string> {
  op: Op;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  token: string;
  /** JSON text (or what `headers` says it is); absent for requests without a body. */
  body?: string;
  /** More headers (a cookie, a form's content type); an empty `token` sends no Authorization. */
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  /** The HTTP status as text ('200'), or what went wrong before one came ('timeout', 'ECONNRESET'). */
  status: string;
  body: Buffer;
}

/** Sends one request and reads the whole answer; never rejects (failures become a status). */
export function sendRequest(target: HttpTarget, planned: PlannedRequest): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: HttpAnswer): void => {
      if (!settled) {
        settled = true;
        resolve(answer);
      }
    };
    const headers: http.OutgoingHttpHeaders = {};
    if (planned.token !== '') headers.Authorization = `Bearer ${planned.token}`;
    if (planned.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(planned.body);
    }
    Object.assign(headers, planned.headers);
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        agent: target.agent,
        method: planned.method,
        path: planned.path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish({ status: String(res.statusCode), body: Buffer.concat(chunks) }),
        );
        res.on('error', (err: NodeJS.ErrnoException) =>
          finish({ status: err.code ?? 'response error', body: Buffer.alloc(0) }),
        );
      },
    );
    req.setTimeout(target.timeoutMs, () => {
      finish({ status: 'timeout', body: Buffer.alloc(0) });
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ status: err.code ?? 'request error', body: Buffer.alloc(0) }),
    );
    req.end(planned.body);
  });
}

export interface Sample<Op extends string = string> {
  op: Op;
  status: string;
  /** From when the request was due (not when it left) to the end of its answer. */
  latencyMs: number;
  bytes: number;
}

export interface OpenLoopRun<Op extends string = string> {
  samples: Array<Sample<Op>>;
  /** Wall time from the first due request to the last answer. */
  elapsedMs: number;
  /** How late the driver itself sent its most delayed request (its own lag, not the API's). */
  maxSendLagMs: number;
  maxInFlight: number;
}

/**
 * Open-loop load: request i is due at start + i / rate and is sent then, whether or not earlier
 * ones have answered, so a slow API meets a growing queue instead of a politely waiting client.
 * Latency is measured from the due time, so time spent queued (here or in the agent) counts.
 */
export async function runOpenLoop<Op extends string>(
  target: HttpTarget,
  ratePerSecond: number,
  durationSeconds: number,
  plan: (index: number) => PlannedRequest<Op>,
): Promise<OpenLoopRun<Op>> {
  const total = Math.round(ratePerSecond * durationSeconds);
  const intervalMs = 1000 / ratePerSecond;
  const samples: Array<Sample<Op>> = [];
  const inFlight = new Set<Promise<void>>();
  let maxSendLagMs = 0;
  let maxInFlight = 0;
  let lastAnswerAt = 0;
  const start = performance.now();
  let next = 0;

  const dispatch = (index: number, dueAt: number): void => {
    const planned = plan(index);
    const pending = sendRequest(target, planned).then((answer) => {
      lastAnswerAt = performance.now();
      samples.push({
        op: planned.op,
        status: answer.status,
        latencyMs: lastAnswerAt - dueAt,
        bytes: answer.body.length,
      });
      inFlight.delete(pending);
    });
    inFlight.add(pending);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const dueAt = start + next * intervalMs;
        maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
        dispatch(next, dueAt);
        next++;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - now));
      else resolve();
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return { samples, elapsedMs: lastAnswerAt - start, maxSendLagMs, maxInFlight };
}
