// Reads the Parquet files written by floe_parquet_write_samples with DuckDB and with hyparquet,
// and checks every value against rows.json and the file metadata against manifest.json.
// Usage (from the repository root): node test/interop/parquet_write/check_samples.mjs DIRECTORY
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const directory = process.argv[2];
const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8'));
const expectedRows = JSON.parse(readFileSync(join(directory, 'rows.json'), 'utf8'));
const columns = manifest.columns;

let passed = 0;
let failed = 0;
function check(name, condition, detail = '') {
  if (condition) {
    passed++;
  } else {
    failed++;
    console.log(`FAILED - ${name}${detail ? ': ' + detail : ''}`);
  }
}

const show = (value) =>
  JSON.stringify(value, (key, item) => (typeof item === 'bigint' ? `${item}n` : item));

// Expected floats arrive as numbers or as the strings "NaN", "Infinity", "-Infinity", "-0".
function floatMatches(actual, expected, isReal) {
  if (typeof actual !== 'number') return false;
  if (expected === 'NaN') return Number.isNaN(actual);
  if (expected === 'Infinity') return actual === Infinity;
  if (expected === '-Infinity') return actual === -Infinity;
  if (expected === '-0') return Object.is(actual, -0);
  const wanted = isReal ? Math.fround(expected) : expected;
  return actual === wanted && !Object.is(actual, -0);
}

// Turns the text of a decimal into its unscaled integer.
function unscaled(text, scale) {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -digits : digits;
}

const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

// Compares one DuckDB value with its expected JSON; returns true when equal.
function duckdbMatches(actual, expected, type) {
  if (expected === null) return actual === null;
  if (actual === null || actual === undefined) return false;
  switch (type.kind) {
    case 'boolean':
    case 'smallint':
    case 'integer':
    case 'date':
      return (type.kind === 'date' ? actual.days : actual) === expected;
    case 'bigint':
      return actual === BigInt(expected);
    case 'real':
    case 'double':
      return floatMatches(actual, expected, type.kind === 'real');
    case 'decimal':
      return actual.value === unscaled(expected, type.scale);
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return actual.micros === BigInt(expected);
    case 'varchar':
      return actual === expected;
    case 'bytea':
      return hex(actual.bytes) === expected;
    case 'uuid':
      return actual.toString() === expected;
    case 'list':
      return actual.items.length === expected.length &&
        expected.every((item, i) => duckdbMatches(actual.items[i], item, type.element));
    case 'map':
      return actual.entries.length === expected.length &&
        expected.every(([key, value], i) =>
          duckdbMatches(actual.entries[i].key, key, type.key) &&
          duckdbMatches(actual.entries[i].value, value, type.value));
    case 'struct':
      return type.fields.every((field, i) =>
        duckdbMatches(actual.entries[field.name], expected[i], field.type));
    default:
      return false;
  }
}

// hyparquet gives INT64 as bigint, DECIMAL as a (rounded) number, maps as objects.
function hyparquetMatches(actual, expected, type) {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  switch (type.kind) {
    case 'boolean':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'varchar':
    case 'uuid':
      return actual === expected;
    case 'bigint':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return BigInt(actual) === BigInt(expected);
    case 'real':
    case 'double':
      return floatMatches(actual, expected, type.kind === 'real');
    case 'decimal': {
      const wanted = Number(expected);
      return Math.abs(actual - wanted) <= 1e-12 * Math.max(1, Math.abs(wanted));
    }
    case 'bytea':
      return hex(actual) === expected;
    case 'list':
      return Array.isArray(actual) && actual.length === expected.length &&
        expected.every((item, i) => hyparquetMatches(actual[i], item, type.element));
    case 'map': {
      const entries = Array.isArray(actual) ? actual.map((e) => [e.key, e.value]) : Object.entries(actual);
      return entries.length === expected.length &&
        expected.every(([key, value], i) =>
          hyparquetMatches(entries[i][0], key, type.key) &&
          hyparquetMatches(entries[i][1], value, type.value));
    }
    case 'struct':
      return type.fields.every((field, i) =>
        hyparquetMatches(actual[field.name], expected[i], field.type));
    default:
      return false;
  }
}

function compareRows(reader, sample, rows, matches) {
  check(`${reader} reads ${expectedRows.length} rows of ${sample.name}`,
    rows.length === expectedRows.length, `got ${rows.length}`);
  for (const [index, column] of columns.entries()) {
    let mismatches = 0;
    let first = '';
    for (let row = 0; row < Math.min(rows.length, expectedRows.length); row++) {
      const actual = rows[row][column.name];
      const expected = expectedRows[row][index];
      if (!matches(actual === undefined ? null : actual, expected, column.type)) {
        if (mismatches++ === 0) first = `row ${row}: got ${show(String(actual))} want ${show(expected)}`;
      }
    }
    check(`${reader} values of ${sample.name}.${column.name}`, mismatches === 0,
      `${mismatches} mismatches, first ${first}`);
  }
}

