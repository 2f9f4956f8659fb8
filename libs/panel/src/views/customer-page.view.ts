import { type Html, html } from '../html.rules';
import { archiveBlock } from './archive.view';
import type { CredentialRow, CredentialsModel, CustomerPageModel, Viewer } from '../panel.types';
import { connectionBlock } from './connection.view';
import { confirmRevokeBody, credentialsBlock } from './credentials.view';
import { healthBlock } from './health.view';
import { layout } from './layout.view';
import { streamingBlock } from './streaming.view';
import { tailBlock } from './tail.view';
import { trafficBlock } from './traffic.view';

function section(id: string, title: string, body: Html): Html {
  return html`<section id="${id}" class="card" aria-labelledby="${id}-title">
    <h2 id="${id}-title">${title}</h2>
    ${body}
  </section>`;
}

function heading(m: CustomerPageModel): Html {
  return html`<span class="customer-name">${m.customer.name}</span>
    <code class="customer-id">${m.customer.id}</code>`;
}

/** The customer's one page: streaming, connection, credentials, health, traffic, archive, tail. */
export function customerPage(m: CustomerPageModel, viewer: Viewer): Html {
  return layout({
    title: m.customer.name,
    viewer,
    heading: heading(m),
    body: html`<h1 class="visually-hidden">Logstream panel of ${m.customer.name}</h1>
      <div class="grid">
        ${section('streaming', 'Streaming', streamingBlock(m.streaming, viewer))}
        ${section('credentials', 'Credentials', credentialsBlock(m.credentials, viewer))}
        ${section('connection', 'Connection', connectionBlock(m.connection))}
        ${section('health', 'Delivery health', healthBlock(m.health))}
        ${section('traffic', 'Traffic', trafficBlock(m.traffic))}
        ${section('archive', 'Archive', archiveBlock(m.archive))}
        ${section('tail', 'Live tail', tailBlock(m.customer.id, m.tail))}
      </div>`,
  });
}

export function confirmRevokePage(
  customer: { id: string; name: string },
  credentials: CredentialsModel,
  row: CredentialRow,
  viewer: Viewer,
): Html {
  return layout({
    title: 'Revoke a credential',
    viewer,
    heading: html`<span class="customer-name">${customer.name}</span>`,
    body: confirmRevokeBody(credentials, row, viewer),
  });
}
