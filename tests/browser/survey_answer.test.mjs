// Issue 21 (1–3): a resident answers a survey on a 375 px phone with the keyboard only, in
// Japanese and in English: an empty send shows each question's error beside it and a summary
// linking to it (axe-clean), the answers go in, the thanks page says so, a reload stores nothing
// twice. Staff define the survey by uploading its definition file and open and close it; the
// closed survey's share of 満足 + まあ満足 (with eight more answers sent as a browser without
// script would) reaches KPI 24-0-1 through fed_by with n and the margin of error, checked here by
// hand. Screenshots in artifacts/survey/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, cli, password, startSite } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

const definition = {
  key: 'browser-survey', title: '令和8年度区民意識調査（ブラウザ確認）', title_en: 'Resident survey FY2026 (browser check)',
  fiscal_year: 2026,
  sections: [
    { key: 'about', title: 'あなたについて', title_en: 'About you', questions: [
      { key: 'district', type: 'single', segment: 'district', required: true, text: 'お住まいの地区', text_en: 'Your district',
        choices: [{ value: '芝', en: 'Shiba' }, { value: '麻布', en: 'Azabu' }, { value: '赤坂', en: 'Akasaka' }] },
      { key: 'residence', type: 'single', segment: 'residence', text: '在住ですか、在勤ですか', text_en: 'Do you live or work in the ward?',
        choices: [{ value: '在住', en: 'I live here' }, { value: '在勤', en: 'I work here' }] }] },
    { key: 'policy', title: '区政について', title_en: 'About the ward', questions: [
      { key: 'p24', type: 'satisfaction', required: true, text: '政策24について満足していますか', text_en: 'Are you satisfied with policy 24?' },
      { key: 'why', type: 'text', max_length: 200, text: '満足でない理由', text_en: 'Why not?',
        show_if: { question: 'p24', any_of: ['満足ではない'] } },
      { key: 'media', type: 'multiple', text: '区の情報をどこで得ますか', text_en: 'Where do you get news of the ward?',
        choices: [{ value: '広報みなと', en: 'Koho Minato' }, { value: 'ホームページ', en: 'Website' }] }] }],
  feeds: [{ kpi: '24-0-1', question: 'p24', choices: ['満足', 'まあ満足'] }],
};

const words = {
  ja: { required: '回答してください', thanks: '回答を受け付けました', summary: 'お住まいの地区' },
  en: { required: 'Please answer this question', thanks: 'Your answers have been received', summary: 'Your district' },
};

function stored(site) {
  const file = site.db.replace(/^sqlite:/, '');
  return Number(execFileSync('sqlite3', [file, 'SELECT COUNT(*) FROM surveys_response'], { encoding: 'utf8' }).trim());
}

// Presses Tab until the focused control is `name` (with `value` for a radio or checkbox).
async function tabTo(page, name, value) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(() => ({ name: document.activeElement?.name, value: document.activeElement?.value }));
    if (here.name === name && (value === undefined || here.value === value)) return;
  }
  throw new Error(`no focus reached ${name}`);
}

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const report = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return report.violations.map((v) => `${v.id}: ${v.nodes[0]?.target?.join(' ')}`);
  });
}

