// Issue 24 (1): the Digital Agency design system's patterns on a 375 px phone, in Japanese and in
// English. The header is one short row whose menu folds into a button that opens without
// JavaScript; everything tappable in it is 44 px tall; a form sent empty answers with an error
// summary that links to the field under its visible label and the same words beside the field;
// inputs have 16 px text; a wide table says it scrolls; axe finds nothing. Screenshots in
// artifacts/design-phone/ for checking by eye.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, cli, japanDate, startSite } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const report = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return report.violations.map((v) => `${v.id}: ${v.nodes[0]?.target?.join(' ')}`);
  });
}

// Height of every visible link, button and summary under `selector`, by its text.
async function tapTargets(page, selector) {
  return page.$$eval(`${selector} a, ${selector} button, ${selector} summary`, (elements) => elements
    .filter((el) => el.checkVisibility())
    .map((el) => ({ name: el.textContent.trim(), height: el.getBoundingClientRect().height })));
}

function assertTall(targets, where) {
  assert.ok(targets.length > 0, `nothing tappable in ${where}`);
  const small = targets.filter((t) => t.height < 44);
  assert.deepEqual(small, [], `tap targets under 44 px in ${where}`);
}

async function submit(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), locator.click()]);
}

// The summary names the field by its visible label and links to it; the field carries the same
// words beside it, tied by aria-describedby; no internal field name is shown.
async function checkErrorSummary(page, fieldId, label) {
  const summary = page.locator('#error-summary');
  assert.ok(await summary.isVisible(), 'an error summary at the top of the form');
  assert.ok(await summary.getByRole('heading', { level: 2 }).isVisible());
  const link = summary.locator(`a[href="#${fieldId}"]`);
  assert.equal(await link.count(), 1, `the summary links to #${fieldId}`);
  const linkText = (await link.textContent()).trim();
  assert.ok(linkText.startsWith(label), `"${linkText}" starts with the label "${label}"`);
  const inline = page.locator(`#${fieldId}-error`);
  assert.ok(await inline.isVisible(), 'the error stands beside the field');
  const message = (await inline.textContent()).trim();
  assert.ok(linkText.endsWith(message.replace(/^(エラー：|Error: )/, '')), `${linkText} / ${message}`);
  const describedBy = (await page.getAttribute(`#${fieldId}`, 'aria-describedby')).split(' ');
  assert.ok(describedBy.includes(`${fieldId}-error`), describedBy.join(' '));
  assert.equal(await page.getAttribute(`#${fieldId}`, 'aria-invalid'), 'true');
  const text = await page.locator('main').innerText();
  assert.ok(!/項目\s*:|Field\s*:/.test(text), `no internal field names:\n${text}`);
  assert.equal(await page.locator('main code').count(), 0, 'no field name in code type');
  await link.click();
  await page.waitForURL(new RegExp(`#${fieldId}$`));
  const box = await page.locator(`#${fieldId}`).boundingBox();
  assert.ok(box && box.y >= -1 && box.y < 812, `the link brings #${fieldId} into view (${JSON.stringify(box)})`);
}

const labels = {
  ja: { opinion: 'ご意見', confirm: '入力内容を確認する', login: 'ログイン名', signIn: 'ログイン', menu: 'メニュー' },
  en: { opinion: 'Your opinion', confirm: 'Check your opinion', login: 'Login name', signIn: 'Sign in', menu: 'Menu' },
};

