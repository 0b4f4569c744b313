// Issue 24 (4, 5, 6) on a 375 px phone, in Japanese and in English: a resident writes an opinion
// (the limit stated, a live count), switches language without losing it, checks it on the
// confirmation page, sends it, reloads the receipt page and resends the form (stored once),
// switches language on the receipt page, and never meets the anti-spam field (not focusable,
// not in the accessibility tree). A 12,000-character paste is refused naming the limit and kept;
// a filled honeypot gives the form back with the text. Screenshots in artifacts/opinion-form/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, cli, japanDate, startSite } from './harness.mjs';

const words = {
  ja: {
    other: 'en', switchTo: 'English', confirm: '入力内容を確認する', send: 'ご意見を送信する',
    edit: '修正する', confirmTitle: '入力内容の確認', copy: '送信内容の控え', limit: '10,000',
    opinion: '川沿いの遊歩道にベンチを増やしてください。\n夜は照明も明るくしてほしいです。',
  },
  en: {
    other: 'ja', switchTo: '日本語', confirm: 'Check your opinion', send: 'Send', edit: 'Edit',
    confirmTitle: 'Check your opinion before sending', copy: 'Copy of what you sent', limit: '10,000',
    opinion: 'Please add more benches to the riverside path.\nBrighter lights at night, too.',
  },
};
const otherWords = (lang) => words[words[lang].other];

function stored(site, consultation) {
  const file = site.db.replace(/^sqlite:/, '');
  return Number(execFileSync('sqlite3', [file,
    `SELECT COUNT(*) FROM consultation_submission WHERE consultation_id = ${consultation}`],
  { encoding: 'utf8' }).trim());
}

// Tabs through the whole page from its start; returns the ids of what got the focus.
async function focusOrder(page) {
  await page.evaluate(() => document.activeElement?.blur());
  const seen = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el ? (el.id || el.getAttribute('name') || el.tagName) : '';
    }));
  }
  return seen;
}

// Clicks `locator` and waits for the page it loads (a form's POST answers with a page).
async function submit(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), locator.click()]);
}

