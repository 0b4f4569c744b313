// Issue 19 #1 and #2, the web half: a publisher on a 375 px phone uploads Excel's CSV (CP932)
// whose header says 番号 / ご意見 with one more column of data (受付日), finds that column flagged
// on the mapping page with the first rows, ignores it, checks (nothing written), confirms, and
// sees the opinions in the consultation's queue. Japanese and English; axe-core finds no
// violation on the upload and mapping pages; nothing scrolls sideways. Screenshots in
// artifacts/staff-import/ for checking by eye.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, cli, japanDate, password, startSite } from './harness.mjs';

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

async function sideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

// Excel's "CSV" on Japanese Windows: Shift_JIS (CP932), CRLF.
function excelCsv(lines) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: `${lines.join('\r\n')}\r\n` });
}

const words = {
  ja: { checked: '確かめただけで、何も書き込んでいません。', done: '件を取り込みました。', queue: '意見の一覧を見る' },
  en: { checked: 'Checked only: nothing has been written.', done: 'rows have been imported.', queue: 'See the opinions' },
};

test('a CP932 file with an extra data column is mapped, checked and imported from a phone', async () => {
  const site = await startSite();
  const shots = join(artifacts, 'staff-import');
  mkdirSync(shots, { recursive: true });
  try {
    cli(site.db, ['user', 'add', '--login', 'publisher', '--name', '公表 担当', '--role', 'publisher'], `${password}\n`);
    const problems = [];
    for (const lang of ['ja', 'en']) {
      const title = lang === 'ja' ? '港区取込確認計画（素案）' : '港区取込確認計画（英語画面）';
      const id = cli(site.db, ['consultation', 'create', '--title', title, '--opens', japanDate(-1),
                               '--closes', japanDate(40), '--fields', '基本目標1 安全なまち']).trim().split('\n').pop();
      const context = await site.browser.newContext({
        viewport: { width: 375, height: 800 }, bypassCSP: true, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
      });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      await page.goto(`${site.base}/login`);
      await page.fill('#login', 'publisher');
      await page.fill('#password', password);
      await Promise.all([page.waitForURL('**/staff'), page.click('form.form button[type=submit]')]);

      // Upload, without any script: the form posts multipart/form-data.
      await page.goto(`${site.base}/staff/imports`);
      problems.push(...(await axeViolations(page)).map((v) => `${lang} upload: ${v.id} ${v.target}`));
      if (await sideways(page) > 0) problems.push(`${lang} upload scrolls sideways`);
      await page.screenshot({ path: join(shots, `${lang}-375-upload.png`), fullPage: true });
      await page.selectOption('#import-consultation', id);
      const first = lang === 'ja' ? '公園の木陰を増やしてください。' : '図書館の開館時間を延ばしてください。';
      await page.setInputFiles('#import-opinions-file', {
        name: 'iken.csv', mimeType: 'text/csv',
        buffer: excelCsv(['番号,ご意見,受付日', `1,${first},2026-01-10`, '2,自転車の駐輪場が足りません。,2026-01-11']),
      });
      await Promise.all([page.waitForURL('**/staff/imports/*'),
                         page.click('form[aria-labelledby="import-opinions-heading"] button[type=submit]')]);

      // The mapping page: the encoding read, the first rows, 受付日 flagged as needing a decision.
      const mapping = await page.textContent('main');
      assert.match(mapping, /CP932/);
      assert.ok(mapping.includes(first), `${lang}: the first row is previewed`);
      assert.equal(await page.getAttribute('#column_3', 'aria-invalid'), 'true', `${lang}: 受付日 is flagged`);
      assert.equal(await page.inputValue('#column_1'), 'field:id');
      assert.equal(await page.inputValue('#column_2'), 'field:text');
      problems.push(...(await axeViolations(page)).map((v) => `${lang} mapping: ${v.id} ${v.target}`));
      if (await sideways(page) > 0) problems.push(`${lang} mapping scrolls sideways`);
      await page.screenshot({ path: join(shots, `${lang}-375-mapping.png`), fullPage: true });

      // Confirming without deciding is refused by the server; ignoring it, a check writes nothing.
      await Promise.all([page.waitForLoadState(), page.click('button[value=confirm]')]);
      assert.ok((await page.textContent('main')).includes('受付日'));
      assert.equal(await page.getAttribute('#column_3', 'aria-invalid'), 'true');
      await page.selectOption('#column_3', 'ignore');
      await Promise.all([page.waitForLoadState(), page.click('button[value=check]')]);
      assert.ok((await page.textContent('main')).includes(words[lang].checked), `${lang}: checked only`);
      await page.screenshot({ path: join(shots, `${lang}-375-checked.png`), fullPage: true });
      assert.equal(await page.inputValue('#column_3'), 'ignore', `${lang}: the choice is kept`);

      await Promise.all([page.waitForLoadState(), page.click('button[value=confirm]')]);
      const doneText = await page.textContent('main');
      assert.ok(doneText.includes(words[lang].done), `${lang}: imported: ${doneText.slice(0, 600)}`);
      if (await sideways(page) > 0) problems.push(`${lang} report scrolls sideways`);
      problems.push(...(await axeViolations(page)).map((v) => `${lang} report: ${v.id} ${v.target}`));
      await page.screenshot({ path: join(shots, `${lang}-375-done.png`), fullPage: true });

      await Promise.all([page.waitForURL(`**/staff/consultations/${id}`), page.click(`text=${words[lang].queue}`)]);
      const queue = await page.textContent('main');
      assert.ok(queue.includes(first) && queue.includes('自転車の駐輪場が足りません。'), `${lang}: both opinions are in the queue`);
      await context.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await site.stop();
  }
});

// The import page of the other importers (/staff/imports/tables): a wide KPI table (a column per
// fiscal year, Excel's CP932) with a column of remarks that no field reads, on a 375 px phone in
// Japanese and English; axe-core on the upload, mapping and report pages; screenshots in
// artifacts/staff-import/ (*-kpi-*.png).
const kpiWords = {
  ja: { checked: '確かめただけで、何も書き込んでいません。', done: '3件を取り込みました。', result: '成果指標の一覧を見る' },
  en: { checked: 'Checked only: nothing has been written.', done: '3 rows have been imported.', result: 'See the indicators' },
};

test('a wide CP932 KPI table is mapped, checked and imported from a phone', async () => {
  const site = await startSite();
  const shots = join(artifacts, 'staff-import');
  mkdirSync(shots, { recursive: true });
  try {
    cli(site.db, ['user', 'add', '--login', 'publisher', '--name', '公表 担当', '--role', 'publisher'], `${password}\n`);
    const problems = [];
    const codes = { ja: '24-2-1', en: '24-1-1' };
    const values = { ja: ['2400', '"2,600"', '2800'], en: ['30', '45.5', '52.7'] };
    for (const lang of ['ja', 'en']) {
      const context = await site.browser.newContext({
        viewport: { width: 375, height: 800 }, bypassCSP: true, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
      });
      await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
      const page = await context.newPage();
      await page.goto(`${site.base}/login`);
      await page.fill('#login', 'publisher');
      await page.fill('#password', password);
      await Promise.all([page.waitForURL('**/staff'), page.click('form.form button[type=submit]')]);

      await page.goto(`${site.base}/staff/imports/tables`);
      problems.push(...(await axeViolations(page)).map((v) => `${lang} tables upload: ${v.id} ${v.target}`));
      if (await sideways(page) > 0) problems.push(`${lang} tables upload scrolls sideways`);
      await page.screenshot({ path: join(shots, `${lang}-375-kpi-upload.png`), fullPage: true });
      await page.setInputFiles('#import-kpi-actuals-file', {
        name: 'kpi.csv', mimeType: 'text/csv',
        buffer: excelCsv(['指標番号,令和2年度,R3,2022年度,担当のメモ', `${codes[lang]},${values[lang].join(',')},速報値`]),
      });
      await Promise.all([page.waitForURL('**/staff/imports/tables/*'),
                         page.click('form[aria-labelledby="import-kpi-actuals-heading"] button[type=submit]')]);
      const mapping = await page.textContent('main');
      assert.match(mapping, /CP932/);
      assert.ok(mapping.includes('速報値'), `${lang}: the first row is previewed`);
      assert.equal(await page.getAttribute('#column_5', 'aria-invalid'), 'true', `${lang}: the remarks are flagged`);
      assert.equal(await page.inputValue('#column_2'), 'field:value');
      problems.push(...(await axeViolations(page)).map((v) => `${lang} tables mapping: ${v.id} ${v.target}`));
      if (await sideways(page) > 0) problems.push(`${lang} tables mapping scrolls sideways`);
      await page.screenshot({ path: join(shots, `${lang}-375-kpi-mapping.png`), fullPage: true });

      await Promise.all([page.waitForLoadState(), page.click('button[value=confirm]')]);
      assert.ok((await page.textContent('main')).includes('担当のメモ'), `${lang}: refused naming the column`);
      await page.selectOption('#column_5', 'ignore');
      await Promise.all([page.waitForLoadState(), page.click('button[value=check]')]);
      assert.ok((await page.textContent('main')).includes(kpiWords[lang].checked), `${lang}: checked only`);
      await page.screenshot({ path: join(shots, `${lang}-375-kpi-checked.png`), fullPage: true });
      await Promise.all([page.waitForLoadState(), page.click('button[value=confirm]')]);
      const doneText = await page.textContent('main');
      assert.ok(doneText.includes(kpiWords[lang].done), `${lang}: imported: ${doneText.slice(0, 600)}`);
      if (await sideways(page) > 0) problems.push(`${lang} tables report scrolls sideways`);
      problems.push(...(await axeViolations(page)).map((v) => `${lang} tables report: ${v.id} ${v.target}`));
      await page.screenshot({ path: join(shots, `${lang}-375-kpi-done.png`), fullPage: true });
      await Promise.all([page.waitForLoadState(), page.click(`text=${kpiWords[lang].result}`)]);
      await page.goto(`${site.base}/plan/kpis/${codes[lang]}`);
      const kpi = await page.textContent('main');
      assert.ok(kpi.includes(lang === 'ja' ? '2800件' : '52.7'), `${lang}: the actual is on the KPI page`);
      await context.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await site.stop();
  }
});
