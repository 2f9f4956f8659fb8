import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { errorMessage } from './json.logger';
import type { Logger } from './log-line.types';

/** What `/readyz` answers: 200 when `ready`, 503 otherwise; the other keys are the body. */
export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface ProbeServerOptions {
  host: string;
  /** 0 lets the system choose (see {@link ProbeServer.port}). */
  port: number;
  logger: Logger;
  /** Body of `/healthz` (always 200 while the process serves it). */
  health?: () => Record<string, unknown>;
  /** `/readyz`; without it readiness is health. */
  readiness?: () => Readiness | Promise<Readiness>;
  /** Prometheus text for `/metrics`. */
  metrics?: () => string | Promise<string>;
  metricsContentType?: string;
}

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** The one probe and metrics HTTP server of the platform's processes. */
export function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = createServer((req, res) => {
    void answer(options, req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      options.logger.info('probe server listening', { host: options.host, port });
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function answer(
  options: ProbeServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(
      res,
      405,
      error(405, 'Method Not Allowed', 'the probe server answers GET only'),
    );
  }
  try {
    switch (path) {
      case '/healthz':
        return sendJson(res, 200, { status: 'ok', ...options.health?.() });
      case '/readyz': {
        const readiness = options.readiness
          ? await options.readiness()
          : { ready: true, ...options.health?.() };
        return sendJson(res, readiness.ready ? 200 : 503, readiness);
      }
      case '/metrics':
        if (options.metrics) {
          const text = await options.metrics();
          res.writeHead(200, { 'content-type': options.metricsContentType ?? PROMETHEUS_TEXT });
          res.end(text);
          return;
        }
        break;
      default:
        break;
    }
    const routes = ['/healthz', '/readyz', ...(options.metrics ? ['/metrics'] : [])];
    sendJson(res, 404, error(404, 'Not Found', `no route ${path}; try ${routes.join(', ')}`));
  } catch (err) {
    options.logger.error('probe request failed', { path, error: errorMessage(err) });
    sendJson(res, 500, error(500, 'Internal Server Error', 'the probe failed; see the log'));
  }
}

function error(statusCode: number, name: string, message: string): Record<string, unknown> {
  return { statusCode, error: name, message };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
