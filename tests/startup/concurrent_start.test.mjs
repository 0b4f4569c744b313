// Issue 18: any number of `serve` processes may start at once on an empty or outdated database.
// Migrations and first-start data loading run under the database's start-up lock (PostgreSQL:
// an advisory lock; SQLite: the write lock), so the others wait and then find everything done.
// Before, the second of two servers started at once on an empty PostgreSQL database died with
// `duplicate key value violates unique constraint "plan_edition_policy_pkey"`.
//
// Each case starts four `civicdesk serve` processes (and a `db migrate`) at once on one database;
// all must answer /healthz with 200 and serve the 26 policies, and every table must hold as many
// rows as in a database one server started alone (nothing loaded twice). On SQLite always, on
// PostgreSQL when CIVICDESK_TEST_POSTGRES_URL is set (make test sets it).
//
//   node --test tests/startup            (CIVICDESK_BINARY)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/net.mjs';

const binary = process.env.CIVICDESK_BINARY ?? new URL('../../build/civicdesk', import.meta.url).pathname;
const postgres = process.env.CIVICDESK_TEST_POSTGRES_URL;
const servers = 4;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startServer(db, port) {
  const server = spawn(binary, ['serve', '--db', db, '--port', String(port), '--threads', '2'],
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

// Waits until the server answers /healthz with 200; fails with its log when it exits first.
async function healthy(site) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (site.exitCode() !== null) {
      throw new Error(`server on port ${site.port} exited (${site.exitCode()}):\n${site.log()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${site.port}/healthz`);
      await response.text();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`server on port ${site.port} did not answer /healthz:\n${site.log()}`);
}

async function stopAll(sites) {
  for (const site of sites) if (site.exitCode() === null) site.server.kill('SIGTERM');
  await Promise.all(sites.map((site) => site.exited));
}

function migrate(db) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['db', 'migrate', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// Starts `servers` processes and a `db migrate` at the same moment; all must succeed.
async function startAtOnce(db) {
  const ports = [];
  for (let s = 0; s < servers; s++) ports.push(await freePort());
  const sites = ports.map((port) => startServer(db, port));
  const migrated = migrate(db);
  try {
    await Promise.all(sites.map(healthy));
    const { code, output } = await migrated;
    assert.equal(code, 0, `db migrate beside the servers failed:\n${output}`);
    for (const site of sites) {
      const response = await fetch(`http://127.0.0.1:${site.port}/api/v1/plan/policies`);
      assert.equal(response.status, 200);
      assert.equal((await response.json()).length, 26, `policies served on port ${site.port}`);
    }
  } finally {
    await stopAll(sites);
    await migrated;
  }
}

// A database one server started alone: the reference row counts.
async function startAlone(db) {
  const site = startServer(db, await freePort());
  try {
    await healthy(site);
  } finally {
    await stopAll([site]);
  }
}

const backends = {
  sqlite: {
    databases(directory) {
      return ['reference', 'empty', 'migrated'].map((name) => `sqlite:${join(directory, `${name}.db`)}`);
    },
    counts(db) {
      const file = db.slice('sqlite:'.length);
      const tables = execFileSync('sqlite3', [file,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"],
      { encoding: 'utf8' }).trim().split('\n');
      const query = tables.map((t) => `SELECT '${t}', COUNT(*) FROM "${t}"`).join(' UNION ALL ');
      return parseCounts(execFileSync('sqlite3', ['-separator', '\t', file, query], { encoding: 'utf8' }));
    },
    // An older civicdesk's database: migrated, but without the partners module (its tables are
    // partner* and workation*).
    dropPartners(db) {
      const file = db.slice('sqlite:'.length);
      const tables = execFileSync('sqlite3', [file,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'partner%' OR name LIKE 'workation%')"],
      { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      assert.ok(tables.length > 0);
      execFileSync('sqlite3', [file, tables.map((t) => `DROP TABLE "${t}";`).join('') +
        "DELETE FROM storage_schema_migrations WHERE module = 'partners';"]);
    },
    cleanup() {},
  },
  postgres: {
    schemas: [],
    databases() {
      return ['reference', 'empty', 'migrated'].map((name) => {
        const schema = `start_${name}_${process.pid}_${Date.now()}`;
        execFileSync('psql', [postgres, '-q', '-c', `CREATE SCHEMA ${schema}`]);
        this.schemas.push(schema);
        return `${postgres}${postgres.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
      });
    },
    counts(db) {
      const schema = decodeURIComponent(db.split('search_path%3D')[1]);
      const query = `SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT COUNT(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables WHERE table_schema = '${schema}' AND table_type = 'BASE TABLE' ORDER BY table_name`;
      return parseCounts(execFileSync('psql', [postgres, '-At', '-F', '\t', '-c', query], { encoding: 'utf8' }));
    },
    dropPartners(db) {
      const schema = decodeURIComponent(db.split('search_path%3D')[1]);
      const tables = execFileSync('psql', [postgres, '-At', '-c',
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND (table_name LIKE 'partner%' OR table_name LIKE 'workation%')`],
      { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      assert.ok(tables.length > 0);
      execFileSync('psql', [postgres, '-q', '-c',
        `DROP TABLE ${tables.map((t) => `${schema}.${t}`).join(', ')} CASCADE; ` +
        `DELETE FROM ${schema}.storage_schema_migrations WHERE module = 'partners'`], { stdio: 'pipe' });
    },
    cleanup() {
      for (const schema of this.schemas) {
        execFileSync('psql', [postgres, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'pipe' });
      }
    },
  },
};

function parseCounts(text) {
  const counts = {};
  for (const line of text.trim().split('\n')) {
    const [table, count] = line.split('\t');
    counts[table] = Number(count);
  }
  return counts;
}

for (const [name, backend] of Object.entries(backends)) {
  const skip = name === 'postgres' && !postgres ? 'CIVICDESK_TEST_POSTGRES_URL not set' : false;
  test(`${name}: ${servers} servers and a db migrate started at once on an empty database, and on an outdated one without data, all come up and load once`,
       { skip, timeout: 600_000 }, async () => {
         const directory = mkdtempSync(join(tmpdir(), 'civicdesk-start-'));
         try {
           const [reference, empty, migrated] = backend.databases(directory);
           await startAlone(reference);
           const expected = backend.counts(reference);
           assert.equal(expected.plan_policy, 26);
           assert.equal(expected.plan_edition_policy > 0, true);

           await startAtOnce(empty);
           assert.deepEqual(backend.counts(empty), expected, 'rows after starting at once on an empty database');

           // Outdated: migrated by an earlier civicdesk without the partners module, first-start
           // data not loaded yet.
           const { code, output } = await migrate(migrated);
           assert.equal(code, 0, output);
           backend.dropPartners(migrated);
           await startAtOnce(migrated);
           assert.deepEqual(backend.counts(migrated), expected, 'rows after starting at once on a migrated database');
         } finally {
           backend.cleanup();
           rmSync(directory, { recursive: true, force: true });
         }
       });
}
