// Issue 24 #11: "resident tasks" — seven everyday tasks done end to end the way a resident does
// them, on a 375 px phone, in Japanese and in English: starting from the home page and moving by
// the links and forms on the pages (the header menu opened where it is collapsed), never by
// typing an address. Each task ends on a page that answers it; every page on the way must fit
// the phone's width; the end pages are checked with axe-core; screenshots of every step are in
// artifacts/resident-tasks/ for a person to read.
//   1. find KPI 24-1-1 and its status          5. download the KPI CSV
//   2. send an opinion and look it up           6. estimate a workation subsidy, and add one
//   3. write to 区民の声                            marché date to a calendar
//   4. find the answer about 騒音 in a result    7. find a facility
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, cli, japanDate, startSite } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

const words = {
  ja: { check: '入力内容を確認する', send: 'ご意見を送信する', noise: '騒音', estimate: '補助額',
        opinion: '駅前の歩道に自転車が多く、ベビーカーで通れません。駐輪場を増やしてください。',
        voice: '図書館の開館時間を平日も夜8時まで延ばしてほしいです。' },
  en: { check: 'Check your opinion', send: 'Send', noise: '騒音', estimate: 'subsidy',
        opinion: 'Bicycles block the pavement by the station; please add more bicycle parking.',
        voice: 'Please keep the library open until 8 pm on weekdays.' },
};

