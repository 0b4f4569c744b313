// Issue 3's flow in a real browser: a citizen submits, staff split and route, two sections
// answer, the publisher publishes, the public page shows both items and the PDF renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, cli, japanDate, password, signIn, startSite } from './harness.mjs';

test('citizen opinion → split → routed → answered → published → PDF', async () => {
  const site = await startSite();
  try {
    cli(site.db, ['user', 'add', '--login', 'publisher', '--name', '公表 担当', '--role', 'publisher'], `${password}\n`);
    cli(site.db, ['user', 'add', '--login', 'kankyo', '--name', '環境 課員', '--role', 'section',
                  '--department', '環境リサイクル支援部', '--section', '環境課'], `${password}\n`);
    cli(site.db, ['user', 'add', '--login', 'bousai', '--name', '防災 課員', '--role', 'section',
                  '--department', '防災危機管理室', '--section', '防災課'], `${password}\n`);
    const id = cli(site.db, ['consultation', 'create', '--title', '港区テスト計画（素案）',
                             '--opens', japanDate(-1), '--closes', japanDate(40),
                             '--fields', '基本目標1 安全なまち|基本目標2 緑のまち']).trim().split('\n').pop();

    // 1. A citizen submits an opinion and gets a receipt.
    const citizen = await (await site.browser.newContext({ locale: 'ja-JP' })).newPage();
    await citizen.goto(`${site.base}/consultations/${id}`);
    await citizen.fill('#text', '防災井戸を増やしてほしい。また、公園の緑を守ってほしい。');
    await citizen.getByLabel('在住').check();
    await citizen.getByRole('button', { name: '入力内容を確認する' }).click();
    await citizen.getByRole('heading', { level: 1, name: '入力内容の確認' }).waitFor();
    await citizen.getByRole('button', { name: 'ご意見を送信する' }).click();
    const receipt = (await citizen.locator('#receipt-number').textContent()).trim();
    assert.match(receipt, /^CD-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await citizen.screenshot({ path: join(artifacts, 'consultation-receipt.png'), fullPage: true });

    // 2. The publisher splits it into two items and routes them to two sections.
    const publisher = await signIn(site, 'publisher');
    await publisher.goto(`${site.base}/staff/consultations/${id}`);
    await publisher.getByRole('link', { name: '分割する' }).first().click();
    await publisher.fill('#pieces', '防災井戸を増やしてほしい。\n---\nまた、公園の緑を守ってほしい。');
    await publisher.getByRole('button', { name: '分割する' }).click();
    await publisher.waitForURL(`**/staff/consultations/${id}`);
    const itemLinks = await publisher.locator('a[href^="/staff/items/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.equal(itemLinks.length, 2);
    const routes = [['基本目標1 安全なまち', '防災危機管理室 防災課'], ['基本目標2 緑のまち', '環境リサイクル支援部 環境課']];
    for (const [index, href] of itemLinks.entries()) {
      await publisher.goto(`${site.base}${href}`);
      await publisher.getByLabel(routes[index][0]).check();
      await publisher.getByLabel(routes[index][1]).check();
      await publisher.getByRole('button', { name: '保存する' }).click();
    }

    // 3. Each section answers its own item, and only its own.
    const answers = [['bousai', itemLinks[0], '災害対策用井戸の設置を進めます。', '3'],
                     ['kankyo', itemLinks[1], '公園の緑の保全に取り組みます。', '2']];
    for (const [login, href, response, status] of answers) {
      const staff = await signIn(site, login);
      await staff.goto(`${site.base}/staff/consultations/${id}`);
      assert.equal(await staff.locator('a[href^="/staff/items/"]').count(), 1);
      await staff.goto(`${site.base}${href}`);
      await staff.fill('#response', response);
      await staff.locator(`input[name=status][value="${status}"]`).check();
      await staff.getByRole('button', { name: '保存する' }).click();
      const other = itemLinks.find((link) => link !== href);
      const forbidden = await staff.goto(`${site.base}${other}`);
      assert.equal(forbidden.status(), 403);
    }

    // 4. The publisher approves both answers and publishes; the period runs 40 more days, so
    //    the publisher closes it early (the new closing date defaults to today).
    for (const href of itemLinks) {
      await publisher.goto(`${site.base}${href}`);
      await publisher.getByRole('button', { name: '承認する' }).click();
    }
    await publisher.goto(`${site.base}/staff/consultations/${id}/publish`);
    await publisher.getByLabel('募集期間を早めに締め切って公表する').check();
    await publisher.getByRole('button', { name: '公表する' }).click();
    await publisher.waitForURL(`**/consultations/${id}/result`);

    // 5. The public page shows both items.
    const reader = await (await site.browser.newContext({ locale: 'ja-JP' })).newPage();
    await reader.goto(`${site.base}/consultations/${id}/result`);
    // (At this width the full table; the same items are also cards, shown on phones.)
    const table = reader.locator('.result-table');
    await table.getByText('防災井戸を増やしてほしい。', { exact: true }).waitFor();
    await table.getByText('また、公園の緑を守ってほしい。', { exact: true }).waitFor();
    await table.getByText('災害対策用井戸の設置を進めます。').waitFor();
    await reader.screenshot({ path: join(artifacts, 'consultation-result.png'), fullPage: true });

    // 6. The PDF renders: page 1 through pdftoppm.
    const pdf = await reader.request.get(`${site.base}/consultations/${id}/result.pdf`);
    assert.equal(pdf.status(), 200);
    const pdfPath = join(artifacts, 'consultation-result.pdf');
    writeFileSync(pdfPath, await pdf.body());
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfPath, join(artifacts, 'consultation-result-page')]);
    assert.ok(statSync(join(artifacts, 'consultation-result-page-1.png')).size > 5000);
  } catch (error) {
    error.message += `\nserver log:\n${site.log()}`;
    throw error;
  } finally {
    await site.stop();
  }
});
