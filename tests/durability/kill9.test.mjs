// Issue 8's durability check: citizens submit opinions concurrently while the server is killed
// with SIGKILL at random moments, again and again, and restarted each time. Every receipt the
// server acknowledged (201 with a receipt number) must still be found afterwards, by its
// receipt and by staff search for its text (issue 18: the search document commits with the
// opinion), and the database must pass its integrity check. Runs on SQLite, and on PostgreSQL when
// CIVICDESK_TEST_POSTGRES_URL is set (make test sets it).
//
//   node --test tests/durability            (CIVICDESK_BINARY, CIVICDESK_KILL_ROUNDS=20)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net.mjs';
import { signIn, staffSearchHits } from '../support/staff_search.mjs';

const binary = process.env.CIVICDESK_BINARY ?? new URL('../../build/civicdesk', import.meta.url).pathname;
const rounds = Number(process.env.CIVICDESK_KILL_ROUNDS ?? 20);
const submitters = 8;
const password = 'correct horse battery staple';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(db) {
  const port = await freePort();
  const server = spawn(binary, ['serve', '--db', db, '--port', String(port), '--threads', '4',
                                '--submit-limit', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { server, base, exited, log: () => log };
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  server.kill('SIGKILL');
  throw new Error(`the server did not start:\n${log}`);
}

// Posts opinions until the server stops answering; returns those it acknowledged: the receipt
// and a phrase only that opinion's text holds.
async function submitUntilGone(base, submitter, round) {
  const receipts = [];
  for (let n = 0; ; n++) {
    let response;
    const phrase = `第${round}回 送信者${submitter} 意見${n}：`;
    try {
      response = await fetch(`${base}/api/v1/voice/opinions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: `${phrase}公園の緑を増やしてください。` }),
      });
      if (response.status !== 201) {
        await response.text();
        continue;
      }
      const { receipt } = await response.json();
      receipts.push({ receipt, phrase });  // acknowledged: the whole answer arrived
    } catch {
      return receipts;  // the server is gone; anything not answered was not acknowledged
    }
  }
}

// A staff member who may search every opinion.
function addStaff(db) {
  execFileSync(binary, ['user', 'add', '--db', db, '--login', 'kouchou', '--name', '広報広聴課 職員',
                        '--role', 'publisher'], { input: `${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function killRepeatedly(db) {
  const acknowledged = [];
  for (let round = 1; round <= rounds; round++) {
    const site = await startServer(db);
    const running = [];
    for (let s = 0; s < submitters; s++) running.push(submitUntilGone(site.base, s, round));
    await sleep(150 + Math.floor(Math.random() * 600));
    site.server.kill('SIGKILL');
    await site.exited;
    for (const receipts of await Promise.all(running)) acknowledged.push(...receipts);
  }
  const site = await startServer(db);
  const lost = [];
  const unsearchable = [];
  try {
    for (const { receipt } of acknowledged) {
      const response = await fetch(`${site.base}/api/v1/receipts/${receipt}`);
      await response.text();
      if (response.status !== 200) lost.push(receipt);
    }
    const cookie = await signIn(site.base, 'kouchou', password);
    for (let from = 0; from < acknowledged.length; from += 16) {
      await Promise.all(acknowledged.slice(from, from + 16).map(async ({ receipt, phrase }) => {
        if (await staffSearchHits(site.base, cookie, `"${phrase}"`) !== 1) unsearchable.push(receipt);
      }));
    }
  } finally {
    site.server.kill('SIGTERM');
    await site.exited;
  }
  const check = execFileSync(binary, ['db', 'check', '--db', db], { encoding: 'utf8' });
  return { acknowledged: acknowledged.length, lost, unsearchable, check };
}

test(`SQLite: ${rounds} kill -9s under concurrent submissions lose nothing acknowledged`, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'civicdesk-kill9-'));
  try {
    const db = `sqlite:${join(directory, 'kill9.db')}`;
    execFileSync(binary, ['db', 'migrate', '--db', db]);
    addStaff(db);
    const result = await killRepeatedly(db);
    console.log(`sqlite: ${result.acknowledged} receipts acknowledged over ${rounds} kills`);
    assert.ok(result.acknowledged >= rounds, 'submissions were acknowledged between kills');
    assert.deepEqual(result.lost, []);
    assert.deepEqual(result.unsearchable, [], 'acknowledged opinions staff search cannot find');
    assert.equal(result.check.trim(), 'ok');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test(`PostgreSQL: ${rounds} kill -9s of the app server lose nothing acknowledged`,
     { skip: process.env.CIVICDESK_TEST_POSTGRES_URL ? false : 'CIVICDESK_TEST_POSTGRES_URL not set' },
     async () => {
       const base = process.env.CIVICDESK_TEST_POSTGRES_URL;
       const schema = `kill9_${process.pid}_${Date.now()}`;
       execFileSync('psql', [base, '-q', '-c', `CREATE SCHEMA ${schema}`]);
       const db = `${base}${base.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
       try {
         execFileSync(binary, ['db', 'migrate', '--db', db]);
         addStaff(db);
         const result = await killRepeatedly(db);
         console.log(`postgres: ${result.acknowledged} receipts acknowledged over ${rounds} kills`);
         assert.ok(result.acknowledged >= rounds);
         assert.deepEqual(result.lost, []);
         assert.deepEqual(result.unsearchable, [], 'acknowledged opinions staff search cannot find');
         assert.equal(result.check.trim(), 'ok');
       } finally {
         execFileSync('psql', [base, '-q', '-c', `DROP SCHEMA ${schema} CASCADE`]);
       }
     });
