import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { AppProcess } from '../support/app-process';
import { loadS3DevConfig } from '@logstream/config';
import { launchBrowser, seriousAxeViolations, type TestBrowser } from '../support/browser';
import { readmeCommands, runCommand, unzipBundle } from '../support/bundle-examples';
import { TEST_ADMIN_TOKEN } from '../support/control-api';
import { startEdge } from '../support/edge';
import { randomToken } from '../support/ids';
import { PLAIN_HTTP_ARCHIVE_ENV } from '../support/secret-keys';
import { startAggregator } from '../support/stats';
import { archiveBlockDelivers } from '../support/panel-archive';
import {
  baseUrl,
  crossSiteFormPost,
  healthShowsCaughtUp,
  PANEL_TEST_ENV,
  panelCustomer,
  pastMinutesTraffic,
  startTestHealthCollector,
  trafficShowsRequests,
} from '../support/panel';
import { eventually } from '../support/process';
import { type ApiCustomer, TenantPlatform } from '../support/tenant-platform';
import { recordFigures, testOutputDir } from '../support/test-output';

/**
 * The customer panel in a real Chromium, against the real control API, PostgreSQL,
 * provisioner, broker and edge producer: what a customer does with it, end to end.
 */
const REPLAY = ' --from-beginning --exit-at-end';

