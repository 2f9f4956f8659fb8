import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { assertAdmin, AuthService } from '@logstream/control';
import type { ApiRequest } from '../http/api-request.types';
import { ADMIN_ONLY, PUBLIC_ROUTE } from './auth.decorator';

/** Every route needs a bearer token unless marked @Public; @AdminOnly routes need an admin's. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    req.principal = await this.auth.authenticate(req.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) assertAdmin(req.principal);
    return true;
  }
}
