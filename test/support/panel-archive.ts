import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { AppProcess } from './app-process';
import { startTestArchiver } from './archive-platform';
import { CustomerArchiveSteps } from './customer-archive-steps';
import { randomToken } from './ids';
import type { ApiCustomer, TenantPlatform } from './tenant-platform';

/**
 * The panel's archive block as a customer walks through it, without reloading the page: not
 * configured, set through the API, the challenge steps, proved, then objects delivered. Runs a
 * real archiver meanwhile; `feed` sends edge lines ("<id> <line>").
 */
export async function archiveBlockDelivers(
  page: Page,
  platform: TenantPlatform,
  customer: ApiCustomer,
  feed: (lines: string[]) => void,
): Promise<void> {
  const block = page.locator('#archive-block');
  assert.equal(await block.getAttribute('data-state'), 'none');
  assert.match((await block.textContent()) ?? '', /Not configured/);
  assert.match((await block.textContent()) ?? '', /PUT \/v1\/customers\/.+\/archive/);
  const steps = new CustomerArchiveSteps(platform, customer);
  let archiver: AppProcess | undefined;
  try {
    await steps.configure('cdn/{DATE}', 3);
    // No reload from here on: the block polls (10 s while there is no archive, then 2 s).
    await page.locator('#archive-block[data-state="unverified"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#archive-bucket').textContent(), steps.bucket);
    assert.equal(await page.locator('#archive-prefix').textContent(), 'cdn/{DATE}');
    const running = startTestArchiver(platform.scratch.url);
    archiver = running;
    const challenge = page.locator('#archive-verification ol.steps');
    await challenge.waitFor({ timeout: 30_000 });
    const key = 'cdn/logstream-challenge.txt';
    const said = (await challenge.textContent()) ?? '';
    assert.match(said, new RegExp(`s3://${steps.bucket}/${key}`));
    assert.match(said, /POST \/v1\/customers\/.+\/archive\/verify/);
    await steps.prove(key);
    await page.locator('#archive-block[data-state="active"]').waitFor({ timeout: 15_000 });
    assert.equal((await page.locator('#archive-state').textContent())?.trim(), 'delivering');
    assert.match(
      (await page.locator('#archive-verification').textContent()) ?? '',
      /proved with the challenge/,
    );
    await steps.archiverReading(running);
    const tag = randomToken();
    feed(Array.from({ length: 6 }, (_, i) => `${customer.id} GET /archived/${tag}/${i} 200`));
    await steps.firstObjectsStored(running);
    // Objects of 3 lines: stored within seconds; the block shows them on its next poll.
    await page
      .locator('#archive-last code', { hasText: /^cdn\/\d{8}\/.+_p\d+-o\d+\.log\.gz$/ })
      .waitFor({ timeout: 15_000 });
    assert.match((await page.locator('#archive-uploads').textContent()) ?? '', /[1-9]\d* stored/);
    assert.match((await page.locator('#archive-delivered').textContent()) ?? '', /[1-9]\d* lines/);
    const text = await page.content();
    assert.ok(!text.includes(steps.s3Config.secretAccessKey), 'no archive secret in the page');
  } finally {
    steps.close();
    await archiver?.stop();
  }
}
