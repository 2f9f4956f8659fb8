import { type Html, html } from '../html.rules';
import type { CustomerListModel, Viewer } from '../panel.types';
import { layout, PANEL_BASE } from './layout.view';
import { customerPath } from './paths.rules';

/** For admins: pick the customer whose panel to open. */
export function customerListPage(m: CustomerListModel, viewer: Viewer): Html {
  return layout({
    title: 'Customers',
    viewer,
    heading: 'Operator',
    body: html`<section class="card" aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      ${
        m.customers.length === 0
          ? html`<p>No customers yet. Create one with <code>POST /v1/customers</code>.</p>`
          : html`<ul class="customer-list">
              ${m.customers.map(
                (c) =>
                  html`<li>
                    <a href="${customerPath(c.id)}"
                      ><span class="customer-name">${c.name}</span> <code>${c.id}</code></a
                    >
                    <span class="badge state-${c.state}">${c.state}</span>
                  </li>`,
              )}
            </ul>`
      }
      ${m.next ? html`<p><a href="${PANEL_BASE}/customers?after=${encodeURIComponent(m.next)}">Next page</a></p>` : ''}
    </section>`,
  });
}