for (const lang of ['ja', 'en']) {
  test(`opinion form at 375 px (${lang}): confirm, send once, receipt page, language switches keep the text`, async () => {
    const site = await startSite();
    const shots = join(artifacts, 'opinion-form');
    mkdirSync(shots, { recursive: true });
    const shot = (page, name) => page.screenshot({ path: join(shots, `${lang}-${name}.png`), fullPage: true });
    try {
      const id = cli(site.db, ['consultation', 'create', '--title', '港区ベンチ計画（素案）',
                               '--opens', japanDate(-1), '--closes', japanDate(40)]).trim().split('\n').pop();
      const context = await site.browser.newContext({
        viewport: { width: 375, height: 812 }, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
      });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      const w = words[lang];
      await page.goto(`${site.base}/consultations/${id}`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);

      // The anti-spam field: off-screen, outside the accessibility tree, never focused.
      const honeypot = page.locator('#website');
      const box = await honeypot.boundingBox();
      assert.ok(box === null || box.x + box.width <= 0, `the honeypot is off-screen (${JSON.stringify(box)})`);
      assert.equal(await honeypot.getAttribute('tabindex'), '-1');
      assert.equal(await honeypot.getAttribute('autocomplete'), 'off');
      assert.equal(await page.locator('.honeypot').getAttribute('aria-hidden'), 'true');
      const tree = await page.locator('#opinion-form').ariaSnapshot();
      assert.ok(!/website/i.test(tree), `the honeypot is not in the accessibility tree:\n${tree}`);
      const order = await focusOrder(page);
      assert.ok(order.includes('text') && order.includes('contact_email'), order.join(' '));
      assert.ok(!order.includes('website'), `Tab never reaches the honeypot: ${order.join(' ')}`);

      // The limit is stated before typing; the live count follows the text.
      assert.ok((await page.textContent('#text-help')).includes(w.limit));
      await page.fill('#text', w.opinion);
      await page.getByLabel(lang === 'en' ? 'E-mail' : 'メールアドレス', { exact: true }).fill('resident@example.jp');
      const count = [...w.opinion].length.toLocaleString('en-GB');
      assert.ok((await page.textContent('#text-count')).includes(count), await page.textContent('#text-count'));
      const textBox = await page.locator('#text').boundingBox();
      assert.ok(textBox.width >= 300, `the opinion box is ${textBox.width}px wide`);
      const fontSize = await page.$eval('#text', (el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(fontSize >= 16, `the opinion box text is ${fontSize}px`);
      await shot(page, '1-form');

      // The language switch on the form re-posts it: the text and e-mail stay.
      await submit(page, page.getByRole('button', { name: w.switchTo }));
      assert.match(page.url(), new RegExp(`/opinions/edit\\?lang=${w.other}$`));
      assert.equal(await page.getAttribute('html', 'lang'), w.other);
      assert.equal(await page.inputValue('#text'), w.opinion);
      assert.equal(await page.inputValue('#contact_email'), 'resident@example.jp');
      await shot(page, '2-form-switched');
      await submit(page, page.getByRole('button', { name: otherWords(lang).switchTo }));
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.inputValue('#text'), w.opinion);

      // The confirmation shows exactly what will be sent; nothing is stored yet.
      await submit(page, page.getByRole('button', { name: w.confirm }));
      await page.getByRole('heading', { level: 1, name: w.confirmTitle }).waitFor();
      assert.equal(await page.textContent('#confirm-text'), w.opinion);
      assert.ok((await page.textContent('dl.confirm-facts')).includes('resident@example.jp'));
      assert.equal(stored(site, id), 0);
      await shot(page, '3-confirm');
      // 修正する goes back with everything kept, then forward again.
      await submit(page, page.getByRole('button', { name: w.edit }));
      assert.equal(await page.inputValue('#text'), w.opinion);
      assert.equal(await page.inputValue('#contact_email'), 'resident@example.jp');
      await submit(page, page.getByRole('button', { name: w.confirm }));
      // The language switch on the confirmation keeps it too.
      await submit(page, page.getByRole('button', { name: w.switchTo }));
      await page.getByRole('heading', { level: 1, name: otherWords(lang).confirmTitle }).waitFor();
      assert.equal(await page.textContent('#confirm-text'), w.opinion);
      await shot(page, '3-confirm-switched');
      await submit(page, page.getByRole('button', { name: otherWords(lang).switchTo }));
      await page.getByRole('heading', { level: 1, name: w.confirmTitle }).waitFor();
      // What the browser would post again on 「再送信」: the confirmation form's fields.
      const resend = await page.evaluate(() => ({
        action: document.querySelector('#opinion-form').action,
        fields: [...new FormData(document.querySelector('#opinion-form')).entries()],
      }));

      // Send: 303 to the receipt's own page.
      await Promise.all([page.waitForURL(/\/receipts\/CD-/), page.getByRole('button', { name: w.send, exact: true }).click()]);
      const receipt = (await page.textContent('#receipt-number')).trim();
      assert.match(receipt, /^CD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.equal(await page.textContent('#copy-text'), w.opinion);
      assert.ok(!(await page.content()).includes('resident@example.jp'), 'contact details are not on the receipt page');
      assert.ok(await page.locator('button[data-print]').isVisible(), 'the print button (script) is shown');
      await shot(page, '4-receipt');

      // Reload the receipt page, then back to the confirmation and send it again (twice, as a
      // resend of the POST does): one opinion, the same receipt.
      for (let i = 0; i < 2; i++) await page.reload();
      for (let i = 0; i < 2; i++) {
        await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.evaluate(({ action, fields }) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          for (const [name, value] of fields) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        }, resend)]);
        assert.match(page.url(), new RegExp(`/receipts/${receipt}$`));
        assert.equal((await page.textContent('#receipt-number')).trim(), receipt);
      }
      assert.equal(stored(site, id), 1, 'resend and reload store nothing more');

      // The language switch on the receipt page is a GET of the same receipt.
      await page.goto(`${site.base}/receipts/${receipt}`);
      await page.getByRole('link', { name: w.switchTo }).click();
      await page.waitForURL(new RegExp(`/receipts/${receipt}\\?lang=${w.other}$`));
      assert.equal(await page.getAttribute('html', 'lang'), w.other);
      assert.equal((await page.textContent('#receipt-number')).trim(), receipt);
      assert.ok((await page.textContent('#copy-heading')).includes(otherWords(lang).copy));
      await shot(page, '5-receipt-switched');
      await page.getByRole('link', { name: otherWords(lang).switchTo }).click();
      await page.waitForURL(new RegExp(`/receipts/${receipt}\\?lang=${lang}$`));

      // The lookup takes the number as typed: lower case, full width, a trailing space.
      const typed = lang === 'ja'
        ? [...receipt].map((c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xFEE0))).join('')
        : `${receipt.toLowerCase()} `;
      await page.goto(`${site.base}/receipts`);
      await page.fill('#number', typed);
      await Promise.all([page.waitForURL(`**/receipts/${receipt}`), page.locator('form.form button[type=submit]').click()]);
      await shot(page, '6-lookup');

      // A 12,000-character paste: the count turns red, the server refuses naming the limit, and
      // the whole text is still in the box.
      await page.goto(`${site.base}/consultations/${id}`);
      const pasted = '長'.repeat(12000);
      await page.fill('#text', pasted);
      assert.equal((await page.inputValue('#text')).length, 12000, 'nothing is cut on paste');
      assert.equal(await page.getAttribute('#text-count', 'class'), 'char-count char-count-over');
      await submit(page, page.getByRole('button', { name: w.confirm }));
      assert.ok((await page.textContent('#error-summary')).includes('10,000'));
      assert.ok((await page.textContent('#text-error')).includes('10,000'), 'the error stands beside the field too');
      assert.equal((await page.inputValue('#text')).length, 12000);
      await shot(page, '7-too-long');

      // A person whose browser filled the hidden field keeps the text and can go on.
      await page.fill('#text', w.opinion);
      await page.$eval('#website', (el) => { el.value = 'https://example.jp'; });
      await submit(page, page.getByRole('button', { name: w.confirm }));
      assert.ok(await page.locator('#form-error').isVisible());
      assert.equal(await page.inputValue('#text'), w.opinion);
      assert.equal(await page.inputValue('#website'), '');
      await shot(page, '8-honeypot');
      await submit(page, page.getByRole('button', { name: w.confirm }));
      await page.getByRole('heading', { level: 1, name: w.confirmTitle }).waitFor();
      assert.equal(stored(site, id), 1);
      await context.close();
    } catch (error) {
      error.message += `\nserver log:\n${site.log()}`;
      throw error;
    } finally {
      await site.stop();
    }
  });
}
