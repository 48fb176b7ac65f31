// Reads Parquet files with `floe parquet cat --format json` and with DuckDB, and compares every
// value. Files: ones DuckDB writes here (every codec, page versions, encodings, types), the
// shared TPC-H files, and the shared Iceberg interop files (decoded fully, row count checked).
// Usage (from the repository root): node compare_with_duckdb.mjs FLOE_BINARY SCRATCH_DIR
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';

const [floe, scratch] = process.argv.slice(2);
const shared = join(process.cwd(), '..', 'shared');
let passed = 0;
let failed = 0;
const pass = (name) => { passed++; console.log(`ok - ${name}`); };
const fail = (name, detail) => { failed++; console.log(`FAILED - ${name}: ${detail}`); };

const instance = await DuckDBInstance.create(':memory:');
const duck = await instance.connect();

// Rows of every type DuckDB writes, with NULLs, empty lists, dictionary-friendly and unique
// strings, so that pages mix dictionary and plain encodings.
const kTypesQuery = `
  SELECT
    i::INTEGER AS i32,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1000003 - 2000000 END::BIGINT AS i64,
    (i % 100 - 50)::TINYINT AS i8, (i % 1000 - 500)::SMALLINT AS i16,
    (i % 200)::UTINYINT AS u8, (i * 7)::USMALLINT AS u16, (i * 100000)::UINTEGER AS u32,
    (i::UBIGINT * 3074457345618258)::UBIGINT AS u64,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,
    (i / 3.0 - 100)::DOUBLE AS f64,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
    (i * 1.25 - 300)::DECIMAL(9,2) AS d9,
    (i * 12345.678)::DECIMAL(18,3) AS d18,
    (i * 123456789.123 - 5e10)::DECIMAL(38,3) AS d38,
    (i % 1000 * 0.5)::DECIMAL(4,1) AS d4,
    DATE '1960-01-01' + (i * 13)::INTEGER AS dt,
    TIMESTAMP '1965-03-04 05:06:07.123456' + i * INTERVAL 7777777 SECOND AS ts,
    (TIMESTAMPTZ '2001-02-03 04:05:06.5+00' + i * INTERVAL 1234567 SECOND) AS tstz,
    (TIMESTAMP '1990-01-01 00:00:00.123' + i * INTERVAL 55555 SECOND)::TIMESTAMP_MS AS ts_ms,
    TIME '00:00:00' + i * INTERVAL 17 SECOND + INTERVAL 250 MILLISECOND AS tm,
    'word' || (i % 37) AS s_dict,
    CASE WHEN i % 11 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS s_plain,
    CASE WHEN i % 13 = 0 THEN '' ELSE repeat('x', i % 17) END AS s_empty,
    md5(i::VARCHAR)::UUID AS id,
    CASE WHEN i % 4 = 0 THEN NULL ELSE unhex(md5(i::VARCHAR)) END AS bl,
    CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN [] ELSE [i, NULL, i + 1] END AS l,
    CASE WHEN i % 6 = 0 THEN NULL ELSE {'a': i, 'b': 'v' || i, 'c': [i % 3]} END AS st,
    CASE WHEN i % 5 = 0 THEN NULL ELSE MAP {'k' || (i % 3): i, 'z': NULL} END AS m,
    [{'x': i, 'y': ['p', NULL]}, NULL] AS ls,
    [[i], [], NULL] AS ll
  FROM range(6000) t(i)`;

// Canonical text of a value so that Floe's and DuckDB's JSON compare exactly: integers of any
// size as decimal text, REAL at float precision, BLOB as hex.
function canonical(value, type) {
  if (value === null || value === undefined) return null;
  if (type === 'FLOAT') return String(Math.fround(Number(value)));
  if (type === 'DOUBLE') return String(Number(value));
  if (type === 'BLOB') return blobHex(value);
  if (Array.isArray(value)) return value.map((v) => canonical(v, ''));
  if (typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = canonical(value[key], '');
    return out;
  }
  return String(value);
}

// Floe prints BLOBs as \x + hex; the DuckDB side selects lower(hex(...)) for them, since its own
// text form leaves printable bytes (a backslash too) unescaped.
function blobHex(text) {
  return text.startsWith('\\x') ? text.slice(2) : text;
}

function canonicalRow(row, names, types) {
  return JSON.stringify(names.map((name, i) => canonical(row[name], types[i])));
}

// Streams Floe's JSON lines to `onRow`; resolves with the exit code and stderr.
function runFloe(args, onRow) {
  return new Promise((resolve) => {
    const child = spawn(floe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => onRow(JSON.parse(line)));
    child.on('close', (code) => lines.close() || resolve({ code, stderr }));
  });
}

