// Issue 6's checks from outside, as a CKAN client would make them: list every package through
// the API, show each, download every resource by its URL, and open each CSV in LibreOffice
// (converted to XLSX headless) to see that its Japanese survives; issue 24's: the KPI codes
// survive the CSV opened with its code column as text, and the XLSX as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite } from './harness.mjs';

// LibreOffice runs for minutes: run it without blocking the event loop, so that the HTTP
// client's keep-alive timers still close its idle connections (a client frozen for longer than
// the server's idle timeout would otherwise reuse a connection the server has closed).
const execFileAsync = promisify(execFile);

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


// LibreOffice's shipped defaults for its CSV import dialog (Office.Calc/Dialogs/CSVImport in
// share/registry/main.xcd): what a resident gets when they open a CSV without changing anything.
function csvImportDialogDefaults() {
  const registry = readFileSync('/usr/lib/libreoffice/share/registry/main.xcd', 'utf8');
  const dialogs = registry.indexOf('oor:name="Dialogs"');
  const csvImport = registry.indexOf('oor:name="CSVImport"', dialogs);
  assert.ok(dialogs >= 0 && csvImport > dialogs, 'LibreOffice registry has Dialogs/CSVImport');
  const value = (name) => {
    const match = new RegExp(`oor:name="${name}"[^>]*>\\s*<value>(true|false)</value>`).exec(registry.slice(csvImport));
    assert.ok(match, `CSVImport/${name} in LibreOffice's registry`);
    return match[1];
  };
  return { QuotedFieldAsText: value('QuotedFieldAsText'), DetectSpecialNumbers: value('DetectSpecialNumbers') };
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
    await execFileAsync('libreoffice', [
      `-env:UserInstallation=file://${join(site.directory, 'libreoffice-profile')}`,
      '--headless', '--infilter=CSV:44,34,76', '--convert-to', 'xlsx', '--outdir', xlsxDirectory,
      ...csvFiles,
    ], { timeout: 300_000 });
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

    // KPI codes (24-1-1) look like dates to a spreadsheet. A CSV cannot type a column (a
    // formula such as ="24-1-1" or a leading ' would change the data), so the CSV is opened the
    // way a resident opens it: LibreOffice's import dialog with its shipped defaults, read from
    // LibreOffice's own registry (Dialogs/CSVImport: DetectSpecialNumbers, QuotedFieldAsText) —
    // not with the code column forced to Text. Every code must come back as the CSV spells it.
    // Our XLSX types the codes as text itself: opened as it is and saved as CSV, each code is
    // unchanged. (Excel converts such codes on a double click whatever the file says; the
    // dataset page offers the XLSX for it.)
    const kpiCsv = (await (await fetch(`${site.base}/plan/kpis.csv`)).text()).replace(/^\uFEFF/, '');
    const codes = kpiCsv.split('\r\n').slice(1).filter((line) => line).map((line) => line.split(',')[0]);
    assert.equal(codes.length, 29);
    assert.ok(codes.every((code) => /^\d+-\d+-\d+$/.test(code)), codes.join(' '));
    const kpiDirectory = join(site.directory, 'kpi-codes');
    mkdirSync(kpiDirectory);
    writeFileSync(join(kpiDirectory, 'kpis.csv'), '\uFEFF' + kpiCsv);
    writeFileSync(join(kpiDirectory, 'kpis-ours.xlsx'),
      Buffer.from(await (await fetch(`${site.base}/plan/kpis.xlsx`)).arrayBuffer()));
    const office = (args) => execFileAsync('libreoffice', [
      `-env:UserInstallation=file://${join(site.directory, 'libreoffice-profile')}`, '--headless',
      ...args], { timeout: 300_000 });
    const dialog = csvImportDialogDefaults();
    // Filter options: separator, text delimiter, UTF-8, first line, no column types, Japanese,
    // then the dialog's two defaults.
    await office([`--infilter=CSV:44,34,76,1,,1041,${dialog.QuotedFieldAsText},${dialog.DetectSpecialNumbers}`,
      '--convert-to', 'xlsx', '--outdir', join(kpiDirectory, 'opened'), join(kpiDirectory, 'kpis.csv')]);
    const opened = sharedStrings(execFileSync(
      'unzip', ['-p', join(kpiDirectory, 'opened', 'kpis.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' }));
    for (const code of codes) assert.ok(opened.has(code), `the CSV opened with LibreOffice's defaults keeps ${code}`);
    await office(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir',
      join(kpiDirectory, 'from-xlsx'), join(kpiDirectory, 'kpis-ours.xlsx')]);
    const saved = readFileSync(join(kpiDirectory, 'from-xlsx', 'kpis-ours.csv'), 'utf8');
    const savedCodes = saved.replace(/^\uFEFF/, '').split(/\r?\n/).slice(1).filter((line) => line)
      .map((line) => line.split(',')[0].replace(/^"|"$/g, ''));
    assert.deepEqual(savedCodes, codes, 'the XLSX keeps every KPI code as text');
  } finally {
    await site.stop();
  }
});
