// Issue 18 #5: two `civicdesk serve` processes behind nginx (Debian's nginx-light) on one
// PostgreSQL database, the set-up docs/deployment.md describes. What must hold across them:
//  - a session made on one server is valid on the other;
//  - login throttling and the opinion submission limit count per client address in the
//    database, so spreading attempts over both servers gains nothing;
//  - the client address is the last X-Forwarded-For entry, believed only from nginx
//    (`--trusted-proxy 127.0.0.1`): a client cannot pick its address by writing the header,
//    neither through nginx nor straight to a server;
//  - a public page cached by one server shows a change made elsewhere within its 5 seconds.
// Clients are told apart by their own loopback source address (127.0.0.2, 127.0.0.3, ...), which
// nginx sees and forwards; the servers only ever see nginx's 127.0.0.1.
//
//   node --test tests/multi_server      (CIVICDESK_BINARY, CIVICDESK_TEST_POSTGRES_URL)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net.mjs';

const binary = process.env.CIVICDESK_BINARY ?? new URL('../../build/civicdesk', import.meta.url).pathname;
const postgres = process.env.CIVICDESK_TEST_POSTGRES_URL;
const nginxBinary = '/usr/sbin/nginx';
const submitLimit = 3;
const password = 'correct horse battery staple';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One HTTP/1.1 request from the loopback source address `from`; no connection reuse.
function send(port, method, path, { from = '127.0.0.1', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method, path, localAddress: from,
                                   agent: false, headers: { Connection: 'close', ...headers } },
                                 (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}

function cookiesOf(response) {
  const jar = {};
  for (const line of response.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return jar;
}

const cookieHeader = (jar) => Object.entries(jar).map(([name, value]) => `${name}=${value}`).join('; ');

// Signs in as `login` through `port`: the form's CSRF token, then the POST. Returns the answer
// and the cookies it set.
async function signIn(port, login, secret, from) {
  const form = await send(port, 'GET', '/login', { from });
  assert.equal(form.status, 200, 'the sign-in form');
  const jar = cookiesOf(form);
  const token = /name="csrf_token" value="([^"]+)"/.exec(form.body)[1];
  const body = new URLSearchParams({ csrf_token: token, login, password: secret }).toString();
  const answer = await send(port, 'POST', '/login', {
    from,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(jar),
               'Content-Length': Buffer.byteLength(body) },
    body,
  });
  return { status: answer.status, jar: { ...jar, ...cookiesOf(answer) } };
}

function submitOpinion(port, from, text, headers = {}) {
  const body = JSON.stringify({ text });
  return send(port, 'POST', '/api/v1/voice/opinions', {
    from,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    body,
  });
}

function startServer(db, port) {
  const server = spawn(binary, ['serve', '--db', db, '--port', String(port), '--threads', '2',
                                '--trusted-proxy', '127.0.0.1', '--submit-limit', String(submitLimit)],
                       { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  let exitCode = null;
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => {
    exitCode = code ?? signal;
    resolve();
  }));
  return { server, port, exited, log: () => log, exitCode: () => exitCode };
}

