import {
  createParamDecorator,
  type ExecutionContext,
  InternalServerErrorException,
  SetMetadata,
} from '@nestjs/common';
import type { Principal } from '@logstream/control';
import type { ApiRequest } from '../http/api-request.types';

export const PUBLIC_ROUTE = 'logstream:public';
export const ADMIN_ONLY = 'logstream:admin-only';

/** Reachable without a token (health probes, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Customer tokens answer 403 here. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);

/** The principal the auth guard established for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<ApiRequest>().principal;
    if (principal === undefined) {
      throw new InternalServerErrorException('no principal on an authenticated route');
    }
    return principal;
  },
);