// One more respondent through the form as a browser without script sends it (cookie, CSRF and
// form tokens read from the page).
async function answerByFetch(site, id, fields) {
  const form = await fetch(`${site.base}/surveys/${id}`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const html = await form.text();
  const csrf = html.match(/name="csrf_token" value="([^"]+)"/)[1];
  const token = html.match(/name="form_token" value="([0-9a-f]+)"/)[1];
  const sent = await fetch(`${site.base}/surveys/${id}`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: csrf, form_token: token, ...fields }).toString(),
  });
  assert.equal(sent.status, 303);
}

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('a resident answers a survey at 375 px with the keyboard, in Japanese and English; the KPI is fed', async () => {
  const site = await startSite({ serveArgs: ['--submit-limit', '0'] });
  const shots = join(artifacts, 'survey');
  mkdirSync(shots, { recursive: true });
  try {
    cli(site.db, ['user', 'add', '--login', 'kikaku', '--name', '企画 担当', '--role', 'publisher'], `${password}\n`);
    const staffContext = await site.browser.newContext({ locale: 'ja-JP' });
    const staff = await staffContext.newPage();
    await staff.goto(`${site.base}/login`);
    await staff.fill('#login', 'kikaku');
    await staff.fill('#password', password);
    await Promise.all([staff.waitForURL('**/staff'), staff.click('form.form button[type=submit]')]);
    await staff.goto(`${site.base}/staff/surveys`);
    await staff.setInputFiles('#definition-file', {
      name: 'survey.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)),
    });
    await Promise.all([staff.waitForURL(/\/staff\/surveys\/\d+$/), staff.click('form[action="/staff/surveys/definitions"] button')]);
    const id = staff.url().split('/').pop();
    await Promise.all([staff.waitForLoadState('domcontentloaded'), staff.click('button[value="open"]')]);
    await staff.screenshot({ path: join(shots, 'staff-survey.png'), fullPage: true });

    const chosen = { ja: 1, en: 2 };  // まあ満足 (one step down the scale), どちらともいえない (two)
    for (const lang of ['ja', 'en']) {
      const context = await site.browser.newContext({ viewport: { width: 375, height: 800 }, bypassCSP: true, locale: lang === 'en' ? 'en-GB' : 'ja-JP' });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      await page.goto(`${site.base}/surveys/${id}`);
      assert.deepEqual(await axe(page), [], `${lang} form`);
      assert.ok(await overflow(page) <= 0, `${lang}: the form scrolls sideways`);
      await page.screenshot({ path: join(shots, `${lang}-form.png`), fullPage: true });
      // Sent empty with the keyboard: each required question's error beside it, and a summary.
      await tabTo(page, 'q_media__0');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');  // the second checkbox
      await page.keyboard.press('Tab');  // the send button
      await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.keyboard.press('Enter')]);
      assert.equal(await page.locator('#error-summary').count(), 1);
      assert.match(await page.locator('#error-summary').innerText(), new RegExp(words[lang].summary));
      assert.match(await page.locator('#q_p24-error').innerText(), new RegExp(words[lang].required));
      assert.equal(await page.locator('#q_media-0').isChecked(), true, 'the ticked box is kept');
      assert.deepEqual(await axe(page), [], `${lang} refused form`);
      await page.screenshot({ path: join(shots, `${lang}-errors.png`), fullPage: true });
      // The summary's link takes the focus to the question.
      await page.focus('#error-summary a');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => location.hash), '#q_district-0');
      // Answers: the first district (Space), 在住, and the scale moved with the arrow keys.
      await page.focus('body');
      await tabTo(page, 'q_district');
      await page.keyboard.press('Space');
      await tabTo(page, 'q_residence');
      await page.keyboard.press('Space');
      await tabTo(page, 'q_p24');
      await page.keyboard.press('Space');
      for (let i = 0; i < chosen[lang]; i++) await page.keyboard.press('ArrowDown');
      await tabTo(page, 'q_why');
      await page.keyboard.type(lang === 'ja' ? '特になし' : 'Nothing');
      const before = stored(site);
      await page.focus('button[type=submit]:not(.lang-switch)');
      await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.keyboard.press('Enter')]);
      assert.match(page.url(), /\/thanks$/);
      assert.match(await page.locator('h1').innerText(), new RegExp(words[lang].thanks));
      assert.equal(stored(site), before + 1);
      await page.screenshot({ path: join(shots, `${lang}-thanks.png`), fullPage: true });
      // Back and send the same form again: still one response.
      await page.goBack();
      if (page.url().endsWith(`/surveys/${id}`)) {
        const resend = page.locator('button[type=submit]:not(.lang-switch)');
        if (await resend.count()) await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), resend.click()]);
      }
      assert.equal(stored(site), before + 1, `${lang}: sent twice`);
      await context.close();
    }

    // Eight more: four 満足, four 満足ではない (a KPI value needs 10 respondents).
    for (let i = 0; i < 8; i++) {
      await answerByFetch(site, id, { q_district: '麻布', q_p24: i < 4 ? '満足' : '満足ではない' });
    }
    assert.equal(stored(site), 10);
    // Closed: the share of 満足 + まあ満足 feeds 24-0-1. By hand: 4 + 1 of 10 = 50 %; n = 10;
    // margin 1.96·√(0.5·0.5/10)·100 = 31.0 points (no population table: unweighted).
    await staff.goto(`${site.base}/staff/surveys/${id}`);
    await Promise.all([staff.waitForLoadState('domcontentloaded'), staff.click('button[value="closed"]')]);
    const kpi = await (await fetch(`${site.base}/api/v1/plan/kpis/24-0-1`)).json();
    const fed = kpi.actuals.find((a) => a.fiscal_year === 2026);
    assert.equal(fed.value, 50);
    assert.equal(fed.fed_by.module, 'surveys');
    assert.equal(fed.fed_by.n, 10);
    assert.equal(fed.fed_by.margin_of_error, Math.round(1.96 * Math.sqrt(0.25 / 10) * 1000) / 10);
    const baseline = kpi.actuals.find((a) => a.fiscal_year === 2019);
    assert.equal(baseline.value, 27.6);
    assert.equal(baseline.fed_by.n, null);
    assert.equal(kpi.fed_by.length, 2);
    await staff.goto(`${site.base}/plan/kpis/24-0-1`);
    assert.match(await staff.locator('#fed-by').innerText(), /回答者 10人、誤差 ±31.0ポイント/);
    await staff.screenshot({ path: join(shots, 'kpi-fed-by.png'), fullPage: true });
    const results = await (await fetch(`${site.base}/surveys/${id}/results`)).text();
    assert.match(results, />40\.0%</);  // 満足: 4 of 10
    await staffContext.close();
  } finally {
    await site.stop();
  }
});
