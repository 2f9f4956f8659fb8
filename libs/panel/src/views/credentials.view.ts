import { formatDate } from '../format.rules';
import { type Html, html, jsonAttribute } from '../html.rules';
import type { CredentialRow, CredentialsModel, Viewer } from '../panel.types';
import { customerPath, pollAttributes } from './paths.rules';

const STATUS_TEXT: Record<CredentialRow['status'], string> = {
  active: 'active',
  revoking: 'revoking…',
  revoked: 'revoked',
  expired: 'expired',
};

function expires(row: CredentialRow): Html {
  const warning =
    row.expiresInDays !== null
      ? html` <span class="warning"
          >(expires in ${row.expiresInDays} day${row.expiresInDays === 1 ? '' : 's'}: issue a new
          one)</span
        >`
      : '';
  return html`${formatDate(row.expiresAt)}${warning}`;
}

function revokeForm(m: CredentialsModel, row: CredentialRow, viewer: Viewer): Html {
  const action = `${customerPath(m.customerId)}/credentials/${row.id}/revoke`;
  return html`<form
    method="post"
    action="${action}"
    hx-post="${action}"
    hx-target="#credentials-block"
    hx-swap="outerHTML"
    hx-vals="${jsonAttribute({ confirm: 'yes' })}"
    hx-confirm="Revoke ${row.principal}? Clients using this certificate lose access within seconds; this cannot be undone."
  >
    <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
    <button type="submit" class="button small danger" aria-label="Revoke ${row.principal}">
      Revoke
    </button>
  </form>`;
}

function rowOf(m: CredentialsModel, row: CredentialRow, viewer: Viewer): Html {
  const classes = [row.id === m.highlight ? 'highlight' : '', `status-${row.status}`].join(' ');
  return html`<tr id="credential-${row.id}" class="${classes}" data-status="${row.status}">
    <td data-label="Principal"><code class="wrap">${row.principal}</code></td>
    <td data-label="Fingerprint (SHA-256)">
      <code class="wrap fingerprint">${row.fingerprint}</code>
    </td>
    <td data-label="Created">${formatDate(row.createdAt)}</td>
    <td data-label="Expires"><div>${expires(row)}</div></td>
    <td data-label="Status">
      <div>
        <span class="badge cred-${row.status}">${STATUS_TEXT[row.status]}</span>${
          row.revokedAt ? html` <span class="hint">${formatDate(row.revokedAt)}</span>` : ''
        }
      </div>
    </td>
    <td data-label="Action">${row.status === 'active' ? revokeForm(m, row, viewer) : ''}</td>
  </tr>`;
}

/**
 * Credentials: issue one (the zip downloads; the new row is highlighted), the list, revoke with
 * a confirmation. While a revocation is being applied the block reloads itself every second.
 */
export function credentialsBlock(m: CredentialsModel, viewer: Viewer): Html {
  const path = `${customerPath(m.customerId)}/credentials`;
  const poll = m.pending ? pollAttributes(path, 1) : '';
  const full = m.active >= m.maxActive;
  return html`<div id="credentials-block" class="block" ${poll}>
    <div class="row-between">
      <p id="credentials-count"><strong>${m.active} of ${m.maxActive}</strong> active</p>
      <form method="post" action="${path}" data-download-form="${path}" class="inline">
        <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
        <button
          type="submit"
          id="issue-credential"
          class="button primary"
          ${full ? html` disabled aria-describedby="credentials-full"` : ''}
        >
          Issue a credential (downloads a zip)
        </button>
      </form>
    </div>
    ${full ? html`<p class="hint" id="credentials-full">The most active credentials allowed; revoke one to issue another.</p>` : ''}
    <p class="hint" id="issue-status" role="status" aria-live="polite"></p>
    ${
      m.rows.length === 0
        ? html`<p>
            No credentials yet. Issue one to download a zip with a client certificate and
            ready-to-run examples.
          </p>`
        : html`<table class="credentials">
            <caption class="visually-hidden">
              Your credentials
            </caption>
            <thead>
              <tr>
                <th scope="col">Principal</th>
                <th scope="col">Fingerprint (SHA-256)</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col"><span class="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              ${m.rows.map((r) => rowOf(m, r, viewer))}
            </tbody>
          </table>`
    }
    <p class="hint">
      The zip holds the only copy of the private key: keep it safe. Lost it? Revoke that credential
      and issue a new one.
    </p>
  </div>`;
}

/** Without JavaScript, a revoke asks here first. */
export function confirmRevokeBody(m: CredentialsModel, row: CredentialRow, viewer: Viewer): Html {
  const action = `${customerPath(m.customerId)}/credentials/${row.id}/revoke`;
  return html`<section class="card narrow" aria-labelledby="confirm-title">
    <h1 id="confirm-title">Revoke this credential?</h1>
    <p><code class="wrap">${row.principal}</code></p>
    <p>Clients using this certificate lose access within seconds. This cannot be undone.</p>
    <form method="post" action="${action}" class="inline">
      <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
      <input type="hidden" name="confirm" value="yes" />
      <button type="submit" class="button danger">Revoke</button>
      <a class="button secondary" href="${customerPath(m.customerId)}#credentials">Cancel</a>
    </form>
  </section>`;
}
