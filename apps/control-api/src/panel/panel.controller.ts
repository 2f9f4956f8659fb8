import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ControlError } from '@logstream/control';
import {
  clearedSessionCookie,
  customerPath,
  PANEL_BASE,
  PanelPageService,
  type PanelSession,
  PanelSessionService,
  PanelTailService,
  sessionCookie,
  signInPage,
} from '@logstream/panel';
import type { CustomerId } from '@logstream/tenancy';
import { Public } from '../auth/auth.decorator';
import { CredentialIdPipe, CustomerIdPipe } from '../http/path-params.pipe';
import { CurrentPanelSession, NoPanelSession, viewerOf } from './panel-auth.decorator';
import {
  CsrfOnlyFormDto,
  CustomerListQueryDto,
  HighlightQueryDto,
  RevokeFormDto,
  SignInFormDto,
  StreamingFormDto,
  TailQueryDto,
} from './panel.dto';
import { PanelErrorFilter } from './panel-error.filter';
import { seeOther, sendHtml } from './panel-reply.rules';
import { isHtmx, type PanelRequest } from './panel-request.types';
import { PanelSessionGuard } from './panel-session.guard';

/**
 * The customer panel: server-rendered pages and htmx fragments. Each route is one call into
 * libs/panel; sessions, not bearer tokens, authenticate here (see PanelSessionGuard).
 */
@ApiExcludeController()
@Public()
@UseGuards(PanelSessionGuard)
@UseFilters(PanelErrorFilter)
@Controller('panel')
export class PanelController {
  constructor(
    @Inject(PanelSessionService) private readonly sessions: PanelSessionService,
    @Inject(PanelPageService) private readonly pages: PanelPageService,
    @Inject(PanelTailService) private readonly tails: PanelTailService,
  ) {}

  @Get()
  home(@CurrentPanelSession() session: PanelSession, @Res() res: Response): void {
    const p = session.principal;
    seeOther(res, p.kind === 'customer' ? customerPath(p.customerId) : `${PANEL_BASE}/customers`);
  }

  @Get('sign-in')
  @NoPanelSession()
  signInForm(@Res() res: Response): void {
    sendHtml(res, signInPage());
  }

  @Post('sign-in')
  @NoPanelSession()
  async signIn(
    @Body() form: SignInFormDto,
    @Req() req: PanelRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const opened = await this.sessions.signIn(form.token);
      res.setHeader(
        'Set-Cookie',
        sessionCookie(opened.cookieId, { secure: req.secure, maxAgeMs: opened.maxAgeMs }),
      );
      seeOther(res, PANEL_BASE);
    } catch (err) {
      if (!(err instanceof ControlError) || err.kind !== 'unauthorized') throw err;
      sendHtml(res, signInPage(`That token was not accepted (${err.message}).`), 401);
    }
  }

  @Post('sign-out')
  async signOut(
    @CurrentPanelSession() session: PanelSession,
    @Body() _form: CsrfOnlyFormDto,
    @Req() req: PanelRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.sessions.signOut(session);
    res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
    seeOther(res, `${PANEL_BASE}/sign-in`);
  }

  @Get('customers')
  async customers(
    @CurrentPanelSession() session: PanelSession,
    @Query() query: CustomerListQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.customerList(session.principal, query.after, viewerOf(session)));
  }

  @Get('customers/:id')
  async page(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.page(session.principal, id, viewerOf(session)));
  }

  @Get('customers/:id/streaming')
  async streaming(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.streamingBlock(session.principal, id, viewerOf(session)));
  }

  @Post('customers/:id/streaming')
  async setStreaming(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() form: StreamingFormDto,
    @Req() req: PanelRequest,
    @Res() res: Response,
  ): Promise<void> {
    const block = await this.pages.setStreaming(
      session.principal,
      id,
      form.enabled === 'true',
      viewerOf(session),
    );
    if (isHtmx(req)) sendHtml(res, block);
    else seeOther(res, `${customerPath(id)}#streaming`);
  }

  @Get('customers/:id/credentials')
  async credentials(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: HighlightQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(
      res,
      await this.pages.credentialsBlock(
        session.principal,
        id,
        viewerOf(session),
        query.highlight ?? null,
      ),
    );
  }

  /** The zip, as the API's POST credentials answers it; the page's script highlights the row. */
  @Post('customers/:id/credentials')
  async issue(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() _form: CsrfOnlyFormDto,
    @Res() res: Response,
  ): Promise<void> {
    const issued = await this.pages.issueCredential(session.principal, id);
    res.status(201);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${issued.fileName}"`);
    res.setHeader('X-Credential-Id', issued.credential.id);
    res.setHeader('Cache-Control', 'no-store');
    issued.bundle.on('error', () => res.destroy());
    issued.bundle.pipe(res);
  }

  @Post('customers/:id/credentials/:credentialId/revoke')
  async revoke(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Param('credentialId', CredentialIdPipe) credentialId: string,
    @Body() form: RevokeFormDto,
    @Req() req: PanelRequest,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.pages.revoke(
      session.principal,
      id,
      credentialId,
      form.confirm === 'yes',
      viewerOf(session),
    );
    if (outcome.kind === 'confirm') sendHtml(res, outcome.page);
    else if (isHtmx(req)) sendHtml(res, outcome.block);
    else seeOther(res, `${customerPath(id)}#credentials`);
  }

  @Get('customers/:id/health')
  async health(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.healthBlock(session.principal, id));
  }

  @Get('customers/:id/stats')
  async stats(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.trafficBlock(session.principal, id));
  }

  @Get('customers/:id/archive')
  async archive(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Res() res: Response,
  ): Promise<void> {
    sendHtml(res, await this.pages.archiveBlock(session.principal, id));
  }

  /** Server-sent events: the customer's lines as they arrive (see LiveTailService). */
  @Get('customers/:id/tail')
  async tail(
    @CurrentPanelSession() session: PanelSession,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: TailQueryDto,
    @Req() req: PanelRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.tails.stream(session.principal, id, query.filter, {
      open: () => {
        res.status(200);
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
      },
      write: (chunk) => res.write(chunk),
      end: () => res.end(),
      onClose: (listener) => req.once('close', listener),
    });
  }
}
