import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, raw } from './html.rules';

describe('html templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script> & 'q' \``;
    const out = html`<p title="${name}">${name}</p>`.value;
    assert.equal(
      out,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#96;</p>',
    );
  });

  it('keeps nested templates and raw markup as markup, and drops null, undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(
      html`<p>${inner}${raw('<br />')}${null}${undefined}${false}${0}</p>`.value,
      '<p><b>&lt;i&gt;</b><br />0</p>',
    );
  });

  it('joins arrays, escaping each item', () => {
    const items = ['<a>', html`<li>ok</li>`];
    const out = html`<ul>
      ${items}
    </ul>`.value;
    assert.equal(out.replace(/\s+/g, ''), '<ul>&lt;a&gt;<li>ok</li></ul>');
  });

  it('escapeHtml leaves plain text alone', () => {
    assert.equal(escapeHtml('GET /index.html 200'), 'GET /index.html 200');
  });
});
