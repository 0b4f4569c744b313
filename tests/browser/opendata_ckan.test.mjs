// Issue 6's checks from outside, as a CKAN client would make them: list every package through
// the API, show each, download every resource by its URL, and open each CSV in LibreOffice
// (converted to XLSX headless) to see that its Japanese survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite } from './harness.mjs';

const japanese = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

async function ckan(base, action, query = '') {
  const response = await fetch(`${base}/api/3/action/${action}${query}`);
  const body = await response.json();
  return { status: response.status, body };
}

// A few short Japanese cells of a CSV (no quotes, commas or markup), to look for in the XLSX.
function japaneseCells(csv) {
  const cells = [];
  for (const line of csv.replace(/^\uFEFF/, '').split('\r\n').slice(0, 6)) {
    for (const cell of line.split(',')) {
      if (japanese.test(cell) && !/["<>&]/.test(cell) && cell.length <= 60) cells.push(cell);
    }
  }
  return cells.slice(0, 5);
}

// The strings of an XLSX's shared-string table; a string split into runs (LibreOffice splits by
// font, e.g. at "_" between kanji) is joined back.
function sharedStrings(xml) {
  return new Set(xml.split('<si>').slice(1).map(
    (item) => [...item.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((match) => match[1]).join('')));
}

test('a CKAN client lists, shows and downloads everything; LibreOffice keeps the Japanese', async () => {
  const site = await startSite();
  try {
    const list = await ckan(site.base, 'package_list');
    assert.equal(list.status, 200);
    assert.equal(list.body.success, true);
    assert.ok(list.body.result.includes('plan-kpis'));

    const csvDirectory = join(site.directory, 'csv');
    mkdirSync(csvDirectory);
    const expected = new Map();  // CSV file name → Japanese cells it holds
    for (const name of list.body.result) {
      const shown = await ckan(site.base, 'package_show', `?id=${encodeURIComponent(name)}`);
      assert.equal(shown.status, 200, name);
      assert.equal(shown.body.result.license_id, 'cc-by-4.0');
      for (const resource of shown.body.result.resources) {
        const file = await fetch(resource.url);
        assert.equal(file.status, 200, resource.url);
        const bytes = Buffer.from(await file.arrayBuffer());
        assert.ok(bytes.length > 0, resource.url);
        if (resource.format === 'CSV') {
          const text = bytes.toString('utf8');
          assert.ok(text.startsWith('\uFEFF'), `${resource.url} starts with a BOM`);
          writeFileSync(join(csvDirectory, `${name}.csv`), bytes);
          expected.set(`${name}.csv`, japaneseCells(text));
        }
      }
    }
    const found = await ckan(site.base, 'package_search', `?q=${encodeURIComponent('成果指標')}`);
    assert.ok(found.body.result.count >= 1);
    assert.ok(found.body.result.results[0].resources.length === 3);
    const missing = await ckan(site.base, 'package_show', '?id=no-such-package');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.__type, 'Not Found Error');

    // LibreOffice, headless, as a ward's staff would open the files. LibreOffice 7.4 reads a CSV
    // in the system charset (Windows-1252 here) and honours a BOM only when told the file is
    // Unicode, so the import names UTF-8 (character set 76), as its dialog would.
    const xlsxDirectory = join(site.directory, 'xlsx');
    const csvFiles = [...expected.keys()].map((file) => join(csvDirectory, file));
    execFileSync('libreoffice', [
      `-env:UserInstallation=file://${join(site.directory, 'libreoffice-profile')}`,
      '--headless', '--infilter=CSV:44,34,76', '--convert-to', 'xlsx', '--outdir', xlsxDirectory,
      ...csvFiles,
    ], { stdio: 'ignore', timeout: 300_000 });
    const converted = new Set(readdirSync(xlsxDirectory));
    let checked = 0;
    for (const [file, cells] of expected) {
      const xlsx = file.replace(/\.csv$/, '.xlsx');
      assert.ok(converted.has(xlsx), `${file} converted`);
      if (cells.length === 0) continue;
      const strings = sharedStrings(execFileSync(
        'unzip', ['-p', join(xlsxDirectory, xlsx), 'xl/sharedStrings.xml'], { encoding: 'utf8' }));
      for (const cell of cells) assert.ok(strings.has(cell), `${xlsx} keeps 「${cell}」`);
      checked += 1;
    }
    assert.ok(checked >= 5, `Japanese checked in ${checked} converted files`);
  } finally {
    await site.stop();
  }
});
