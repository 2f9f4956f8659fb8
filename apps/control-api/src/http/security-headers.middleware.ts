import type { NextFunction, Request, Response } from 'express';

/** The API answers JSON and zips only: nothing to load, run or frame. */
const API_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The OpenAPI UI at /docs: its own scripts only (no inline script), its inline styles, data:
 * images, and requests back to this API; never framed.
 */
export const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function isDocs(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');
}

/**
 * Headers on every answer: no MIME sniffing, no framing, a content security policy, no
 * referrer; and `Cache-Control: no-store` on everything but the static docs, so no cache or
 * proxy keeps an authenticated answer (tokens, bundles, customer data).
 */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const docs = isDocs(req.path);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', docs ? DOCS_POLICY : API_POLICY);
    if (!docs) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
