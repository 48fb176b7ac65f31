// Reads Arrow IPC streams from a running `floe server` with apache-arrow, an independent reader,
// and checks the types and values of every column type, NULLs, results of many batches and
// empty results.
//   node read_arrow_results.mjs BASE_URL            the checks; exits 1 when one fails
//   node read_arrow_results.mjs BASE_URL page PATH  reads PATH and prints a summary of the rows
import { fileURLToPath } from 'node:url';

import * as arrow from 'apache-arrow';

const [base, mode, path] = process.argv.slice(2);
let failures = 0;

function check(name, actual, expected) {
  const a = typeof actual === 'string' ? actual : JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const e = typeof expected === 'string' ? expected : JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  if (a === e) {
    console.log(`ok - ${name}`);
  } else {
    failures++;
    console.log(`FAILED - ${name}: expected ${e}, got ${a}`);
  }
}

async function fetchArrow(url, init = {}) {
  const response = await fetch(url, init);
  const type = response.headers.get('content-type');
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200 || type !== 'application/vnd.apache.arrow.stream') {
    throw new Error(`${url}: ${response.status} ${type}: ${new TextDecoder().decode(bytes).slice(0, 300)}`);
  }
  const batches = [...arrow.RecordBatchReader.from(bytes)];
  return { table: arrow.tableFromIPC(bytes), batches, bytes };
}

