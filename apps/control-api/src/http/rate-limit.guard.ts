import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { ControlApiConfig } from '@logstream/config';
import { clientAddressKey, RateLimiter, tooManyRequests } from '@logstream/control';
import type { ApiRequest } from './api-request.types';

export const RATE_LIMITS = Symbol('RATE_LIMITS');
export type RateLimits = ControlApiConfig['rateLimit'];

const SKIP_RATE_LIMIT = 'logstream:skip-rate-limit';

/** Not counted by either rate limit: probes, metrics, static assets. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SKIP_RATE_LIMIT, true);

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]) ?? false
  );
}

/**
 * Requests per client address (req.ip, which honours only the trusted proxies; IPv6 by /64),
 * over all endpoints together. Runs before authentication, so it also slows token guessing.
 * Routes marked @SkipRateLimit (probes, metrics, static assets) are not counted.
 */
@Injectable()
export class ClientRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {
    this.limiter = new RateLimiter({ capacity: limits.limit, refillMs: limits.windowMs });
  }

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const wait = this.limiter.take(clientAddressKey(req.ip));
    if (wait !== undefined) {
      const { limit, windowMs } = this.limits;
      throw tooManyRequests(
        `too many requests: at most ${limit} per ${windowMs / 1000} s from one address`,
        wait,
      );
    }
    return true;
  }
}

/**
 * Requests per customer (all its tokens together) or per admin token, over all endpoints;
 * runs after authentication, so a client spread over many addresses is still held to it.
 */
@Injectable()
export class PrincipalRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {
    this.limiter = new RateLimiter({ capacity: limits.principalLimit, refillMs: limits.windowMs });
  }

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const principal = req.principal;
    if (principal === undefined) return true;
    const key =
      principal.kind === 'customer'
        ? `customer:${principal.customerId}`
        : `admin:${createHash('sha256')
            .update(req.headers.authorization ?? '')
            .digest('hex')
            .slice(0, 32)}`;
    const wait = this.limiter.take(key);
    if (wait !== undefined) {
      const { principalLimit, windowMs } = this.limits;
      const who = principal.kind === 'customer' ? 'customer' : 'admin token';
      throw tooManyRequests(
        `too many requests: at most ${principalLimit} per ${windowMs / 1000} s for one ${who}`,
        wait,
      );
    }
    return true;
  }
}
