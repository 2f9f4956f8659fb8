import { panelSnippets, replaySnippet } from '../client-snippets.factory';
import { formatPeriod } from '../format.rules';
import { type Html, html } from '../html.rules';
import type { ConnectionModel } from '../panel.types';

function copyable(id: string, label: string, value: string): Html {
  return html`<div class="field">
    <dt id="${id}-label">${label}</dt>
    <dd>
      <code id="${id}">${value}</code>
      <button
        type="button"
        class="button small copy"
        data-copy-from="${id}"
        aria-label="Copy ${label.toLowerCase()}"
      >
        Copy
      </button>
    </dd>
  </div>`;
}

function codeBlock(id: string, label: string, code: string): Html {
  return html`<div class="code">
    <pre id="${id}" tabindex="0"><code>${code}</code></pre>
    <button
      type="button"
      class="button small copy"
      data-copy-from="${id}"
      aria-label="Copy ${label}"
    >
      Copy
    </button>
  </div>`;
}

/** Where and how to connect: every value copyable, a snippet per client, how to replay. */
export function connectionBlock(c: ConnectionModel): Html {
  return html`<div class="block" id="connection-block">
    <dl class="fields">
      ${copyable('conn-bootstrap', 'Bootstrap servers', c.bootstrapServers.join(','))}
      ${copyable('conn-topic', 'Topic', c.topic)}
      ${copyable('conn-group', 'Consumer group prefix', c.groupPrefix)}
      <div class="field">
        <dt>Retention</dt>
        <dd>${formatPeriod(c.retentionMs)} (older lines are deleted)</dd>
      </div>
    </dl>
    <p>
      Connect over TLS with the certificate of a credential (see Credentials). Your consumer groups
      must start with <code>${c.groupPrefix}</code>; other names are refused.
    </p>
    <h3>Ready-made clients</h3>
    ${panelSnippets(c).map(
      (s) =>
        html`<details class="snippet" data-tool="${s.tool}">
          <summary>${s.title}</summary>
          <p class="hint">${s.note}</p>
          ${codeBlock(`snippet-${s.tool}`, `${s.title} snippet`, s.code)}
        </details>`,
    )}
    <h3>Read again from an offset or a time</h3>
    <p>
      Every script in the bundle takes <code>--from-beginning</code> and <code>--from-time</code>; a
      consumer group otherwise carries on where it stopped.
    </p>
    ${codeBlock('snippet-replay', 'Replay commands', replaySnippet(c))}
  </div>`;
}
