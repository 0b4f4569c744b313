import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const [file, out, top = '0', height = '1100'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 375, height: Number(height) } });
const data = readFileSync(file).toString('base64');
await page.setContent(`<body style="margin:0"><img style="display:block" src="data:image/png;base64,${data}"></body>`);
await page.screenshot({ path: out, clip: { x: 0, y: Number(top), width: 375, height: Number(height) }, fullPage: true });
await browser.close();