for (const lang of ['ja', 'en']) {
  test(`design system patterns at 375 px (${lang}): header and menu, error summary, tables`, async () => {
    const site = await startSite();
    const shots = join(artifacts, 'design-phone');
    mkdirSync(shots, { recursive: true });
    const shot = (page, name, fullPage = false) =>
      page.screenshot({ path: join(shots, `${lang}-${name}.png`), fullPage });
    try {
      const id = cli(site.db, ['consultation', 'create', '--title', '港区デザイン確認計画（素案）',
                               '--opens', japanDate(-1), '--closes', japanDate(40)]).trim().split('\n').pop();
      const context = await site.browser.newContext({
        viewport: { width: 375, height: 812 }, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
        bypassCSP: true, // axe is injected as an inline script
      });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      const w = labels[lang];

      // The header: one short row, the menu folded, every target 44 px tall.
      await page.goto(`${site.base}/`);
      const header = await page.locator('.site-header').boundingBox();
      assert.ok(header.height <= 120, `the header is ${header.height} px tall at 375 px`);
      const menuButton = page.locator('.site-header summary');
      assert.equal((await menuButton.textContent()).trim(), w.menu);
      assert.ok(!(await page.locator('.site-header nav a[href="/plan"]').isVisible()), 'the menu starts folded');
      assertTall(await tapTargets(page, '.site-header'), 'the folded header');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'the page does not scroll sideways');
      await shot(page, '1-home');

      // The menu opens without JavaScript and lists every section.
      const noScript = await site.browser.newContext({
        viewport: { width: 375, height: 812 }, javaScriptEnabled: false,
      });
      await noScript.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const plain = await noScript.newPage();
      await plain.goto(`${site.base}/`);
      await plain.locator('.site-header summary').click();
      assert.ok(await plain.locator('.site-header nav a[href="/voice"]').isVisible(), 'opens with scripts off');
      await noScript.close();
      await menuButton.click();
      assert.equal(await page.getAttribute('.site-menu', 'open'), '');
      for (const href of ['/', '/plan', '/consultations', '/voice', '/facilities', '/partners', '/opendata', '/search', '/login']) {
        assert.ok(await page.locator(`.site-header nav a[href="${href}"]`).isVisible(), `${href} in the open menu`);
      }
      assertTall(await tapTargets(page, '.site-header'), 'the open menu');
      assert.deepEqual(await axeViolations(page), [], 'axe with the menu open');
      await shot(page, '2-menu-open');

      // The opinion form sent empty: the error summary, the error beside the field.
      await page.goto(`${site.base}/consultations/${id}`);
      const fonts = await page.$$eval('main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main textarea, main select',
        (elements) => elements.filter((el) => el.checkVisibility())
          .map((el) => ({ id: el.id, size: parseFloat(getComputedStyle(el).fontSize) })));
      assert.ok(fonts.length >= 4);
      assert.deepEqual(fonts.filter((f) => f.size < 16), [], 'inputs with text under 16 px');
      assertTall(await tapTargets(page, 'main form'), 'the opinion form');
      await submit(page, page.getByRole('button', { name: w.confirm }));
      await shot(page, '3-opinion-empty');
      assert.deepEqual(await axeViolations(page), [], 'axe on the refused form');
      await checkErrorSummary(page, 'text', w.opinion);
      await shot(page, '4-opinion-error-link');

      // The 区民の声 form refuses the same way.
      await page.goto(`${site.base}/voice`);
      await submit(page, page.getByRole('button', { name: w.confirm }));
      await checkErrorSummary(page, 'text', w.opinion);

      // Staff sign-in sent empty.
      await page.goto(`${site.base}/login`);
      await submit(page, page.locator('main form button[type=submit]'));
      await checkErrorSummary(page, 'login', w.login);
      assert.deepEqual(await axeViolations(page), [], 'axe on the refused sign-in');
      await shot(page, '5-login-empty');

      // Wide tables: where a table scrolls, a hint says so and it shows no hint where it fits.
      await page.goto(`${site.base}/plan/dashboard`);
      const regions = await page.$$eval('.table-scroll', (elements) => elements.map((el) => ({
        scrolls: el.scrollWidth > el.clientWidth + 1,
        hint: el.querySelector('.scroll-hint')?.checkVisibility() ?? false,
      })));
      assert.ok(regions.some((r) => r.scrolls), 'a table wider than the phone on the dashboard');
      assert.deepEqual(regions.filter((r) => r.scrolls !== r.hint), [], 'a hint exactly where a table scrolls');
      await shot(page, '6-dashboard');
      await context.close();
    } catch (error) {
      error.message += `\nserver log:\n${site.log()}`;
      throw error;
    } finally {
      await site.stop();
    }
  });
}
