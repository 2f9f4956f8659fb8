import { behindWords } from '@logstream/archive';
import { formatBytes, formatCount, formatDate } from '../format.rules';
import { type Html, html } from '../html.rules';
import type { ArchiveModel } from '../panel.types';
import { customerPath, pollAttributes } from './paths.rules';

type Configured = Extract<ArchiveModel, { configured: true }>;

/** A customer's view of the states the API reports (GET …/archive `status.state`). */
const STATE_LABEL: Record<Configured['status']['state'], string> = {
  unverified: 'waiting for proof',
  active: 'delivering',
  catching_up: 'catching up',
  failing: 'failing',
  failed: 'failed',
  stopped: 'stopped',
};

function field(label: string, value: Html | string, id?: string): Html {
  return html`<div class="field">
    <dt>${label}</dt>
    <dd${id ? html` id="${id}"` : ''}>${value}</dd>
  </div>`;
}

function verification(m: Configured): Html {
  const v = m.verification;
  if (v.verified) {
    const by = v.method === 'admin' ? 'confirmed by Logstream' : 'proved with the challenge';
    return html`<p id="archive-verification" data-verified="true">
      Bucket ownership ${by}${v.verifiedAt ? html`, ${formatDate(v.verifiedAt)}` : ''}.
    </p>`;
  }
  const verify = `POST /v1/customers/${m.customerId}/archive/verify`;
  if (!v.challengeObjectKey) {
    return html`<p id="archive-verification" data-verified="false">
      Not proved yet: Logstream writes a challenge object into your bucket first; the steps show
      here once it is there. Nothing else is written to the bucket before you prove it is yours.
    </p>`;
  }
  return html`<div id="archive-verification" data-verified="false">
    <p>Not proved yet. To prove the bucket is yours:</p>
    <ol class="steps">
      <li>
        Read the object <code class="wrap">s3://${m.bucket}/${v.challengeObjectKey}</code>: it holds
        a token.
      </li>
      <li>
        Send it with <code class="wrap">${verify}</code> and the body
        <code>{"token": "…"}</code> (your API token as the bearer).
      </li>
    </ol>
  </div>`;
}

function configuredBody(m: Configured): Html {
  const s = m.status;
  return html`<div class="state-line">
      <span class="badge archive-${s.state}" id="archive-state">${STATE_LABEL[s.state]}</span>
    </div>
    <p id="archive-summary" class="wrap">${s.summary}</p>
    ${verification(m)}
    <dl class="fields">
      ${field('Endpoint', html`<code>${m.endpoint}</code>`, 'archive-endpoint')}
      ${field('Bucket', html`<code>${m.bucket}</code>`, 'archive-bucket')}
      ${field('Path prefix', html`<code>${m.pathPrefix}</code>`, 'archive-prefix')}
      ${field('Compression', m.compression)}
      ${field(
        'Last object',
        s.lastUploadAt
          ? html`<span>${formatDate(s.lastUploadAt)}</span>
              <code class="wrap">${s.lastObjectKey ?? ''}</code>`
          : 'none yet',
        'archive-last',
      )}
      ${field(
        'Uploads',
        html`${formatCount(s.uploadsOk)} stored, ${formatCount(s.uploadsFailed)} failed attempts`,
        'archive-uploads',
      )}
      ${field(
        'Delivered',
        html`${formatCount(s.linesDelivered)} lines, ${formatBytes(s.bytesDelivered)}`,
        'archive-delivered',
      )}
      ${field(
        'Lines lost',
        s.linesLost > 0
          ? html`<span class="warning"
              >${formatCount(s.linesLost)} (left Kafka's retention before delivery)</span
            >`
          : '0',
        'archive-lost',
      )}
      ${field('Behind', s.behindSeconds > 0 ? behindWords(s.behindSeconds * 1000) : 'up to date', 'archive-behind')}
    </dl>`;
}

/**
 * The archive: where the customer's log files go and how delivery is doing, in the words of
 * the API's status. It reloads itself (htmx polling), faster while a change is expected.
 */
export function archiveBlock(m: ArchiveModel): Html {
  const path = `${customerPath(m.customerId)}/archive`;
  const state = m.configured ? m.status.state : 'none';
  return html`<div
    id="archive-block"
    class="block"
    data-state="${state}"
    ${pollAttributes(path, m.pollSeconds)}
  >
    ${
      m.configured
        ? configuredBody(m)
        : html`<p id="archive-summary">
              Not configured. Logstream can also deliver your logs as compressed files to an
              S3-compatible bucket you own, exactly once, catching up after an outage.
            </p>
            <p class="hint">
              Set it up with <code>PUT /v1/customers/${m.customerId}/archive</code>; the
              <a href="/docs">API documentation</a> describes the settings.
            </p>`
    }
  </div>`;
}
