// Issue 24, deliverable 2: the shipped result (consultation 1) read on a 375 px phone, in
// Japanese and in English. A search for 騒音 leads to the card of its item (#item-N), which shows
// the opinion and the ward's answer on screen; the page never scrolls sideways; the cards are
// grouped under field headings with an index; the wide table is hidden (and so not read twice);
// axe-core finds no violation. At 1280 px the full table is back and a linked card still shows.
// Screenshots are kept in artifacts/result-phone/ for checking by eye.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, startSite } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const report = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return report.violations.map((v) => ({
      id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(' '),
    }));
  });
}

async function open(site, lang, width) {
  const context = await site.browser.newContext({
    viewport: { width, height: 800 }, bypassCSP: true, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
  });
  await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
  return { context, page: await context.newPage() };
}

const words = {
  ja: { index: '分野別の目次', answer: '区の考え方', status: '対応状況' },
  en: { index: 'Contents by plan area', answer: "The ward's response", status: 'Status' },
};

test('a resident on a 375 px phone finds the answer about 騒音 in the published result', async () => {
  const site = await startSite();
  const shots = join(artifacts, 'result-phone');
  mkdirSync(shots, { recursive: true });
  try {
    for (const lang of ['ja', 'en']) {
      const { context, page } = await open(site, lang, 375);
      // The search hit links to the item's card, not to the top of a long page.
      await page.goto(`${site.base}/search?q=${encodeURIComponent('騒音')}`);
      const hit = page.locator('a[href^="/consultations/1/result#item-"]').first();
      const href = await hit.getAttribute('href');
      const anchor = href.slice(href.indexOf('#') + 1);
      await Promise.all([page.waitForURL(`**/consultations/1/result#${anchor}`), hit.click()]);

      const card = page.locator(`article#${anchor}`);
      assert.ok(await card.isVisible(), `${lang}: the card ${anchor} is shown`);
      const box = await card.boundingBox();
      assert.ok(box.y >= -1 && box.y < 800, `${lang}: the card is on screen (y=${box.y})`);
      assert.ok(box.x >= 0 && box.x + box.width <= 375 + 1, `${lang}: the card fits (${JSON.stringify(box)})`);
      assert.match(await card.innerText(), /騒音/, `${lang}: the card holds the word searched for`);
      const answer = card.locator(`dt:text-is("${words[lang].answer}") + dd`);
      assert.ok(await answer.isVisible(), `${lang}: the answer is shown on the card`);
      assert.ok((await answer.innerText()).trim().length > 10, `${lang}: the answer has words`);
      const status = card.locator(`dt:text-is("${words[lang].status}") + dd`);
      assert.match(await status.innerText(), /^[1-5] \S/, `${lang}: the status with its label`);
      await page.screenshot({ path: join(shots, `${lang}-375-hit.png`) });

      // No sideways scrolling; the index and headings show, the wide table does not.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 375 + 1, `${lang}: the page is ${overflow} px wide`);
      assert.ok(await page.getByRole('heading', { name: words[lang].index }).isVisible());
      const headings = page.locator('.result-field-heading');
      assert.ok((await headings.count()) > 3, `${lang}: a heading per field`);
      assert.ok(await headings.first().isVisible());
      assert.equal(await page.locator('.result-table-wide').isVisible(), false);
      assert.equal(await page.locator('.result-card').count(), 40);

      // The index leads to a field's heading.
      const entry = page.locator('.result-index a').nth(1);
      const field = (await entry.getAttribute('href')).slice(1);
      await entry.click();
      await page.waitForURL(`**#${field}`);
      const heading = await page.locator(`#${field}`).boundingBox();
      assert.ok(heading.y >= -1 && heading.y < 200, `${lang}: the heading is at the top (y=${heading.y})`);

      await page.goto(`${site.base}/consultations/1/result`);
      await page.screenshot({ path: join(shots, `${lang}-375-top.png`) });
      await page.locator('.result-index').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `${lang}-375-index.png`) });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${lang} 375: ${JSON.stringify(violations)}`);
      await context.close();

      // Wide: the full table is back, the cards are gone except the one a link names.
      const wide = await open(site, lang, 1280);
      await wide.page.goto(`${site.base}${href}`);
      assert.ok(await wide.page.locator('.result-table-wide').isVisible());
      assert.equal(await wide.page.locator('.result-index').isVisible(), false);
      assert.ok(await wide.page.locator(`article#${anchor}`).isVisible(), `${lang}: the linked card`);
      assert.equal(await wide.page.locator('article.result-card:visible').count(), 1);
      await wide.page.screenshot({ path: join(shots, `${lang}-1280-hit.png`) });
      const wideViolations = await axeViolations(wide.page);
      assert.deepEqual(wideViolations, [], `${lang} 1280: ${JSON.stringify(wideViolations)}`);
      await wide.context.close();
    }
  } finally {
    await site.stop();
  }
});
