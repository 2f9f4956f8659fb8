import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clearedSessionCookie,
  cookieValue,
  csrfMatches,
  newSessionId,
  plausibleSessionId,
  sameOriginProblem,
  sessionCookie,
} from './session.rules';

describe('session rules', () => {
  it('makes random ids of 256 bits that pass the shape check; other values do not', () => {
    const a = newSessionId();
    assert.notEqual(a, newSessionId());
    assert.ok(plausibleSessionId(a));
    for (const bad of [undefined, '', 'x', `${a}x`, a.replace(/./, '%'), 42]) {
      assert.ok(!plausibleSessionId(bad), String(bad));
    }
  });

  it('sets HttpOnly, SameSite=Strict and path /panel; Secure only over TLS', () => {
    assert.equal(
      sessionCookie('abc', { secure: false, maxAgeMs: 3_600_000 }),
      'logstream_panel=abc; Path=/panel; HttpOnly; SameSite=Strict; Max-Age=3600',
    );
    assert.match(sessionCookie('abc', { secure: true, maxAgeMs: 1000 }), /; Secure$/);
    assert.match(clearedSessionCookie(false), /^logstream_panel=; .*Max-Age=0$/);
  });

  it('reads the named cookie only', () => {
    assert.equal(cookieValue('a=1; logstream_panel=xyz; b=2', 'logstream_panel'), 'xyz');
    assert.equal(cookieValue('xlogstream_panel=1', 'logstream_panel'), undefined);
    assert.equal(cookieValue(undefined, 'logstream_panel'), undefined);
  });

  it('compares CSRF tokens exactly', () => {
    assert.ok(csrfMatches('token-1', 'token-1'));
    assert.ok(!csrfMatches('token-1', 'token-2'));
    assert.ok(!csrfMatches('token-1', 'token-10'));
    assert.ok(!csrfMatches('token-1', undefined));
    assert.ok(!csrfMatches('token-1', ['token-1']));
  });

  it('accepts same-origin requests only', () => {
    const self = 'http://127.0.0.1:8080';
    assert.equal(sameOriginProblem({ fetchSite: 'same-origin', origin: self, self }), undefined);
    assert.equal(sameOriginProblem({ fetchSite: undefined, origin: self, self }), undefined);
    for (const fetchSite of ['cross-site', 'same-site', 'none']) {
      assert.match(sameOriginProblem({ fetchSite, origin: self, self }) ?? '', /another site/);
    }
    assert.match(
      sameOriginProblem({ fetchSite: undefined, origin: 'http://evil', self }) ?? '',
      /another site/,
    );
    assert.match(
      sameOriginProblem({ fetchSite: undefined, origin: undefined, self }) ?? '',
      /names no origin/,
    );
  });
});
