import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
} from '@nestjs/common';
import type { Response } from 'express';
import { ControlError } from '@logstream/control';
import { errorFragment, errorPage, PANEL_BASE } from '@logstream/panel';
import { databaseTrouble } from '@logstream/persistence';
import type { Logger } from '@logstream/observability';
import { httpExceptionMessage, STATUS_OF } from '../http/error-body.factory';
import { LOGGER } from '../observability/nest-logger.adapter';
import { viewerOf } from './panel-auth.decorator';
import { isHtmx, type PanelRequest } from './panel-request.types';
import { PanelSignInRequired } from './panel-session.guard';

/**
 * The panel's errors as HTML with the API's status and message (so another customer's page is
 * the API's 404, word for word). No session: a page goes to sign-in, htmx is told to go there.
 */
@Catch()
export class PanelErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<PanelRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (err instanceof PanelSignInRequired) {
      if (isHtmx(req)) {
        res.setHeader('HX-Redirect', `${PANEL_BASE}/sign-in`);
        res.status(401).type('html').send(errorFragment(401, err.message).value);
      } else if (req.method === 'GET' && req.accepts(['html', 'text/event-stream']) === 'html') {
        res.redirect(303, `${PANEL_BASE}/sign-in`);
      } else {
        res.status(401).type('html').send(errorPage(401, err.message).value);
      }
      return;
    }
    const [status, message] = this.answer(err, req);
    const viewer = req.panelSession ? viewerOf(req.panelSession) : undefined;
    const body = isHtmx(req) ? errorFragment(status, message) : errorPage(status, message, viewer);
    if (status === 503) res.setHeader('Retry-After', '5');
    // htmx swaps only 2xx answers by default; errors show in the block's status line instead.
    res.status(status).type('html').send(body.value);
  }

  private answer(err: unknown, req: PanelRequest): [number, string] {
    if (err instanceof ControlError) return [STATUS_OF[err.kind], err.message];
    if (err instanceof HttpException) {
      const status = err.getStatus();
      if (status === 404 && /^Cannot /.test(err.message)) {
        return [404, `no such page: ${req.method} ${req.path.slice(0, 200)}`];
      }
      return [status, httpExceptionMessage(err)];
    }
    if (databaseTrouble(err) !== undefined) {
      return [
        503,
        'the database is unreachable right now; nothing was changed, retry in a few seconds',
      ];
    }
    this.logger.error('unexpected panel error', {
      requestId: req.requestId,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    return [
      500,
      `internal error; it has been logged under request id ${req.requestId ?? 'unknown'}`,
    ];
  }
}
