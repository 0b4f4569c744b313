// Issue 25, deliverable 5: answering at speed on a phone (375 px), in Japanese and English, with
// and without JavaScript. Section staff answer three opinions one after the other ("save and
// next", with a confirmation each time); a publisher opens the 未承認 count, ticks every item
// (the header checkbox with JavaScript, the "tick every item" link without) and approves them
// in one go, staying in the filtered queue; a bulk action with nothing ticked shows the queue
// again with an error summary. Each page is checked with axe-core (WCAG 2.1 A and AA) and must
// not scroll sideways; the site's CSP stays on, so the static script runs as it will in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, cli, japanDate, password, startSite } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const words = {
  ja: {
    unanswered: '未回答', unapproved: '未承認', save: '保存する', saveNext: '保存して次へ',
    saved: '保存しました。', savedOther: 'を保存しました。', approve: '承認する（公表担当）',
    apply: '実行する', tickAll: '表示中の意見をすべて選択', done: 'まとめて処理した意見の数: 3',
    nothing: '「選択」欄にチェックを入れてください', response: '区の考え方', next: '次の意見',
  },
  en: {
    unanswered: 'Unanswered', unapproved: 'Awaiting approval', save: 'Save',
    saveNext: 'Save and go to the next item', saved: 'Saved.', savedOther: 'saved. This is the next item.',
    approve: 'Approve (publishers)', apply: 'Apply', tickAll: 'Tick every item listed',
    done: 'Items changed: 3', nothing: 'tick the items to act on', response: "The ward's response",
    next: 'Next item',
  },
};

