import { type Html, html } from '../html.rules';
import type { Viewer } from '../panel.types';
import { layout, PANEL_BASE } from './layout.view';

const TITLES: Record<number, string> = {
  400: 'That request was not understood',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible right now',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

/** An error as a page: the status and the same message the REST API gives, word for word. */
export function errorPage(status: number, message: string, viewer?: Viewer): Html {
  const title = TITLES[status] ?? 'Something went wrong';
  return layout({
    title,
    viewer,
    body: html`<section class="card narrow" aria-labelledby="error-title">
      <h1 id="error-title">${title}</h1>
      <p class="alert" role="alert" data-status="${status}">${message}</p>
      <p><a href="${PANEL_BASE}">Back to the panel</a></p>
    </section>`,
  });
}

/** The same, as a fragment for htmx to show in place of a block. */
export function errorFragment(status: number, message: string): Html {
  return html`<p class="alert" role="alert" data-status="${status}">${message}</p>`;
}
