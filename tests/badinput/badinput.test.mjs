// Issue 8's bad-input corpus: every case in http.jsonl is sent raw to a running server and must
// get a 4xx (staff pages without a session: 303 to the sign-in page) while the server stays up; every case in cli.jsonl must end with a clear error (a
// non-zero exit, never a crash, and a message naming the field or line where the case says so).
// The cases come from generate.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net.mjs';

const binary = process.env.CIVICDESK_BINARY ?? new URL('../../build/civicdesk', import.meta.url).pathname;
const here = new URL('.', import.meta.url).pathname;
const load = (file) => readFileSync(join(here, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

// Sends raw bytes, says it has nothing more to send, and returns the status of the answer
// (0 when the connection closed without one).
function sendRaw(port, bytes) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const head = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve(match ? Number(match[1]) : 0);
    };
    socket.setTimeout(10_000, finish);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes, () => socket.end());
  });
}

test('every hostile HTTP request gets a 4xx and the server stays up', async () => {
  const cases = load('http.jsonl');
  const directory = mkdtempSync(join(tmpdir(), 'civicdesk-badinput-'));
  const db = `sqlite:${join(directory, 'site.db')}`;
  execFileSync(binary, ['db', 'migrate', '--db', db]);
  const port = await freePort();
  const server = spawn(binary, ['serve', '--db', db, '--port', String(port), '--submit-limit', '0'],
                       { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  let exited = false;
  server.once('exit', () => { exited = true; });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 400; attempt++) {
      try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const wrong = [];
    for (const [index, item] of cases.entries()) {
      const status = await sendRaw(port, Buffer.from(item.raw, 'base64'));
      const expected = item.expect === '4xx' ? status >= 400 && status <= 499
                                             : status === Number(item.expect);
      if (!expected) wrong.push(`${item.name}: ${status} (expected ${item.expect})`);
      assert.equal(exited, false, `the server died on「${item.name}」\n${log}`);
      if (index % 25 === 24) assert.equal((await fetch(`${base}/healthz`)).status, 200, item.name);
    }
    assert.deepEqual(wrong, [], 'cases not answered with a 4xx');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.doesNotMatch(log, /unhandled error|internal server error/i);
    assert.ok(cases.length >= 200, `${cases.length} HTTP cases`);
  } finally {
    server.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  }
});

test('every bad command-line input ends in a clear error, never a crash', () => {
  const cases = load('cli.jsonl');
  const directory = mkdtempSync(join(tmpdir(), 'civicdesk-badcli-'));
  const db = `sqlite:${join(directory, 'cli.db')}`;
  execFileSync(binary, ['db', 'migrate', '--db', db]);
  try {
    const wrong = [];
    for (const [index, item] of cases.entries()) {
      const file = join(directory, `input-${index}${item.suffix}`);
      writeFileSync(file, Buffer.from(item.input, 'base64'));
      const args = [...item.args.map((arg) => arg.replace('{file}', file)), '--db', db];
      const run = spawnSync(binary, args, { input: 'password\n', encoding: 'utf8', timeout: 60_000 });
      const problem =
          run.signal ? `killed by ${run.signal}`
        : run.status === 0 ? 'exit 0'
        : run.status >= 128 ? `exit ${run.status}`
        : run.stderr.trim() === '' ? 'no message'
        : item.mention && !run.stderr.includes(item.mention) ? `message does not mention ${item.mention}: ${run.stderr.trim()}`
        : null;
      if (problem) wrong.push(`${item.name}: ${problem}`);
    }
    assert.deepEqual(wrong, []);
    assert.ok(cases.length >= 50);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