async function newPage(site, { lang, js }) {
  const context = await site.browser.newContext({
    viewport: { width: 375, height: 800 }, javaScriptEnabled: js,
    locale: lang === 'en' ? 'en-GB' : 'ja-JP',
  });
  await context.addCookies([{ name: 'civicdesk_lang', value: lang, url: site.base }]);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    // The refused bulk action answers 422 on purpose; anything else (a CSP refusal) is a fault.
    if (message.type() === 'error' && !/status of 422/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.problems = problems;
  page.options = { lang, js };
  page.site = site;
  return page;
}

// axe-core needs JavaScript. A page shown without it is checked as it stands: its HTML, in a
// twin page of the same origin, size and language whose static script is refused, so that what
// axe sees is what the browser without JavaScript showed.
async function twinOf(site, page) {
  const { lang } = page.options;
  const context = await site.browser.newContext({
    viewport: { width: 375, height: 800 }, locale: lang === 'en' ? 'en-GB' : 'ja-JP',
  });
  await context.addCookies(await page.context().cookies());
  await context.route('**/static/*.js', (route) => route.abort());
  const twin = await context.newPage();
  twin.options = { lang, js: true };
  const html = await page.content();
  await twin.goto(page.url().replace(/\/bulk$/, ''));
  await twin.evaluate((markup) => { document.open(); document.write(markup); document.close(); }, html);
  await twin.waitForLoadState('load');
  return twin;
}

async function signIn(site, page, login) {
  await page.goto(`${site.base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL('**/staff'), page.click('form.form button[type=submit]')]);
}

// axe-core (evaluated through the DevTools protocol, so the page's CSP stays on) and the width.
async function check(page, name) {
  if (!page.options.js) {
    const twin = await twinOf(page.site, page);
    try {
      await check(twin, name);
    } finally {
      await twin.context().close();
    }
    return;
  }
  const outcome = await page.evaluate(async (source) => {
    if (!window.axe) (0, eval)(source);
    const report = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      violations: report.violations.map((v) => `${v.id}: ${v.nodes[0]?.target?.join(' ')}`),
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  }, axeSource);
  mkdirSync(join(artifacts, 'answering'), { recursive: true });
  await page.screenshot({ path: join(artifacts, 'answering', `${name}.png`), fullPage: true });
  assert.deepEqual(outcome.violations, [], `${name}: axe violations`);
  assert.ok(outcome.overflow <= 0, `${name}: scrolls sideways by ${outcome.overflow}px`);
}

test('answering and bulk approval at 375 px, ja and en, with and without JavaScript', async () => {
  const site = await startSite();
  try {
    cli(site.db, ['user', 'add', '--login', 'publisher', '--name', '公表 担当', '--role', 'publisher'], `${password}\n`);
    cli(site.db, ['user', 'add', '--login', 'kankyo', '--name', '環境 課員', '--role', 'section',
                  '--department', '環境リサイクル支援部', '--section', '環境課'], `${password}\n`);
    // The set-up is the publisher's, in Japanese with JavaScript, by the queue's own forms.
    const setup = await newPage(site, { lang: 'ja', js: true });
    await signIn(site, setup, 'publisher');

    for (const lang of ['ja', 'en']) {
      for (const js of [true, false]) {
        const w = words[lang];
        const tag = `${lang}-${js ? 'js' : 'nojs'}`;
        const id = cli(site.db, ['consultation', 'create', '--title', `港区回答計画（素案）${tag}`,
                                 '--opens', japanDate(-1), '--closes', japanDate(40),
                                 '--fields', '基本目標1 安全なまち|基本目標2 緑のまち']).trim().split('\n').pop();
        const queue = `${site.base}/staff/consultations/${id}`;
        // Three opinions entered by staff, then routed to 環境課 in one bulk action.
        for (const text of ['公園の緑を増やしてほしい。', '街路樹の手入れをお願いします。', '川辺の散歩道を整えてほしい。']) {
          await setup.goto(queue);
          await setup.fill('#entry-text', text);
          await Promise.all([setup.waitForURL(queue), setup.click('form[action$="/entries"] button[type=submit]')]);
        }
        await setup.goto(queue);
        await setup.check('#pick-all');
        await setup.check('input[name=action][value=section]');
        await setup.selectOption('#bulk-section', '環境リサイクル支援部/環境課');
        await Promise.all([setup.waitForURL(/done=3/), setup.click('#queue-form button[type=submit]')]);

        // Section staff answer the three, one after the other.
        const staff = await newPage(site, { lang, js });
        await signIn(site, staff, 'kankyo');
        await staff.goto(queue);
        await staff.getByRole('link', { name: `${w.unanswered} 3` }).waitFor();
        await check(staff, `${tag}-queue-section`);
        await staff.getByRole('link', { name: `${w.unanswered} 3` }).click();
        await staff.waitForURL(/state=unanswered/);
        await staff.locator('a[data-queue-row]').first().click();
        for (let n = 1; n <= 3; n++) {
          const box = staff.getByLabel(w.response, { exact: true });
          if (n === 1) {
            // The answer box spans the form (it was 140 px wide) and is tall.
            const sizes = await staff.evaluate(() => {
              const area = document.getElementById('response');
              return { box: area.getBoundingClientRect(), form: area.closest('form').getBoundingClientRect() };
            });
            assert.ok(sizes.box.width >= sizes.form.width * 0.95, `${tag}: box ${sizes.box.width} of ${sizes.form.width}`);
            assert.ok(sizes.box.height >= 200, `${tag}: box height ${sizes.box.height}`);
            await check(staff, `${tag}-item`);
          }
          await box.fill(`回答 ${n}: 計画的に進めます。`);
          await staff.locator('input[name=status][value="2"]').check();
          if (n < 3) {
            await staff.getByRole('button', { name: w.saveNext, exact: true }).click();
            await staff.getByRole('status').filter({ hasText: w.savedOther }).waitFor();
          } else {
            await staff.getByRole('button', { name: w.save, exact: true }).click();
            await staff.getByRole('status').filter({ hasText: w.saved }).waitFor();
            await check(staff, `${tag}-item-saved`);
          }
        }
        assert.match(staff.url(), /state=unanswered/, 'the filter travels with the staff member');
        await staff.goto(queue);
        await staff.getByRole('link', { name: `${w.unanswered} 0` }).waitFor();
        if (js) {
          // j moves to the next item from an item page; k back.
          await Promise.all([staff.waitForURL(/\/staff\/items\/\d+$/), staff.locator('a[data-queue-row]').first().click()]);
          await staff.waitForLoadState('load');
          const first = staff.url();
          await Promise.all([staff.waitForURL((url) => url.href !== first), staff.keyboard.press('j')]);
          await staff.waitForLoadState('load');
          assert.match(staff.url(), /\/staff\/items\/\d+$/, `${tag}: j opens the next item`);
          await Promise.all([staff.waitForURL(first), staff.keyboard.press('k')]);
        }
        assert.deepEqual(staff.problems, [], `${tag}: console errors for section staff`);
        await staff.context().close();

        // The publisher approves all three at once from the 未承認 count.
        const publisher = await newPage(site, { lang, js });
        await signIn(site, publisher, 'publisher');
        await publisher.goto(queue);
        await publisher.getByRole('link', { name: `${w.unapproved} 3` }).click();
        await publisher.waitForURL(/state=unapproved/);
        // Nothing ticked: the queue again, saying so, with the filter kept.
        await publisher.getByLabel(w.approve).check();
        await publisher.getByRole('button', { name: w.apply, exact: true }).click();
        await publisher.locator('.error-summary').filter({ hasText: w.nothing }).waitFor();
        await check(publisher, `${tag}-queue-nothing-ticked`);
        if (js) {
          await publisher.getByLabel(w.tickAll).check();
        } else {
          await publisher.getByRole('link', { name: w.tickAll }).click();
        }
        assert.equal(await publisher.locator('input[data-pick]:checked').count(), 3, `${tag}: all ticked`);
        await publisher.getByLabel(w.approve).check();
        await publisher.getByRole('button', { name: w.apply, exact: true }).click();
        await publisher.getByRole('status').filter({ hasText: w.done }).waitFor();
        assert.match(publisher.url(), /state=unapproved/, 'the filter survives the bulk action');
        await publisher.getByRole('link', { name: `${w.unapproved} 0` }).waitFor();
        await check(publisher, `${tag}-queue-approved`);
        assert.deepEqual(publisher.problems, [], `${tag}: console errors for the publisher`);
        await publisher.context().close();
      }
    }
  } catch (error) {
    error.message += `\nserver log:\n${site.log()}`;
    throw error;
  } finally {
    await site.stop();
  }
});