// Compares every row of `file` as read by Floe and by DuckDB, DuckDB's rows fetched in slices.
async function compareFile(name, file) {
  const probe = await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}') LIMIT 0`);
  const names = probe.columnNames();
  const types = probe.columnTypes().map((t) => t.toString());
  const count = Number((await duck.runAndReadAll(
    `SELECT count(*)::INTEGER FROM read_parquet('${file}')`)).getRows()[0][0]);
  const sliceSize = 100000;
  const selectList = names.map((name, i) => (types[i] === 'BLOB'
    ? `lower(hex("${name}")) AS "${name}"` : `"${name}"`)).join(', ');
  const floeRows = [];
  const result = await runFloe(['parquet', 'cat', file, '--format', 'json'],
    (row) => floeRows.push(canonicalRow(row, names, types)));
  if (result.code !== 0) return fail(name, `floe exited ${result.code}: ${result.stderr}`);
  if (floeRows.length !== count) return fail(name, `floe read ${floeRows.length} rows, DuckDB ${count}`);
  for (let offset = 0; offset < count; offset += sliceSize) {
    const reader = await duck.runAndReadAll(
      `SELECT ${selectList} FROM read_parquet('${file}') LIMIT ${sliceSize} OFFSET ${offset}`);
    const rows = reader.getRowObjectsJson();
    for (let i = 0; i < rows.length; i++) {
      const expected = canonicalRow(rows[i], names, types);
      if (floeRows[offset + i] !== expected) {
        return fail(name, `row ${offset + i}: floe ${floeRows[offset + i]} duckdb ${expected}`);
      }
    }
  }
  pass(`${name} (${count} rows)`);
}

async function writeWithDuckDB(file, options) {
  await duck.run(`COPY (${kTypesQuery}) TO '${file}' (FORMAT parquet, ${options})`);
}

const variants = [];
for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4_raw', 'brotli']) {
  for (const version of ['V1', 'V2']) {
    variants.push({ name: `${codec}-${version}`,
      options: `COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 2500` });
  }
}
variants.push({ name: 'no-dictionary',
  options: 'COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 1, ROW_GROUP_SIZE 100000' });
variants.push({ name: 'small-pages-v2',
  options: 'COMPRESSION snappy, PARQUET_VERSION V2, ROW_GROUP_SIZE 1000, STRING_DICTIONARY_PAGE_SIZE_LIMIT 512' });

for (const variant of variants) {
  const file = join(scratch, `${variant.name}.parquet`);
  try {
    await writeWithDuckDB(file, variant.options);
  } catch (error) {
    // The pinned DuckDB writes every variant, brotli included.
    fail(variant.name, `DuckDB cannot write ${variant.name}: ${error.message.split('\n')[0]}`);
    continue;
  }
  await compareFile(`duckdb ${variant.name}`, file);
}

const tpch = join(shared, 'tpch-sf0.1');
if (!existsSync(tpch)) fail('tpch', `shared TPC-H files missing: ${tpch}`);
else {
  for (const entry of readdirSync(tpch).filter((f) => f.endsWith('.parquet')).sort()) {
    await compareFile(`tpch ${entry}`, join(tpch, entry));
  }
}

function parquetFilesUnder(directory) {
  const files = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...parquetFilesUnder(path));
    else if (entry.endsWith('.parquet')) files.push(path);
  }
  return files.sort();
}

// Iceberg files: every row decodes; NotSupported is reported, not failed.
const iceberg = join(shared, 'iceberg-interop');
if (!existsSync(iceberg)) fail('iceberg', `shared Iceberg tables missing: ${iceberg}`);
else {
  const unsupported = [];
  let files = 0;
  for (const file of parquetFilesUnder(iceberg)) {
    let rows = 0;
    const result = await runFloe(['parquet', 'cat', file, '--format', 'json'], () => { rows++; });
    const name = `iceberg ${file.slice(iceberg.length + 1)}`;
    if (result.code !== 0) {
      if (result.stderr.includes('NotSupported')) unsupported.push(`${name}: ${result.stderr.trim()}`);
      else fail(name, result.stderr.trim());
      continue;
    }
    let expected;
    try {
      expected = Number((await duck.runAndReadAll(
        `SELECT num_rows FROM parquet_file_metadata('${file}')`)).getRows()[0][0]);
    } catch (error) {
      expected = rows;
    }
    if (rows !== expected) fail(name, `floe read ${rows} rows, the footer says ${expected}`);
    else files++;
  }
  pass(`iceberg interop: ${files} files decode with their footer's row count`);
  for (const line of unsupported) console.log(`not supported - ${line}`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
