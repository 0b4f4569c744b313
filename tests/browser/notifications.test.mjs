// Issue 22 (1) as the issue checks it: a resident leaves an e-mail address on the opinion form
// (a 375 px phone, Japanese), staff answer and publish in the browser, and the notice arrives at a
// local SMTP relay (tests/support/smtp_relay.py, aiosmtpd) with the link to the resident's answer,
// which opens that row of the result; the link in the mail deletes the address. Screenshots in
// artifacts/notifications/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/net.mjs';
import { artifacts, cli, japanDate, password, signIn, startSite } from './harness.mjs';

const shots = join(artifacts, 'notifications');

// The words of an RFC 2047 subject and the base64 body of a message the relay kept.
function readMail(file) {
  const text = readFileSync(file, 'utf8');
  const [head, body] = text.split(/\r?\n\r?\n/, 2);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name) => (unfolded.match(new RegExp(`^${name}: (.*)$`, 'mi')) ?? [])[1] ?? '';
  const subject = header('Subject').replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g,
    (_, encoded) => Buffer.from(encoded, 'base64').toString('utf8'));
  return { to: header('To'), subject, unsubscribe: header('List-Unsubscribe').replace(/[<>]/g, ''),
           body: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') };
}

async function waitForFile(file, seconds) {
  for (let i = 0; i < seconds * 5 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 200));
  return existsSync(file);
}

test('an address left on the form hears of the published result, and its link deletes it', async () => {
  mkdirSync(shots, { recursive: true });
  const relayPort = await freePort();
  const inbox = join(shots, `inbox-${process.pid}`);
  const relay = spawn('/usr/bin/python3', [new URL('../support/smtp_relay.py', import.meta.url).pathname,
                                  String(relayPort), inbox], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => relay.stdout.once('data', resolve));
  const site = await startSite({ serveArgs: ['--smtp-url', `smtp://127.0.0.1:${relayPort}`,
                                             '--smtp-retry-seconds', '1'] });
  try {
    cli(site.db, ['user', 'add', '--login', 'publisher', '--name', '公表 担当', '--role', 'publisher'], `${password}\n`);
    const id = cli(site.db, ['consultation', 'create', '--title', '港区みどりの計画（素案）',
                             '--opens', japanDate(-1), '--closes', japanDate(40),
                             '--fields', '基本目標2 緑のまち']).trim().split('\n').pop();

    // 1. The resident, on a phone, leaves an address for the notice.
    const phone = await site.browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP' });
    const resident = await phone.newPage();
    await resident.goto(`${site.base}/consultations/${id}`);
    await resident.fill('#text', '公園の緑を守ってほしい。');
    await resident.getByLabel('お知らせを受け取るメールアドレス').fill('taro@example.jp');
    await resident.screenshot({ path: join(shots, 'form-ja-375.png'), fullPage: true });
    await resident.getByRole('button', { name: '入力内容を確認する' }).click();
    await resident.getByText('taro@example.jp').waitFor();
    await resident.getByRole('button', { name: 'ご意見を送信する' }).click();
    const receipt = (await resident.locator('#receipt-number').textContent()).trim();
    assert.equal((await resident.locator('#notify-address').textContent()).trim(), 't***@e***.jp');
    await resident.screenshot({ path: join(shots, 'receipt-ja-375.png'), fullPage: true });

    // 2. The publisher answers, approves and publishes (closing the period early).
    const publisher = await signIn(site, 'publisher');
    await publisher.goto(`${site.base}/staff/consultations/${id}`);
    const item = await publisher.getAttribute('a[href^="/staff/items/"]', 'href');
    await publisher.goto(`${site.base}${item}`);
    assert.equal((await publisher.locator('#notify-masked').textContent()).includes('t***@e***.jp'), true);
    await publisher.getByLabel('基本目標2 緑のまち').check();
    await publisher.getByLabel('環境リサイクル支援部 環境課').check();
    await publisher.fill('#response', '公園の緑の保全に取り組みます。');
    await publisher.locator('input[name=status][value="2"]').check();
    await publisher.getByRole('button', { name: '保存する' }).click();
    await publisher.goto(`${site.base}${item}`);
    await publisher.getByRole('button', { name: '承認する' }).click();
    await publisher.goto(`${site.base}/staff/consultations/${id}/publish`);
    await publisher.getByLabel('募集期間を早めに締め切って公表する').check();
    await publisher.getByRole('button', { name: '公表する' }).click();
    await publisher.waitForURL(`**/consultations/${id}/result`);

    // 3. The notice arrives, in Japanese, with the link to the resident's answer.
    assert.ok(await waitForFile(join(inbox, '1.eml'), 40), `no mail arrived\n${site.log()}`);
    const mail = readMail(join(inbox, '1.eml'));
    assert.equal(mail.to, 'taro@example.jp');
    assert.equal(mail.subject, '「港区みどりの計画（素案）」の意見募集の結果を公表しました');
    const link = `${site.base}/consultations/${id}/result#item-1`;
    assert.ok(mail.body.includes(link), mail.body);
    assert.ok(mail.body.includes(receipt), mail.body);
    await resident.goto(link);
    await resident.locator('#item-1').filter({ hasText: '公園の緑の保全に取り組みます。' }).first().waitFor();
    await resident.screenshot({ path: join(shots, 'result-item-ja-375.png') });

    // 4. The link in the mail deletes the address, once.
    await resident.goto(mail.unsubscribe);
    await resident.screenshot({ path: join(shots, 'stop-ja-375.png'), fullPage: true });
    await resident.getByRole('button', { name: 'このアドレスを削除してお知らせを止める' }).click();
    await resident.getByText('メールアドレスを削除しました。').waitFor();
    const again = await resident.goto(mail.unsubscribe);
    assert.equal(again.status(), 404);
  } catch (error) {
    error.message += `\nserver log:\n${site.log()}`;
    throw error;
  } finally {
    await site.stop();
    relay.kill('SIGTERM');
  }
});
