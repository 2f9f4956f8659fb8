import type { PanelSession } from '@logstream/panel';
import type { ApiRequest } from '../http/api-request.types';

export interface PanelRequest extends ApiRequest {
  panelSession?: PanelSession;
}

/** htmx asks for a fragment; a plain browser request wants a whole page or a redirect. */
export function isHtmx(req: PanelRequest): boolean {
  return req.get('hx-request') === 'true';
}
