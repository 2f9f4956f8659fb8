import {
  createParamDecorator,
  type ExecutionContext,
  InternalServerErrorException,
  SetMetadata,
} from '@nestjs/common';
import type { PanelSession, Viewer } from '@logstream/panel';
import type { PanelRequest } from './panel-request.types';

export const PANEL_NO_SESSION = 'logstream:panel-no-session';

/** A panel route reachable without a session (sign-in, assets). */
export const NoPanelSession = (): MethodDecorator => SetMetadata(PANEL_NO_SESSION, true);

function sessionOf(ctx: ExecutionContext): PanelSession {
  const session = ctx.switchToHttp().getRequest<PanelRequest>().panelSession;
  if (session === undefined) {
    throw new InternalServerErrorException('no panel session on a signed-in route');
  }
  return session;
}

/** The signed-in session the panel guard found for this request. */
export const CurrentPanelSession = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): PanelSession => sessionOf(ctx),
);

/** What views need of the session: its kind and CSRF token (never the token it came from). */
export function viewerOf(session: PanelSession): Viewer {
  return { kind: session.principal.kind, csrfToken: session.csrfToken };
}
