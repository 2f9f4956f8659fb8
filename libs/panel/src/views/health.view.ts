import { type Html, html } from '../html.rules';

/**
 * Delivery health (produced lines/s and bytes/s with a 24 h chart, newest line's age, lag per
 * consumer group, retention risk, edge drops). Its API (GET /v1/customers/{id}/health) does not
 * exist yet: render it here, from that answer, once it does.
 */
export function healthBlock(): Html {
  return html`<div id="health-block" class="block">
    <p class="muted">
      Delivery health is not available yet: lines per second, lag of your consumer groups and
      retention warnings will show here.
    </p>
  </div>`;
}