describe('the customer panel in a real browser', () => {
  let platform: TenantPlatform;
  let browser: TestBrowser;
  let page: Page;
  let edge: AppProcess;
  let a: ApiCustomer;
  let b: ApiCustomer;
  let url: string;
  let root = '';
  let credentialId = '';
  const seenHtml: string[] = [];
  const seenUrls: string[] = [];
  const cspErrors: string[] = [];
  const tag = randomToken();
  let collector: AppProcess | undefined;
  let aggregator: AppProcess | undefined;

  /** Lines for the edge's stdin: "<customerId> <line>". */
  function feed(lines: string[]): void {
    edge.stdin.write(`${lines.join('\n')}\n`);
  }

  async function tailLines(): Promise<string[]> {
    return page.locator('#tail-lines li').allTextContents();
  }

  before(async () => {
    platform = await TenantPlatform.start('panel_browser', {
      ...PANEL_TEST_ENV,
      ...PLAIN_HTTP_ARCHIVE_ENV,
    });
    url = baseUrl(platform);
    a = await panelCustomer(platform, 'pa', false);
    b = await panelCustomer(platform, 'pb', true);
    await platform.waitUntilSettled(b.id, 'active');
    edge = startEdge(['--source', 'stdin'], { stdin: 'pipe' });
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
    browser = await launchBrowser();
    page = await browser.newPage(1280, 900);
    page.on('request', (r) => seenUrls.push(r.url()));
    page.on('response', (r) => {
      if ((r.headers()['content-type'] ?? '').startsWith('text/html')) {
        r.text().then(
          (t) => seenHtml.push(t),
          () => undefined,
        );
      }
    });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
  });

  after(async () => {
    await aggregator?.stop();
    await collector?.stop();
    await browser?.close();
    if (edge) {
      edge.stdin.end();
      await edge.waitForExit(30_000).catch(() => undefined);
    }
    await platform?.close();
  });

  it('signs in with the customer token and shows the page without CSP errors or serious accessibility problems', async () => {
    await page.goto(`${url}/panel`);
    assert.match(page.url(), /\/panel\/sign-in$/);
    await page.getByLabel('Access token').fill(a.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/panel/customers/${a.id}`);
    assert.equal(await page.locator('#streaming-state').textContent(), 'disabled');
    // The name is shown as text, never as markup.
    assert.equal(await page.locator('header .customer-name').textContent(), a.name);
    assert.equal(await page.locator('header i').count(), 0);
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'logstream_panel');
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/panel');
    assert.ok(!session.value.includes(a.token));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(cspErrors, []);
  });

  it('switches streaming on: the page updates itself to active, in under 3 s', async () => {
    await page.locator('#streaming-switch').click();
    await page.locator('#streaming-block[data-state="active"]').waitFor({ timeout: 20_000 });
    const took = (await page.locator('#streaming-took').textContent()) ?? '';
    const m = /active in ([\d.]+) (ms|s)/.exec(took);
    assert.ok(m, `"${took}" says how long it took`);
    const seconds = m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
    recordFigures(
      __filename,
      'panel: switching streaming on',
      `panel: streaming active in ${seconds} s`,
    );
    assert.ok(seconds < 3, `active in ${seconds} s`);
    assert.equal(
      (await page.locator('#streaming-switch').textContent())?.trim(),
      'Turn streaming off',
    );
  });

  it("issues a credential: the zip downloads, its row is highlighted, its kcat example prints A's lines", async () => {
    const download = page.waitForEvent('download');
    await page.locator('#issue-credential').click();
    const file = await download;
    const saved = path.join(browser.dir, file.suggestedFilename());
    await file.saveAs(saved);
    const m = new RegExp(`^${a.id}-logstream-([a-z0-9]+)\\.zip$`).exec(file.suggestedFilename());
    assert.ok(m, file.suggestedFilename());
    credentialId = m[1];
    await page.locator(`#credential-${credentialId}.highlight`).waitFor();
    assert.equal(
      (await page.locator('#credentials-count').textContent())?.replace(/\s+/g, ' ').trim(),
      '1 of 10 active',
    );
    const dir = await mkdtemp(path.join(browser.dir, 'bundle-'));
    root = await unzipBundle(createReadStream(saved), dir, `${a.id}-logstream`);
    const mine = Array.from({ length: 5 }, (_, i) => `GET /panel/${tag}/${i} 200`);
    await eventually(
      async () =>
        (await platform.streaming(a.id)).observedGeneration ===
        (await platform.streaming(a.id)).generation
          ? true
          : undefined,
      'the new credential to be provisioned',
    );
    feed([...mine.map((l) => `${a.id} ${l}`), `${b.id} ${b.secretLine}`]);
    const commands = await readmeCommands(root);
    const lines = await eventually(
      async () => {
        const res = await runCommand(commands.kcat + REPLAY, root);
        assert.equal(res.code, 0, res.stderr);
        const got = res.stdout.split('\n').filter(Boolean);
        return got.length >= mine.length ? got : undefined;
      },
      "A's lines through the bundle's kcat example",
      60_000,
      1000,
    );
    assert.deepEqual([...lines].sort(), [...mine].sort());
  });

  it("shows delivery health: the newest line and the bundle's Python consumer group, caught up", async () => {
    // Kept running to the screenshots, so they show what a customer would see.
    collector = startTestHealthCollector(platform.scratch.url);
    // The newest line's time is when a collection first saw it: one collection before it.
    await collector.waitForLog((l) => l.msg === 'collection done', 'a first collection', 30_000);
    feed([`${a.id} GET /health/${tag} 200`]);
    const res = await runCommand((await readmeCommands(root)).python + REPLAY, root);
    assert.equal(res.code, 0, res.stderr);
    await healthShowsCaughtUp(page, `${a.id}.python`);
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it('shows traffic statistics: exactly the requests the edge read in the last minutes, and the top host', async () => {
    const before = await platform.storedLines(a.topic);
    const { lines, topHost } = pastMinutesTraffic(a.id, 900);
    feed(lines);
    // Read to the end, the aggregator would call lines of past minutes late: it starts once
    // they are all in the topic.
    await eventually(
      async () =>
        (await platform.storedLines(a.topic)) >= before + lines.length ? true : undefined,
      `the edge to produce ${lines.length} lines`,
    );
    aggregator = startAggregator(`logstream-panel-${tag}`, a.id, platform.scratch.url);
    await trafficShowsRequests(page, lines.length);
    assert.equal(
      (await page.locator('#traffic-hosts li code').first().textContent())?.trim(),
      topHost,
    );
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it('shows the archive block: not configured, then set through the API, the challenge steps, proved, and objects delivered, refreshing itself', async () => {
    await archiveBlockDelivers(page, platform, a, (lines) => feed(lines));
    assert.deepEqual(await seriousAxeViolations(page), []);
    assert.deepEqual(cspErrors, []);
  });

  it('tails live: a marked line appears within 2 s of the edge reading it, never a line of B', async () => {
    await page.locator('#tail-start').click();
    await page.locator('#tail-block[data-tail-state="live"]').waitFor({ timeout: 15_000 });
    const marker = `tail-marker-${randomToken()}`;
    const t0 = Date.now();
    feed([`${b.id} ${b.secretLine} ${marker}`, `${a.id} GET /live/${marker} 200`]);
    await page.locator('#tail-lines li', { hasText: marker }).first().waitFor({ timeout: 10_000 });
    const ms = Date.now() - t0;
    recordFigures(
      __filename,
      'panel: live tail',
      `panel: live tail showed the line ${ms} ms after the edge read it`,
    );
    assert.ok(ms < 2000, `${ms} ms`);
    await new Promise((r) => setTimeout(r, 500));
    const shown = await tailLines();
    assert.deepEqual(
      shown.filter((l) => l.includes(marker)),
      [`GET /live/${marker} 200`],
    );
    assert.ok(!shown.some((l) => l.includes(b.secretLine) || l.includes(b.id)));

    // Above the cap (20 lines/s here) the tail samples and says so.
    const flood = setInterval(
      () => feed(Array.from({ length: 20 }, (_, i) => `${a.id} GET /flood/${i} 200`)),
      200,
    );
    try {
      await page
        .locator('#tail-status', { hasText: /1 in \d+ lines/ })
        .waitFor({ timeout: 10_000 });
    } finally {
      clearInterval(flood);
    }

    // Export: the lines on screen, as a file (paused, so the screen holds still).
    await page.locator('#tail-pause').click();
    assert.equal(await page.locator('#tail-pause').getAttribute('aria-pressed'), 'true');
    const download = page.waitForEvent('download');
    await page.locator('#tail-export').click();
    const file = await download;
    const saved = path.join(browser.dir, 'tail.log');
    await file.saveAs(saved);
    const exported = (await readFile(saved, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(exported, await tailLines());
    assert.ok(exported.includes(`GET /live/${marker} 200`));
    await page.locator('#tail-stop').click();
  });

  it('filters on the server, and a tail ends by itself at its time bound', async () => {
    await page.evaluate("document.getElementById('tail-lines').replaceChildren()");
    const keep = `keep-${randomToken()}`;
    await page.getByLabel('Only lines containing').fill(keep.toUpperCase());
    const started = Date.now();
    await page.locator('#tail-start').click();
    await page.locator('#tail-block[data-tail-state="live"]').waitFor({ timeout: 15_000 });
    feed([`${a.id} GET /drop 200`, `${a.id} GET /${keep} 200`, `${a.id} GET /drop-too 200`]);
    await page.locator('#tail-lines li', { hasText: keep }).waitFor({ timeout: 10_000 });
    await page
      .locator('#tail-status', { hasText: 'Ended: time limit reached' })
      .waitFor({ timeout: 15_000 });
    const ranMs = Date.now() - started;
    assert.ok(ranMs >= 7_000 && ranMs < 14_000, `the tail ran ${ranMs} ms (bound 8 s)`);
    assert.deepEqual(await tailLines(), [`GET /${keep} 200`]);
    assert.equal(await page.locator('#tail-start').isDisabled(), false);
    await page.getByLabel('Only lines containing').fill('');
  });

  it('revokes from the page: the row ends as revoked and kcat with it is denied', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.locator(`#credential-${credentialId} button`, { hasText: 'Revoke' }).click();
    await page
      .locator(`#credential-${credentialId}[data-status="revoked"]`)
      .waitFor({ timeout: 20_000 });
    assert.equal(
      (await page.locator('#credentials-count').textContent())?.replace(/\s+/g, ' ').trim(),
      '0 of 10 active',
    );
    const commands = await readmeCommands(root);
    const res = await eventually(async () => {
      const r = await runCommand(commands.kcat + REPLAY, root, 30_000);
      return r.code !== 0 ? r : undefined;
    }, 'kcat with the revoked credential to be refused');
    assert.match(res.stderr, /authoriz/i);
  });

  it('refuses a cross-site form post, and nothing changes', async () => {
    const target = `${url}/panel/customers/${a.id}/streaming`;
    const res = await crossSiteFormPost(browser, target, { enabled: 'false' });
    assert.equal(res.status, 403);
    assert.match(res.body, /another site/);
    const status = await platform.streaming(a.id);
    assert.equal(status.enabled, true);
  });

  it('looks right at 1280 and 390 px (screenshots for docs/), nothing overflows on a phone', async () => {
    await page.reload();
    await page.locator('#streaming-block[data-state="active"]').waitFor();
    await page.locator('#archive-block[data-state="active"]').waitFor();
    // As a customer would see it: a fresh credential next to the revoked one, lines in the tail.
    const download = page.waitForEvent('download');
    await page.locator('#issue-credential').click();
    await download;
    await page.locator('#credentials-block tr.highlight').waitFor();
    await page.locator('details.snippet[data-tool="kcat"] summary').click();
    await page.locator('#tail-start').click();
    await page.locator('#tail-block[data-tail-state="live"]').waitFor({ timeout: 15_000 });
    feed(
      Array.from(
        { length: 6 },
        (_, i) =>
          `${a.id} 203.0.113.${10 + i} - - [02/Dec/2026:06:3${i}:00 +0000] "GET /products/${i}?ref=home HTTP/1.1" 200 ${5120 + i * 97} "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)"`,
      ),
    );
    await page.locator('#tail-lines li').nth(5).waitFor({ timeout: 10_000 });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(testOutputDir(), 'panel-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
    const archiveWidth = await page.evaluate<number>(
      "document.getElementById('archive-block').scrollWidth",
    );
    assert.ok(archiveWidth <= 390, `the archive block is ${archiveWidth} px wide at 390 px`);
    await page.screenshot({ path: path.join(testOutputDir(), 'panel-390.png'), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), []);
    // On a busy machine the 8 s tail may have ended by itself already.
    if (await page.locator('#tail-stop').isEnabled()) await page.locator('#tail-stop').click();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('works from the keyboard alone: tab to the tail, start and stop it', async () => {
    await page.reload();
    await page.locator('#tail-filter').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.id'), 'tail-start');
    await page.keyboard.press('Enter');
    await page.locator('#tail-block[data-tail-state="live"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Tab'); // pause
    await page.keyboard.press('Tab'); // stop
    assert.equal(await page.evaluate<string>('document.activeElement.id'), 'tail-stop');
    await page.keyboard.press('Enter');
    await page.locator('#tail-block[data-tail-state="stopped"]').waitFor();
  });

  it('signs out; the old session cookie opens nothing', async () => {
    const old = (await browser.context.cookies()).find((c) => c.name === 'logstream_panel');
    assert.ok(old);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${url}/panel/sign-in`);
    const replay = await fetch(`${url}/panel/customers/${a.id}`, {
      headers: { Cookie: `logstream_panel=${old.value}` },
      redirect: 'manual',
    });
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.get('location'), '/panel/sign-in');
  });

  it('lets an admin sign in and pick a customer', async () => {
    await page.getByLabel('Access token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/panel/customers`);
    await page.locator(`a[href="/panel/customers/${b.id}"]`).click();
    await page.waitForURL(`${url}/panel/customers/${b.id}`);
    assert.equal(await page.locator('#streaming-state').textContent(), 'active');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${url}/panel/sign-in`);
  });

  it('never put a token in any page, URL or log line', () => {
    assert.ok(seenHtml.length > 5, `${seenHtml.length} HTML answers seen`);
    const logs = platform.api.logs.join('\n');
    for (const token of [a.token, b.token, TEST_ADMIN_TOKEN]) {
      for (const text of seenHtml) assert.ok(!text.includes(token), 'a token in an HTML answer');
      for (const u of seenUrls) assert.ok(!u.includes(token), `a token in ${u}`);
      assert.ok(!logs.includes(token), 'a token in the API log');
    }
    const archiveSecret = loadS3DevConfig().secretAccessKey;
    for (const text of seenHtml) assert.ok(!text.includes(archiveSecret), 'the archive secret');
  });
});
