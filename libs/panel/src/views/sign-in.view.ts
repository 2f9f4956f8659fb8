import { type Html, html } from '../html.rules';
import { layout, PANEL_BASE } from './layout.view';

/** The sign-in form. The token goes in the POST body only, never in a URL. */
export function signInPage(problem?: string): Html {
  return layout({
    title: 'Sign in',
    body: html`<section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to your Logstream panel</h1>
      <p>
        Use the access token your Logstream contact gave you (it starts with <code>lsc_</code>).
        Operators sign in with an admin token and then pick a customer.
      </p>
      ${problem ? html`<p class="alert" role="alert" id="sign-in-problem">${problem}</p>` : ''}
      <form method="post" action="${PANEL_BASE}/sign-in" class="stack">
        <label for="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck="false"
          required
          maxlength="512"
          ${problem ? html` aria-describedby="sign-in-problem"` : ''}
        />
        <button type="submit" class="button primary">Sign in</button>
      </form>
      <p class="hint">
        Signing in keeps you signed in on this browser until you sign out, or for a few hours at
        most. The token itself is never stored in the browser.
      </p>
    </section>`,
  });
}
