import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import type { Logger } from '@logstream/observability';
import type { ApiRequest } from '../http/api-request.types';
import type { HttpMetrics } from './http-metrics.service';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The route template Express matched, with its mount path; 'unmatched' before routing. */
function routeTemplate(req: ApiRequest): string {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

/**
 * Gives each request an id (the caller's X-Request-Id when it is sane, else a new UUID), echoes
 * it back, and when the response is done logs one JSON line and records the metrics.
 */
export function requestContext(logger: Logger, metrics: HttpMetrics) {
  return (req: ApiRequest, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const offered = req.get('x-request-id');
    const requestId =
      offered !== undefined && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    req.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req);
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observe(req.method, route, status, seconds);
      logger.log(status >= 500 ? 'warn' : 'info', 'request', {
        requestId,
        method: req.method,
        path: req.path.slice(0, 200),
        route,
        status,
        ms: Math.round(seconds * 10_000) / 10,
        principal:
          req.principal === undefined
            ? undefined
            : req.principal.kind === 'admin'
              ? 'admin'
              : `customer:${req.principal.customerId}`,
      });
    });
    next();
  };
}
