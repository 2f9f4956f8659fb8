import type { Response } from 'express';
import type { Html } from '@logstream/panel';

/** An HTML answer that no cache keeps (pages carry the session's CSRF token). */
export function sendHtml(res: Response, body: Html, status = 200): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('html').send(body.value);
}

/** After a form post without JavaScript: back to a page with GET (303). */
export function seeOther(res: Response, location: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(303, location);
}
