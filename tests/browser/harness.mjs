// Shared set-up for browser tests: a real civicdesk server on a free port over a fresh SQLite
// file, staff accounts made with the CLI, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../support/net.mjs';

export const binary = process.env.CIVICDESK_BINARY ?? new URL('../../build/civicdesk', import.meta.url).pathname;
export const artifacts = new URL('./artifacts/', import.meta.url).pathname;
export const password = 'correct horse battery staple';

// A date in Japan (UTC+9), shifted by `days`, as YYYY-MM-DD.
export function japanDate(days = 0) {
  return new Date(Date.now() + 9 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

export function cli(db, args, input = '') {
  return execFileSync(binary, [...args, '--db', db], { input, encoding: 'utf8' });
}

// `serveArgs` go to `civicdesk serve` (e.g. ['--submit-limit', '0'] for a suite that submits
// more opinions from one address than a minute allows).
export async function startSite({ serveArgs = [] } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'civicdesk-browser-'));
  const db = `sqlite:${join(directory, 'site.db')}`;
  cli(db, ['db', 'migrate']);
  const port = await freePort();
  const server = spawn(binary, ['serve', '--db', db, '--port', String(port), ...serveArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update'],
  });
  mkdirSync(artifacts, { recursive: true });
  return {
    base, db, browser, directory,
    log: () => log,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

// A fresh browser context signed in as `login`.
export async function signIn(site, login) {
  const context = await site.browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto(`${site.base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL('**/staff'), page.click('form.form button[type=submit]')]);
  return page;
}