async function fitsThePhone(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${where}: the page is ${overflow}px wider than the phone`);
}

async function axeClean(page, where) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const report = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return report.violations.map((v) => `${v.id} (${v.nodes.length}) ${v.nodes[0]?.target?.join(' ')}`);
  });
  assert.deepEqual(violations, [], `${where}: axe`);
}

// Follows the link to `href` as a person would: in the header menu (opening it first where it is
// collapsed) or, with `inMain`, in the page's main content.
async function follow(page, href, { inMain = false } = {}) {
  const scope = inMain ? page.locator('main') : page.locator('header');
  const link = scope.locator(`a[href="${href}"], a[href^="${href}?"], a[href^="${href}#"]`).first();
  if (!inMain && !(await link.isVisible())) {
    const toggle = page.locator('header summary, header button[aria-expanded]').first();
    if (await toggle.count()) await toggle.click();
  }
  await link.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), link.click()]);
}

async function submit(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), locator.click()]);
}

for (const lang of ['ja', 'en']) {
  test(`resident tasks at 375 px (${lang})`, { timeout: 300_000 }, async () => {
    const site = await startSite();
    const shots = join(artifacts, 'resident-tasks');
    mkdirSync(shots, { recursive: true });
    let step = 0;
    const shot = async (page, name) => {
      step += 1;
      await fitsThePhone(page, name);
      await page.screenshot({ path: join(shots, `${lang}-${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
    };
    const w = words[lang];
    try {
      // An open consultation, as staff would have created it.
      cli(site.db, ['consultation', 'create', '--title', '港区自転車利用環境計画（素案）',
                    '--opens', japanDate(-3), '--closes', japanDate(30)]);
      const context = await site.browser.newContext({
        viewport: { width: 375, height: 812 }, locale: lang === 'en' ? 'en-GB' : 'ja-JP', acceptDownloads: true,
        bypassCSP: true, // axe-core is injected as a script
      });
      const page = await context.newPage();
      const home = async () => {
        await page.goto(`${site.base}/`);
        if (lang === 'en' && (await page.getAttribute('html', 'lang')) !== 'en') {
          await submit(page, page.locator('header a[hreflang="en"]').first());
        }
        assert.equal(await page.getAttribute('html', 'lang'), lang);
      };

      // 1. KPI 24-1-1 and its status: 基本計画 → 政策24 → 施策1 → 24-1-1.
      await home();
      await shot(page, 'home');
      await follow(page, '/plan');
      await follow(page, '/plan/policies/24', { inMain: true });
      await shot(page, 'policy-24');
      await follow(page, '/plan/policies/24/measures/1', { inMain: true });
      await follow(page, '/plan/kpis/24-1-1', { inMain: true });
      const kpi = await page.textContent('main');
      assert.ok((await page.textContent('h1')).includes('24-1-1'));
      assert.match(kpi, lang === 'en' ? /Evaluation\s*\S/ : /評価\s*\S/, 'the KPI page states its evaluation');
      await shot(page, 'kpi-24-1-1');
      await axeClean(page, 'KPI 24-1-1');

      // 2. An opinion on the open consultation, then looked up by its receipt number typed
      //    carelessly (lower case, spaces).
      await home();
      await follow(page, '/consultations');
      await page.locator('main a[href^="/consultations/"]').filter({ hasText: '自転車' }).first().click();
      await page.waitForLoadState('domcontentloaded');
      await page.fill('#text', w.opinion);
      await shot(page, 'opinion-form');
      await submit(page, page.getByRole('button', { name: w.check }));
      await shot(page, 'opinion-confirm');
      await Promise.all([page.waitForURL(/\/receipts\/CD-/),
                         page.getByRole('button', { name: w.send, exact: true }).click()]);
      const receipt = (await page.textContent('#receipt-number')).trim();
      assert.match(receipt, /^CD-/);
      await shot(page, 'opinion-receipt');
      await home();
      await follow(page, '/receipts', { inMain: true });
      await page.fill('#number', ` ${receipt.toLowerCase().replaceAll('-', ' ')} `);
      await submit(page, page.locator('main form button[type=submit]').first());
      assert.ok(page.url().includes(`/receipts/${receipt}`), page.url());
      assert.equal(await page.textContent('#copy-text'), w.opinion);
      await shot(page, 'opinion-looked-up');
      await axeClean(page, 'receipt');

      // 3. 区民の声.
      await home();
      await follow(page, '/voice');
      await page.fill('#text', w.voice);
      await submit(page, page.getByRole('button', { name: w.check }));
      await Promise.all([page.waitForURL(/\/receipts\/CD-/),
                         page.getByRole('button', { name: w.send, exact: true }).click()]);
      assert.equal(await page.textContent('#copy-text'), w.voice);
      await shot(page, 'voice-receipt');

      // 4. The answer about 騒音: search, follow the hit into the published result, land on the
      //    item itself with the ward's answer.
      await home();
      await follow(page, '/search');
      await page.fill('main input[name=q]', w.noise);
      await submit(page, page.locator('main form button[type=submit]').first());
      await shot(page, 'search-noise');
      const hit = page.locator('main a[href*="/result#item-"]').first();
      assert.ok(await hit.count(), 'a search hit links to the item in the published result');
      await submit(page, hit);
      const anchor = new URL(page.url()).hash;
      assert.match(anchor, /^#item-\d+$/);
      const item = page.locator(anchor);
      assert.ok(await item.isVisible(), `the item ${anchor} is shown on the phone`);
      assert.ok((await item.textContent()).includes(w.noise), 'the item is about 騒音');
      const answerLabel = lang === 'en' ? 'The ward\'s response' : '区の考え方';
      const answer = item.locator('dt', { hasText: answerLabel }).locator('xpath=following-sibling::dd[1]');
      assert.ok((await answer.textContent()).trim().length > 10, 'the item shows the ward\'s answer');
      await shot(page, 'result-item');
      await axeClean(page, 'result');

      // 5. The KPI CSV, from the dashboard.
      await home();
      await follow(page, '/plan/dashboard', { inMain: true });
      const [download] = await Promise.all([page.waitForEvent('download'),
                                            page.locator('main a[href="/plan/kpis.csv"]').first().click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      assert.ok(csv.startsWith('\uFEFF'), 'UTF-8 with BOM');
      assert.ok(csv.includes('\r\n24-1-1,'), 'KPI 24-1-1 is a row');
      await shot(page, 'dashboard');

      // 6. A workation subsidy estimate, then one marché date into a calendar.
      await home();
      await follow(page, '/partners');
      await follow(page, '/workation', { inMain: true });
      await page.fill('#nights_1', '2');
      await page.fill('#lodging_1', '12000');
      await page.fill('#transport_1', '8000');
      await submit(page, page.locator('form[action="/workation/estimate"] button[type=submit]'));
      const estimate = await page.textContent('main');
      // Lodging is capped at 10,000 yen a night: 2 × 10,000 + 8,000.
      assert.ok(estimate.includes('28,000'), 'the estimate is 28,000 yen');
      await shot(page, 'workation-estimate');
      await home();
      await follow(page, '/partners');
      await follow(page, '/partners/marche', { inMain: true });
      const [ics] = await Promise.all([page.waitForEvent('download'),
                                       page.locator('main a[href^="/partners/marche/"][href$=".ics"]').first().click()]);
      const calendar = readFileSync(await ics.path(), 'utf8');
      assert.equal(calendar.match(/BEGIN:VEVENT/g)?.length, 1, 'one date, one event');
      await shot(page, 'marche');

      // 7. A facility: the library of Shiba.
      await home();
      await follow(page, '/facilities');
      await follow(page, '/facilities/SAMPLE-004', { inMain: true });
      assert.ok((await page.textContent('h1')).includes('芝図書館'));
      await shot(page, 'facility');
      await axeClean(page, 'facility');
      await context.close();
    } catch (error) {
      error.message += `\nserver log:\n${site.log().slice(-2000)}`;
      throw error;
    } finally {
      await site.stop();
    }
  });
}
