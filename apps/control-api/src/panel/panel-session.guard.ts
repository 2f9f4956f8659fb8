import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  cookieValue,
  csrfMatches,
  PanelSessionService,
  SESSION_COOKIE,
  sameOriginProblem,
} from '@logstream/panel';
import { PANEL_NO_SESSION } from './panel-auth.decorator';
import type { PanelRequest } from './panel-request.types';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Raised when a page needs a session: the error filter sends the browser to sign in. */
export class PanelSignInRequired extends UnauthorizedException {
  constructor() {
    super('please sign in: no session, or it has ended');
  }
}

/**
 * The panel's gate. State-changing requests must come from the panel's own pages (Origin /
 * Sec-Fetch-Site) and, once signed in, carry the session's CSRF token; every other route needs
 * a live session, whose principal then goes through the same access rules as the API's.
 */
@Injectable()
export class PanelSessionGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(PanelSessionService) private readonly sessions: PanelSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PanelRequest>();
    const changes = !SAFE_METHODS.has(req.method);
    if (changes) {
      const problem = sameOriginProblem({
        origin: req.get('origin'),
        fetchSite: req.get('sec-fetch-site'),
        self: `${req.protocol}://${req.get('host') ?? ''}`,
      });
      if (problem !== undefined) throw new ForbiddenException(problem);
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PANEL_NO_SESSION, targets)) return true;
    const session = await this.sessions.resolve(cookieValue(req.get('cookie'), SESSION_COOKIE));
    if (session === undefined) throw new PanelSignInRequired();
    if (changes) {
      const body = req.body as Record<string, unknown> | undefined;
      const presented = req.get('x-csrf-token') ?? body?._csrf;
      if (!csrfMatches(session.csrfToken, presented)) {
        throw new ForbiddenException(
          'refused: this form is out of date or was not sent by the panel; reload the page and try again',
        );
      }
    }
    req.panelSession = session;
    return true;
  }
}
