import { type Html, html } from '../html.rules';
import { customerPath } from './paths.rules';

export interface TailLimits {
  maxDurationMs: number;
  maxLinesPerSecond: number;
}

/**
 * The live tail's controls and lines. It streams over server-sent events, so it needs
 * JavaScript; everything else on the page works without.
 */
export function tailBlock(customerId: string, limits: TailLimits): Html {
  const seconds = Math.round(limits.maxDurationMs / 1000);
  return html`<div
    id="tail-block"
    class="block"
    data-tail-url="${customerPath(customerId)}/tail"
    data-customer="${customerId}"
  >
    <p>
      Your log lines as the edge sends them, newest at the bottom. A tail runs for at most
      ${seconds} s and shows at most ${limits.maxLinesPerSecond} lines/s; above that it shows a
      sample.
    </p>
    <noscript><p class="alert">The live tail needs JavaScript.</p></noscript>
    <form id="tail-form" class="tail-controls">
      <div class="filter">
        <label for="tail-filter">Only lines containing</label>
        <input
          id="tail-filter"
          name="filter"
          type="search"
          maxlength="200"
          autocomplete="off"
          placeholder="e.g. /checkout or 503"
        />
      </div>
      <div class="buttons">
        <button type="submit" id="tail-start" class="button primary">Start</button>
        <button
          type="button"
          id="tail-pause"
          class="button secondary"
          disabled
          aria-pressed="false"
        >
          Pause
        </button>
        <button type="button" id="tail-stop" class="button secondary" disabled>Stop</button>
        <button type="button" id="tail-export" class="button secondary" disabled>
          Export shown lines
        </button>
      </div>
    </form>
    <p id="tail-status" class="tail-status" role="status" aria-live="polite">Not running.</p>
    <ol id="tail-lines" class="tail-lines" tabindex="0" aria-label="Live log lines"></ol>
  </div>`;
}
