import type { Request } from 'express';
import type { Principal } from '@logstream/control';

/** An Express request as this API sees it once the request context and auth have run. */
export interface ApiRequest extends Request {
  requestId?: string;
  principal?: Principal;
}
