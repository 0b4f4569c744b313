// Issue 7: a new user finds an open consultation, submits an opinion (through its confirmation
// page, issue 24) and looks it up by its receipt number using only the keyboard (Tab, typing,
// Enter), in Japanese and in English.
// Every step also checks that the focused element is visibly outlined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, cli, japanDate, startSite } from './harness.mjs';

// Presses Tab until the focused element matches `selector`; fails after `limit` presses.
async function tabTo(page, selector, limit = 120) {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    const matched = await page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector);
    if (matched) {
      const outlined = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      });
      assert.ok(outlined, `${selector} shows where the focus is`);
      return;
    }
  }
  assert.fail(`Tab never reached ${selector} on ${page.url()}`);
}

for (const lang of ['ja', 'en']) {
  test(`keyboard only (${lang}): find a consultation, submit an opinion, look it up`, async () => {
    const site = await startSite();
    try {
      const id = cli(site.db, ['consultation', 'create', '--title', '港区キーボード確認計画（素案）',
                               '--opens', japanDate(-1), '--closes', japanDate(40)]).trim().split('\n').pop();
      const context = await site.browser.newContext({ locale: lang === 'en' ? 'en-GB' : 'ja-JP' });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      await page.goto(`${site.base}/`);

      await tabTo(page, 'a[href="/consultations"]');
      await Promise.all([page.waitForURL('**/consultations'), page.keyboard.press('Enter')]);
      await tabTo(page, `a[href="/consultations/${id}"]`);
      await Promise.all([page.waitForURL(`**/consultations/${id}`), page.keyboard.press('Enter')]);

      await tabTo(page, '#text');
      const opinion = lang === 'en' ? 'Please add more benches to the riverside path.'
                                     : '川沿いの遊歩道にベンチを増やしてください。';
      await page.keyboard.type(opinion);
      await tabTo(page, 'form.form button[type=submit]');
      await Promise.all([page.waitForURL('**/opinions/confirm'), page.keyboard.press('Enter')]);
      // The confirmation page: 送信する is the first button of its form.
      await tabTo(page, '#send-button');
      await Promise.all([page.waitForSelector('#receipt-number'), page.keyboard.press('Enter')]);
      const receipt = (await page.textContent('#receipt-number')).trim();
      assert.match(receipt, /^CD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await page.screenshot({ path: join(artifacts, `keyboard-${lang}-receipt.png`), fullPage: true });

      // Look it up from the lookup page, typing the number.
      await page.goto(`${site.base}/receipts`);
      await tabTo(page, '#number');
      await page.keyboard.type(receipt);
      await Promise.all([page.waitForURL(`**/receipts/${receipt}`), page.keyboard.press('Enter')]);
      const facts = await page.textContent('dl.facts');
      assert.ok(facts.includes(receipt), 'the lookup shows the receipt');
      assert.ok(facts.includes('港区キーボード確認計画'), 'and its consultation');
      await page.screenshot({ path: join(artifacts, `keyboard-${lang}-lookup.png`), fullPage: true });
      await context.close();
    } finally {
      await site.stop();
    }
  });
}
