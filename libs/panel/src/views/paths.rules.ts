import { PANEL_BASE } from './layout.view';

/** The panel's URL of one customer; ids are validated before they get here. */
export function customerPath(customerId: string): string {
  return `${PANEL_BASE}/customers/${encodeURIComponent(customerId)}`;
}
