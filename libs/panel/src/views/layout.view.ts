import { type Html, html, jsonAttribute } from '../html.rules';
import type { Viewer } from '../panel.types';

export const PANEL_BASE = '/panel';
export const ASSET_BASE = `${PANEL_BASE}/assets`;

/** htmx's own settings: no injected styles (the CSP forbids them), no eval, no history cache. */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  selfRequestsOnly: true,
});

export interface LayoutOptions {
  title: string;
  viewer?: Viewer;
  /** Shown in the header: whose panel this is. */
  heading?: Html | string;
  body: Html;
}

function signOut(viewer: Viewer): Html {
  return html`<form method="post" action="${PANEL_BASE}/sign-out" class="sign-out">
    <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
    <button type="submit" class="button secondary">Sign out</button>
  </form>`;
}

/** The page shell: one stylesheet and two scripts, all from this server, nothing inline. */
export function layout({ title, viewer, heading, body }: LayoutOptions): Html {
  const headers = viewer ? jsonAttribute({ 'X-CSRF-Token': viewer.csrfToken }) : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="htmx-config" content="${HTMX_CONFIG}" />
<meta name="referrer" content="no-referrer" />
<title>${title} · Logstream</title>
<link rel="stylesheet" href="${ASSET_BASE}/panel.css" />
<script src="${ASSET_BASE}/htmx.min.js" defer></script>
<script src="${ASSET_BASE}/panel.js" defer></script>
</head>
<body${headers ? html` hx-headers="${headers}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${PANEL_BASE}">Logstream</a>
  <span class="who">${heading ?? ''}</span>
  ${viewer?.kind === 'admin' ? html`<a class="top-link" href="${PANEL_BASE}/customers">All customers</a>` : ''}
  ${viewer ? signOut(viewer) : ''}
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`;
}
