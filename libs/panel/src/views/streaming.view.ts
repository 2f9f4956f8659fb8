import { type Html, html } from '../html.rules';
import { explainLastError, formatDate, formatElapsed } from '../format.rules';
import type { StreamingModel, Viewer } from '../panel.types';
import { customerPath, pollAttributes } from './paths.rules';

const STATE_TEXT: Record<StreamingModel['state'], string> = {
  provisioning: 'Turning on: creating your topic and granting your credentials access.',
  active: 'Streaming is on: every log line of your sites reaches your topic.',
  disabling: 'Turning off: removing access; your topic keeps its lines until retention ends.',
  disabled: 'Streaming is off: no log lines are sent to your topic.',
  failed: 'Streaming could not be set up.',
};

function took(m: StreamingModel): Html | string {
  if (m.state === 'active' && m.provisioningMs !== null) {
    return html`<p class="took" id="streaming-took">
      active in <strong>${formatElapsed(m.provisioningMs)}</strong>, since
      ${formatDate(m.stateChangedAt)}
    </p>`;
  }
  if (!m.inProgress) {
    return html`<p class="took" id="streaming-took">
      ${m.state} since ${formatDate(m.stateChangedAt)}
    </p>`;
  }
  return html`<p class="took" id="streaming-took">in progress…</p>`;
}

/**
 * The streaming block: state, what it means, the switch. While the provisioner works on a
 * change the block reloads itself every second (htmx), and without JavaScript the page shows
 * the same on reload.
 */
export function streamingBlock(m: StreamingModel, viewer: Viewer): Html {
  const path = `${customerPath(m.customerId)}/streaming`;
  const poll = m.inProgress ? pollAttributes(path, 1) : '';
  const want = !m.enabled;
  return html`<div id="streaming-block" class="block" data-state="${m.state}" ${poll}>
    <div class="state-line">
      <span class="badge state-${m.state}" id="streaming-state">${m.state}</span>
      ${took(m)}
    </div>
    <p>${STATE_TEXT[m.state]}</p>
    ${
      m.state === 'failed' && m.lastError
        ? html`<div class="alert" role="alert">
            <p>${explainLastError(m.lastError)}</p>
            <details>
              <summary>Details for support</summary>
              <pre class="wrap">${m.lastError}</pre>
            </details>
          </div>`
        : ''
    }
    ${
      m.deleting
        ? html`<p class="alert">
            This customer is being deleted; streaming can no longer be changed.
          </p>`
        : html`<form
            method="post"
            action="${path}"
            hx-post="${path}"
            hx-target="#streaming-block"
            hx-swap="outerHTML"
            class="inline"
          >
            <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
            <input type="hidden" name="enabled" value="${want ? 'true' : 'false'}" />
            <button
              type="submit"
              id="streaming-switch"
              class="button ${want ? 'primary' : 'danger'}"
            >
              ${want ? 'Turn streaming on' : 'Turn streaming off'}
            </button>
          </form>`
    }
  </div>`;
}
