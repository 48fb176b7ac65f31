// Runs the 22 TPC-H queries (test/data/tpch/queries) with `floe sql` over read_parquet views of
// the shared SF 0.1 files and with DuckDB over the same files, and compares the answers by the
// rules of answers.mjs (same rows in the query's order, numbers within 1e-6 relative). With
// --iceberg-tables, Floe reads Iceberg tables whose data files are those same files (made by
// bench/tpch's tpch_iceberg_tables) instead of views.
// Usage (from the repository root):
//   node test/sql/tpch/compare_with_duckdb.mjs FLOE_BINARY [--iceberg-tables BINARY] [QNN...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareRows, duckText } from './answers.mjs';

const [floe, ...rest] = process.argv.slice(2);
const icebergFlag = rest.indexOf('--iceberg-tables');
const icebergTables = icebergFlag >= 0 ? rest[icebergFlag + 1] : null;
const only = icebergFlag >= 0 ? rest.filter((_, i) => i !== icebergFlag && i !== icebergFlag + 1)
                              : rest;
const data = join(process.cwd(), '..', 'shared', 'tpch-sf0.1');
const tables = ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region',
                'supplier'];
if (!existsSync(join(data, 'lineitem.parquet'))) {
  console.log(`FAILED - the shared TPC-H files are missing from ${data}`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'floe-tpch-'));
const views = tables
  .map((t) => `CREATE VIEW ${t} AS SELECT * FROM read_parquet('${join(data, t)}.parquet');`)
  .join('\n');
const floeArgs = ['--warehouse', join(scratch, 'warehouse'),
                  '--metastore', `sqlite:${join(scratch, 'floe.db')}`, '--log-level', 'warn'];
writeFileSync(join(scratch, 'views.sql'), views);
const setup = icebergTables
  ? spawnSync(icebergTables, [...floeArgs.slice(0, 4),
                              ...tables.map((t) => `${t}=${join(data, t)}.parquet`)],
              { encoding: 'utf8' })
  : spawnSync(floe, [...floeArgs, 'sql', '-q', '-f', join(scratch, 'views.sql')],
              { encoding: 'utf8' });
if (setup.status !== 0) {
  console.log(`FAILED - creating the ${icebergTables ? 'Iceberg tables' : 'views'}: ` +
              `${setup.stderr}`);
  process.exit(1);
}

const instance = await DuckDBInstance.create(':memory:');
const duck = await instance.connect();
for (const t of tables) {
  await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${join(data, t)}.parquet')`);
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  return rows;
}

let passed = 0;
let failed = 0;
for (let i = 1; i <= 22; i++) {
  const name = `q${String(i).padStart(2, '0')}`;
  if (only.length > 0 && !only.includes(name)) continue;
  const file = join('test', 'data', 'tpch', 'queries', `${name}.sql`);
  const sql = readFileSync(file, 'utf8');
  const run = spawnSync(floe, [...floeArgs, 'sql', '--format', 'csv', '-f', file],
                        { encoding: 'utf8', timeout: 300000 });
  if (run.status !== 0) {
    failed++;
    console.log(`FAILED - ${name}: floe: ${(run.stderr || String(run.error)).trim()}`);
    continue;
  }
  const actual = parseCsv(run.stdout).slice(1);
  const expected = (await duck.runAndReadAll(sql)).getRowsJS().map((r) => r.map(duckText));
  const problem = compareRows(sql, actual, expected);
  if (problem) {
    failed++;
    console.log(`FAILED - ${name}: ${problem}`);
  } else {
    passed++;
    console.log(`ok - ${name}`);
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