function query(sql) {
  return fetchArrow(`${base}/api/v1/sql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.apache.arrow.stream' },
    body: JSON.stringify({ sql }),
  });
}

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

function row(table, index) {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, table.getChild(f.name).get(index)]));
}

async function checkTypes() {
  // Row 2 is NULL in every column: CASE without ELSE keeps each column's type.
  const columns = [
    'true AS b', 'CAST(-2 AS smallint) AS s', '7 AS i', 'CAST(9000000000 AS bigint) AS l',
    'CAST(1.5 AS real) AS r', 'CAST(-2.25 AS double precision) AS d',
    'CAST(-12.34 AS numeric(10, 2)) AS n', 'CAST(12345678901234567890.123 AS numeric(30, 3)) AS w',
    "DATE '2024-02-29' AS day", "TIME '13:14:15.123456' AS t",
    "TIMESTAMP '2024-01-02 03:04:05.678901' AS ts", "TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz",
    "INTERVAL '1 month 2 days 3.5 seconds' AS iv", "'héllo' AS v", "CAST('\\x01ff' AS bytea) AS by",
    "CAST('123e4567-e89b-12d3-a456-426614174000' AS uuid) AS u",
  ].map((column) => column.replace(/^(.*) AS (\w+)$/, 'CASE WHEN k = 1 THEN $1 END AS $2'));
  const { table } = await query(`SELECT ${columns.join(', ')} FROM (VALUES (1), (2)) AS v(k) ORDER BY k`);
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, `${f.type}`]));
  check('Arrow types of every scalar column', types, {
    b: 'Bool', s: 'Int16', i: 'Int32', l: 'Int64', r: 'Float32', d: 'Float64',
    n: 'Decimal[10e+2]', w: 'Decimal[30e+3]', day: 'Date32<DAY>', t: 'Time64<MICROSECOND>',
    ts: 'Timestamp<MICROSECOND>', tz: 'Timestamp<MICROSECOND, UTC>',
    iv: 'Interval<MONTH_DAY_NANO>', v: 'Utf8', by: 'Binary', u: 'FixedSizeBinary[16]',
  });
  const decimals = table.schema.fields.filter((f) => f.name === 'n' || f.name === 'w');
  check('decimal precision, scale and width', decimals.map((f) => [f.type.precision, f.type.scale, f.type.bitWidth]),
    [[10, 2, 128], [30, 3, 128]]);
  check('the UUID field carries the arrow.uuid extension name',
    table.schema.fields.find((f) => f.name === 'u').metadata.get('ARROW:extension:name'), 'arrow.uuid');
  check('every field is nullable', table.schema.fields.every((f) => f.nullable), true);
  check('two rows', table.numRows, 2);
  const first = row(table, 0);
  check('boolean, integers and floats', [first.b, first.s, first.i, first.l, first.r, first.d],
    [true, -2, 7, 9000000000n, 1.5, -2.25]);
  const decimal = (name) => {
    const type = table.schema.fields.find((f) => f.name === name).type;
    const words = table.getChild(name).data[0].values.subarray(0, 4);
    const unscaled = BigInt.asIntN(128, [...words].reverse().reduce((acc, w) => (acc << 32n) | BigInt(w >>> 0), 0n));
    return `${unscaled}e-${type.scale}`;
  };
  check('decimals keep every digit', [decimal('n'), decimal('w')], ['-1234e-2', '12345678901234567890123e-3']);
  const days = table.getChild('day').data[0].values[0];
  check('date as days since the epoch', days, 19782);
  check('time as microseconds', table.getChild('t').data[0].values[0], 47655123456n);
  check('timestamp as microseconds', table.getChild('ts').data[0].values[0], 1704164645678901n);
  check('timestamptz as UTC microseconds', table.getChild('tz').data[0].values[0], 1704164645000000n);
  const interval = table.getChild('iv').data[0].values;
  const view = new DataView(interval.buffer, interval.byteOffset, 16);
  check('interval as months, days and nanoseconds',
    [view.getInt32(0, true), view.getInt32(4, true), view.getBigInt64(8, true)], [1, 2, 3500000000n]);
  check('text', first.v, 'héllo');
  check('bytea', hex(first.by), '01ff');
  check('uuid', hex(first.u), '123e4567e89b12d3a456426614174000');
  const second = row(table, 1);
  check('the second row is NULL in every column', Object.values(second).every((v) => v === null), true);
}

async function checkNested() {
  // Lists, structs and maps come from a Parquet file (SQL has no literals for them yet).
  const file = fileURLToPath(new URL('../../fuzz/corpus/fuzz_parquet_reader/nested.parquet', import.meta.url));
  const { table } = await query(`SELECT * FROM read_parquet('${file}')`);
  check('nested types', table.schema.fields.map((f) => `${f.name}:${f.type}`), [
    'l:List<Int64>', 'st:Struct<{x:Int64, y:List<Utf8>}>', 'm:Map<{key:Utf8, value:Int64}>']);
  check('three rows', table.numRows, 3);
  const list = table.getChild('l');
  check('list values and NULL lists', [[...list.get(0)], list.get(1), [...list.get(2)]], [[0n, null], null, [2n, null]]);
  const struct = table.getChild('st');
  check('struct members', [0, 1, 2].map((i) => [struct.get(i).x, [...struct.get(i).y]]), [[0n, ['0']], [1n, ['1']], [2n, ['2']]]);
  const map = table.getChild('m');
  check('map entries', [0, 1, 2].map((i) => Object.fromEntries(map.get(i))), [{ k: 0n }, { k: 1n }, { k: 2n }]);
}

async function checkManyBatches() {
  const { table, batches } = await query(
    "SELECT x, x * 2 AS y, 'v' || x AS s FROM generate_series(1, 100000) AS g(x)");
  check('100,000 rows', table.numRows, 100000);
  check('in many record batches', batches.length > 10, true);
  let sum = 0;
  for (const value of table.getChild('x')) {
    sum += value;
  }
  check('every x arrives', sum, 5000050000);
  check('rows keep their values', [table.get(0).toJSON(), table.get(99999).toJSON()],
    [{ x: 1, y: 2, s: 'v1' }, { x: 100000, y: 200000, s: 'v100000' }]);
}

async function checkEmpty() {
  const { table, bytes } = await query('SELECT x, CAST(x AS text) AS t FROM generate_series(1, 10) AS g(x) WHERE x > 100');
  check('an empty result has its schema', table.schema.fields.map((f) => `${f.name}:${f.type}`), ['x:Int32', 't:Utf8']);
  check('an empty result has no rows', table.numRows, 0);
  check('the stream ends with the end-of-stream marker', hex(bytes.slice(-8)), 'ffffffff00000000');
  const command = await query('CREATE TABLE arrow_created (a integer)');
  check('a command gives a schema without fields', command.table.schema.fields.length, 0);
}

async function checkNulls() {
  const { table } = await query(
    'SELECT CASE WHEN x % 3 = 0 THEN NULL ELSE x END AS maybe FROM generate_series(1, 5000) AS g(x)');
  const column = table.getChild('maybe');
  check('NULL counts across batches', column.nullCount, 1666);
  check('values around NULLs', [column.get(0), column.get(2), column.get(4998), column.get(4996)], [1, null, 4999, 4997]);
}

if (mode === 'page') {
  const { table } = await fetchArrow(`${base}${path}`, { headers: { Accept: 'application/vnd.apache.arrow.stream' } });
  const first = table.get(0).toJSON();
  const last = table.get(table.numRows - 1).toJSON();
  console.log(`rows=${table.numRows} first=${Object.values(first).join(',')} last=${Object.values(last).join(',')}`);
} else {
  for (const step of [checkTypes, checkNested, checkManyBatches, checkEmpty, checkNulls]) {
    try {
      await step();
    } catch (error) {
      failures++;
      console.log(`FAILED - ${step.name}: ${error.stack}`);
    }
  }
  process.exit(failures === 0 ? 0 : 1);
}