async function healthy(site, port = site.port) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (site.exitCode() !== null) throw new Error(`process on port ${port} exited (${site.exitCode()}):\n${site.log()}`);
    try {
      if ((await send(port, 'GET', '/healthz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`port ${port} did not answer /healthz:\n${site.log()}`);
}

// The nginx configuration of docs/deployment.md, with this test's ports and a private prefix.
function writeNginxConfig(directory, listen, upstreams) {
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(directory, name));
  const config = `
worker_processes 1;
pid ${join(directory, 'nginx.pid')};
error_log ${join(directory, 'error.log')};
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(directory, 'client_body')};
  proxy_temp_path ${join(directory, 'proxy')};
  fastcgi_temp_path ${join(directory, 'fastcgi')};
  uwsgi_temp_path ${join(directory, 'uwsgi')};
  scgi_temp_path ${join(directory, 'scgi')};
  upstream civicdesk {
${upstreams.map((port) => `    server 127.0.0.1:${port};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listen};
    client_max_body_size 2m;
    location / {
      proxy_pass http://civicdesk;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
    }
  }
}
`;
  const file = join(directory, 'nginx.conf');
  writeFileSync(file, config);
  return file;
}

function startNginx(config) {
  const nginx = spawn(nginxBinary, ['-c', config, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  nginx.stderr.on('data', (chunk) => { log += chunk; });
  let exitCode = null;
  const exited = new Promise((resolve) => nginx.once('exit', (code, signal) => {
    exitCode = code ?? signal;
    resolve();
  }));
  return { server: nginx, exited, log: () => log, exitCode: () => exitCode };
}

const skip = !postgres ? 'CIVICDESK_TEST_POSTGRES_URL not set (make test sets it)'
  : !existsSync(nginxBinary) ? 'nginx is not installed (make test installs nginx-light)' : false;

test('two servers behind nginx on one PostgreSQL share sessions, throttling, submission limits and see changes within 5 s',
     { skip, timeout: 600_000 }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'civicdesk-two-servers-'));
  const schema = `two_servers_${process.pid}`;
  execFileSync('psql', [postgres, '-q', '-c', `CREATE SCHEMA ${schema}`]);
  const db = `${postgres}${postgres.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
  const processes = [];
  try {
    execFileSync(binary, ['db', 'migrate', '--db', db], { stdio: 'pipe' });
    execFileSync(binary, ['user', 'add', '--db', db, '--login', 'kouchou', '--name', '広報広聴課 職員',
                          '--role', 'publisher'], { input: `${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    const [portA, portB, portProxy] = [await freePort(), await freePort(), await freePort()];
    const a = startServer(db, portA);
    const b = startServer(db, portB);
    processes.push(a, b);
    await Promise.all([healthy(a), healthy(b)]);
    const proxy = startNginx(writeNginxConfig(directory, portProxy, [portA, portB]));
    processes.push(proxy);
    await healthy(proxy, portProxy);

    // Sessions: signed in on A, the same cookie is a signed-in staff member on B and through nginx.
    const signedIn = await signIn(portA, 'kouchou', password, '127.0.0.1');
    assert.equal(signedIn.status, 303, 'sign-in on server A');
    for (const port of [portB, portProxy, portProxy]) {
      const staff = await send(port, 'GET', '/staff', { headers: { Cookie: cookieHeader(signedIn.jar) } });
      assert.equal(staff.status, 200, `the staff menu with A's session on port ${port}`);
    }

    // Login throttling through nginx: a guesser at 127.0.0.2 alternates between the two servers
    // (nginx's round robin); its attempts add up in the database, so the limit (5 per login and
    // address) holds over both, and then even the right password is refused for that address.
    const guesses = [];
    for (let i = 0; i < 8; i++) guesses.push((await signIn(portProxy, 'kouchou', `wrong ${i}`, '127.0.0.2')).status);
    assert.deepEqual(guesses, [401, 401, 401, 401, 401, 429, 429, 429], 'wrong guesses through nginx');
    assert.equal((await signIn(portProxy, 'kouchou', password, '127.0.0.2')).status, 429,
                 'the guessing address stays throttled on both servers');
    // The member of staff at another address is not locked out by the guesser.
    assert.equal((await signIn(portProxy, 'kouchou', password, '127.0.0.3')).status, 303,
                 'the right password from another address');
    // Writing X-Forwarded-For does not buy another address: nginx appends the real one, and the
    // servers take the last entry. 127.0.0.2 pretending to be 127.0.0.9 stays throttled.
    const spoofedForm = await send(portProxy, 'GET', '/login', { from: '127.0.0.2' });
    const token = /name="csrf_token" value="([^"]+)"/.exec(spoofedForm.body)[1];
    const spoofBody = new URLSearchParams({ csrf_token: token, login: 'kouchou', password }).toString();
    const spoofed = await send(portProxy, 'POST', '/login', {
      from: '127.0.0.2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '127.0.0.9',
                 Cookie: cookieHeader(cookiesOf(spoofedForm)), 'Content-Length': Buffer.byteLength(spoofBody) },
      body: spoofBody,
    });
    assert.equal(spoofed.status, 429, 'a forged X-Forwarded-For through nginx');

    // Submission limit through nginx: 127.0.0.4 may send `submitLimit` opinions a minute in all,
    // whichever server takes them. (A minute boundary in the middle would reset the count, so
    // the run waits for a fresh minute when one is near.)
    const secondsLeft = 60 - new Date().getUTCSeconds();
    if (secondsLeft < 15) await sleep(secondsLeft * 1000 + 500);
    const answers = [];
    for (let i = 0; i < submitLimit + 2; i++) {
      answers.push((await submitOpinion(portProxy, '127.0.0.4', `駅前の自転車置き場を増やしてください（${i + 1}）`)).status);
    }
    assert.deepEqual(answers, [...Array(submitLimit).fill(201), 429, 429], 'opinions through nginx from one address');
    // Another resident is not affected.
    assert.equal((await submitOpinion(portProxy, '127.0.0.5', '公園のベンチを増やしてください')).status, 201);
    // Straight to a server, the header is not believed: 127.0.0.6 claiming to be 127.0.0.5 is
    // counted as itself, and the limited 127.0.0.4 cannot claim to be someone else.
    assert.equal((await submitOpinion(portA, '127.0.0.6', '図書館の開館時間を延ばしてください',
                                      { 'X-Forwarded-For': '127.0.0.4' })).status, 201,
                 'a direct client naming a limited address is counted as itself');
    assert.equal((await submitOpinion(portB, '127.0.0.4', '歩道の段差をなくしてください',
                                      { 'X-Forwarded-For': '127.0.0.7' })).status, 429,
                 'a limited client naming another address stays limited');

    // Page cache: /consultations is served from memory for 5 s. Warm it on B, create a
    // consultation with the command line (a change neither server made), and B must show it
    // within the 5 s (plus a second of slack for a slow machine).
    const before = await send(portB, 'GET', '/consultations');
    assert.equal(before.status, 200);
    const title = `二台構成の確認のための意見募集 ${process.pid}`;
    assert.ok(!before.body.includes(title));
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
    const later = new Date(Date.now() + 40 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
    execFileSync(binary, ['consultation', 'create', '--db', db, '--title', title, '--opens', today,
                          '--closes', later], { stdio: 'pipe' });
    const changed = Date.now();
    let seenAfter = null;
    while (Date.now() - changed < 10_000) {
      const page = await send(portB, 'GET', '/consultations');
      if (page.body.includes(title)) { seenAfter = Date.now() - changed; break; }
      await sleep(100);
    }
    assert.ok(seenAfter !== null && seenAfter <= 6_000,
              `server B showed the new consultation after ${seenAfter ?? '> 10000'} ms (promised: within 5 s)`);
    const viaProxy = await send(portProxy, 'GET', '/consultations');
    assert.ok(viaProxy.body.includes(title), 'through nginx too');

    for (const site of [a, b]) assert.equal(site.exitCode(), null, `a server died:\n${site.log()}`);
  } finally {
    for (const site of processes) if (site.exitCode() === null) site.server.kill('SIGTERM');
    await Promise.all(processes.map((site) => site.exited));
    rmSync(directory, { recursive: true, force: true });
    execFileSync('psql', [postgres, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'pipe' });
  }
});