async function query(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

// Expected min/max/null count of a scalar column over rows [begin, end), in DuckDB's text.
function expectedStatistics(columnIndex, begin, end, format) {
  const values = expectedRows.slice(begin, end).map((row) => row[columnIndex]);
  const present = values.filter((value) => value !== null);
  const sorted = present.map(format).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { nulls: values.length - present.length, min: sorted[0], max: sorted[sorted.length - 1] };
}

async function checkMetadata(connection, sample, path) {
  const chunks = await query(connection, `SELECT * FROM parquet_metadata('${path}')`);
  const groups = [...new Set(chunks.map((chunk) => chunk.row_group_id))];
  check(`${sample.name} has ${sample.row_groups.length} row groups`,
    groups.length === sample.row_groups.length, `got ${groups.length}`);
  check(`${sample.name} uses ${sample.codec} everywhere`,
    chunks.every((chunk) => chunk.compression === sample.codec));
  const encodings = new Set(chunks.flatMap((chunk) => chunk.encodings.split(', ')));
  for (const encoding of sample.expected_encodings) {
    check(`${sample.name} uses ${encoding}`, encodings.has(encoding), [...encodings].join(' '));
  }
  for (const encoding of sample.forbidden_encodings) {
    check(`${sample.name} avoids ${encoding}`, !encodings.has(encoding), [...encodings].join(' '));
  }
  // Statistics of BIGINT (signed order) and VARCHAR (unsigned byte order) per row group.
  const bigint = columns.findIndex((column) => column.name === 'l');
  const varchar = columns.findIndex((column) => column.name === 'v');
  const byBytes = (text) => Buffer.from(text, 'utf8').toString('latin1');
  let begin = 0;
  for (const [group, rows] of sample.row_groups.entries()) {
    const end = begin + rows;
    const l = chunks.find((chunk) => Number(chunk.row_group_id) === group && chunk.path_in_schema === 'l');
    const wantL = expectedStatistics(bigint, begin, end, (value) => BigInt(value));
    check(`${sample.name} row group ${group} statistics of l`,
      BigInt(l.stats_min_value) === wantL.min && BigInt(l.stats_max_value) === wantL.max &&
      Number(l.stats_null_count) === wantL.nulls,
      `${l.stats_min_value}..${l.stats_max_value} nulls ${l.stats_null_count}, want ${wantL.min}..${wantL.max} nulls ${wantL.nulls}`);
    const v = chunks.find((chunk) => Number(chunk.row_group_id) === group && chunk.path_in_schema === 'v');
    const wantV = expectedStatistics(varchar, begin, end, byBytes);
    check(`${sample.name} row group ${group} statistics of v`,
      byBytes(v.stats_min_value) === wantV.min && byBytes(v.stats_max_value) === wantV.max &&
      Number(v.stats_null_count) === wantV.nulls,
      `${v.stats_min_value}..${v.stats_max_value}`);
    begin = end;
  }
  const schema = await query(connection, `SELECT name, field_id, repetition_type FROM parquet_schema('${path}')`);
  // Every field has its id; the repeated groups inside LIST and MAP have none (Iceberg).
  const ids = schema.slice(1).map((element) => element.field_id);
  const numbered = ids.filter((id) => id !== null).map(Number);
  const repeated = schema.slice(1).filter((element) => element.repetition_type === 'REPEATED');
  check(`${sample.name} field ids number every field`,
    numbered.every((id, i) => id === i + 1) && numbered.length + repeated.length === ids.length &&
      repeated.every((element) => element.field_id === null),
    show(ids));
  const metadata = await query(connection, `SELECT * FROM parquet_kv_metadata('${path}')`);
  check(`${sample.name} key-value metadata`,
    metadata.some((entry) => String(entry.key) === 'floe.sample'), show(metadata));
}

// DuckDB probes the Bloom filters: a row group holding a value must never be excluded, and
// values that no row group holds should mostly be.
async function checkBloomFilters(connection, sample, path) {
  for (const name of sample.bloom_columns) {
    const index = columns.findIndex((column) => column.name === name);
    const literal = (value) => (name === 'l' ? `${value}::BIGINT` : `'${value.replaceAll("'", "''")}'`);
    const probe = (value) => query(connection,
      `SELECT row_group_id, bloom_filter_excludes FROM parquet_bloom_probe('${path}', '${name}', ${literal(value)})`);
    let wrongly_excluded = 0;
    let begin = 0;
    for (const [group, rows] of sample.row_groups.entries()) {
      const values = expectedRows.slice(begin, begin + rows).map((row) => row[index]);
      for (const value of values.filter((item) => item !== null).slice(0, 10)) {
        const result = await probe(value);
        const entry = result.find((row) => Number(row.row_group_id) === group);
        if (!entry || entry.bloom_filter_excludes) wrongly_excluded++;
      }
      begin += rows;
    }
    check(`${sample.name} Bloom filter of ${name} keeps row groups holding a value`,
      wrongly_excluded === 0, `${wrongly_excluded} wrongly excluded`);
    const absent = name === 'l' ? ['12345', '-7', '99', '424242'] : ['absent', 'nope', 'zz top', 'key-'];
    let probes = 0;
    let excluded = 0;
    for (const value of absent) {
      for (const row of await probe(value)) {
        probes++;
        excluded += row.bloom_filter_excludes ? 1 : 0;
      }
    }
    check(`${sample.name} Bloom filter of ${name} excludes absent values`,
      probes > 0 && excluded >= probes * 0.9, `${excluded} of ${probes}`);
  }
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const parsers = {
  timestampFromMicroseconds: (micros) => micros,
  dateFromDays: (days) => days,
};

for (const sample of manifest.samples) {
  const path = join(directory, sample.file);
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    compareRows('DuckDB', sample, reader.getRowObjects(), duckdbMatches);
    await checkMetadata(connection, sample, path);
    await checkBloomFilters(connection, sample, path);
  } catch (error) {
    check(`DuckDB reads ${sample.name}`, false, String(error));
  }
  try {
    const buffer = readFileSync(path);
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = await parquetReadObjects({ file, compressors, utf8: false, parsers });
    compareRows('hyparquet', sample, rows, hyparquetMatches);
    const metadata = parquetMetadata(file);
    check(`hyparquet sees ${sample.name}'s row groups`,
      metadata.row_groups.length === sample.row_groups.length);
  } catch (error) {
    check(`hyparquet reads ${sample.name}`, false, String(error));
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
