import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
} from '@nestjs/common';
import type { Response } from 'express';
import { ControlError } from '@logstream/control';
import { databaseTrouble } from '@logstream/persistence';
import type { Logger } from '@logstream/observability';
import { LOGGER } from '../observability/nest-logger.adapter';
import type { ApiRequest } from './api-request.types';
import { errorBody, httpExceptionMessage, STATUS_OF } from './error-body.factory';

/** Seconds a client should wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_S = 5;

interface Answer {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/**
 * The one place errors become HTTP answers, all as `{ statusCode, error, message }`. A database
 * that cannot be reached is a 503 with advice, never a 500; an unexpected error is a 500 with
 * the request id to quote, and its stack goes to the log only.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<ApiRequest>();
    const res = http.getResponse<Response>();
    const answer = this.answer(err, req);
    if (res.headersSent) {
      // A streamed answer (the credentials zip) failed half-way: all we can do is cut it.
      this.logger.error('response failed after it started', {
        requestId: req.requestId,
        error: err instanceof Error ? err.message : String(err),
      });
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.status(answer.status).json(errorBody(answer.status, answer.message));
  }

  private answer(err: unknown, req: ApiRequest): Answer {
    if (err instanceof ControlError) {
      const status = STATUS_OF[err.kind];
      const headers: Record<string, string> = {};
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer';
      if (err.retryAfterS !== undefined) headers['Retry-After'] = String(err.retryAfterS);
      return { status, message: err.message, headers };
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      if (status === 404 && /^Cannot /.test(err.message)) {
        return {
          status,
          message: `no such endpoint: ${req.method} ${req.path.slice(0, 200)}; the API is described at /docs`,
        };
      }
      return { status, message: httpExceptionMessage(err) };
    }
    const trouble = databaseTrouble(err);
    if (trouble !== undefined) {
      this.logger.warn('database unavailable', {
        requestId: req.requestId,
        trouble,
        error: err instanceof Error ? err.message : String(err),
      });
      return {
        status: 503,
        message:
          trouble === 'unreachable'
            ? 'the database is unreachable right now; nothing was changed, retry in a few seconds'
            : 'the database is overloaded right now; nothing was changed, retry in a few seconds',
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
      };
    }
    this.logger.error('unexpected error', {
      requestId: req.requestId,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    return {
      status: 500,
      message: `internal error; it has been logged under request id ${req.requestId ?? 'unknown'}`,
    };
  }
}
