import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../dto/error-body.dto';

const MEANING: Record<number, string> = {
  400: 'Invalid id, body or query (the message says which and why)',
  401: 'Missing, malformed or unknown token',
  403: 'An admin token is needed',
  404: 'No such customer (or not yours)',
  409: 'Conflicts with the current state (the message says how)',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Rate limit exceeded',
  503: 'Database unreachable; nothing changed, retry',
};

/** Documents the error answers of an authenticated endpoint, all with the same body. */
export function ApiErrors(...extra: number[]): MethodDecorator & ClassDecorator {
  const codes = [...new Set([401, 429, 503, ...extra])].sort();
  return applyDecorators(
    ApiBearerAuth(),
    ...codes.map((status) =>
      ApiResponse({ status, description: MEANING[status] ?? '', type: ErrorBodyDto }),
    ),
  );
}
