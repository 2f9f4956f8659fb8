import { type Html, html } from '../html.rules';
import { PANEL_BASE } from './layout.view';

/** The panel's URL of one customer; ids are validated before they get here. */
export function customerPath(customerId: string): string {
  return `${PANEL_BASE}/customers/${encodeURIComponent(customerId)}`;
}

/** The attributes of a block that reloads itself from `path` every `seconds` (htmx polling). */
export function pollAttributes(path: string, seconds: number): Html {
  return html`hx-get="${path}" hx-trigger="every ${seconds}s" hx-swap="outerHTML"`;
}
