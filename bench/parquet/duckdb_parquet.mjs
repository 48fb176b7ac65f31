// The Parquet benchmark's cases run in DuckDB on the same file, printed as JSON lines in the
// format of parquet_scan_benchmark (docs/benchmarks.md explains the queries).
//
//   node bench/parquet/duckdb_parquet.mjs --file lineitem.parquet [--runs 5] [--warmup 1]
//        [--threads 1,2] [--cases scan_all,...,write_snappy] [--temp-dir DIR] [--round 0]
//
// Run from the repository root, where node_modules holds @duckdb/node-api.
import { DuckDBInstance } from '@duckdb/node-api';
import { availableParallelism } from 'node:os';
import { statSync, rmSync } from 'node:fs';

const kScanCases = ['scan_all', 'scan_extendedprice', 'scan_comment'];
const kWriteCases = { write_zstd: 'zstd', write_snappy: 'snappy' };

function parseArguments(argv) {
  const options = {
    file: null,
    runs: 5,
    warmup: 1,
    round: 0,
    tempDir: '.',
    threads: null,
    cases: [...kScanCases, ...Object.keys(kWriteCases)],
  };
  for (let i = 2; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} wants a value`);
    if (flag === '--file') options.file = value;
    else if (flag === '--runs') options.runs = Number(value);
    else if (flag === '--warmup') options.warmup = Number(value);
    else if (flag === '--round') options.round = Number(value);
    else if (flag === '--temp-dir') options.tempDir = value;
    else if (flag === '--threads') options.threads = value.split(',').map(Number);
    else if (flag === '--cases') options.cases = value.split(',').filter((c) => c !== '');
    else throw new Error(`unknown flag ${flag}`);
  }
  if (!options.file) throw new Error('--file is required');
  if (!options.threads) {
    const cores = availableParallelism();
    options.threads = cores > 1 ? [1, cores] : [1];
  }
  return options;
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

// The aggregate over `source` that each scan case runs: the cheapest ones measured that make
// DuckDB decode every value. count(column) would not do (DuckDB answers it from the footer's null
// counts), and hashing every column cost more than the Parquet scan itself.
function scanQuery(caseName, source, columns) {
  if (caseName === 'scan_extendedprice') return `SELECT sum(l_extendedprice) FROM ${source}`;
  if (caseName === 'scan_comment') return `SELECT sum(strlen(l_comment)) FROM ${source}`;
  return `SELECT ${columns.map((c) => `any_value(${c})`).join(', ')} FROM ${source}`;
}

async function timeQuery(connection, sql) {
  const start = process.hrtime.bigint();
  await connection.run(sql);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function measure(options, connection, sql, after = async () => {}) {
  const seconds = [];
  for (let run = 0; run < options.warmup + options.runs; ++run) {
    const elapsed = await timeQuery(connection, sql);
    await after();
    if (run >= options.warmup) seconds.push(elapsed);
  }
  return seconds;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function print(options, engine, caseName, threads, rows, seconds, extra = {}) {
  const middle = median(seconds);
  const line = {
    engine,
    case: caseName,
    threads,
    round: options.round,
    rows,
    seconds: seconds.map((s) => Number(s.toFixed(6))),
    median_seconds: Number(middle.toFixed(6)),
    rows_per_second: Math.round(rows / middle),
    ...extra,
  };
  if (extra.sql === undefined) delete line.sql;
  console.log(JSON.stringify(line));
}

async function main() {
  const options = parseArguments(process.argv);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Each scan reads the file through the operating system's page cache, as Floe's does, instead
  // of DuckDB's own cache of file blocks.
  await connection.run('SET enable_external_file_cache = false');
  const source = `read_parquet(${quote(options.file)})`;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const columns = described.getRows().map((row) => row[0]);
  const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${source}`);
  const rows = Number(counted.getRows()[0][0]);

  for (const caseName of options.cases.filter((c) => kScanCases.includes(c))) {
    const sql = scanQuery(caseName, source, columns);
    for (const threads of options.threads) {
      await connection.run(`SET threads = ${threads}`);
      const seconds = await measure(options, connection, sql);
      print(options, 'duckdb', caseName, threads, rows, seconds, { sql });
    }
  }

  const writes = options.cases.filter((c) => c in kWriteCases);
  if (writes.length === 0) return;
  await connection.run('SET threads = ' + Math.max(...options.threads));
  await connection.run(`CREATE TABLE lineitem AS SELECT * FROM ${source}`);
  // The scan queries again over the table in memory: what the aggregate costs without Parquet,
  // an upper bound on DuckDB's time that the Floe side does not spend.
  for (const caseName of options.cases.filter((c) => kScanCases.includes(c))) {
    const sql = scanQuery(caseName, 'lineitem', columns);
    for (const threads of options.threads) {
      await connection.run(`SET threads = ${threads}`);
      const seconds = await measure(options, connection, sql);
      print(options, 'duckdb_memory', caseName, threads, rows, seconds, { sql });
    }
  }
  for (const caseName of writes) {
    const path = `${options.tempDir}/duckdb-${caseName}.parquet`;
    const sql =
      `COPY lineitem TO ${quote(path)} ` +
      `(FORMAT parquet, COMPRESSION ${kWriteCases[caseName]})`;
    for (const threads of options.threads) {
      await connection.run(`SET threads = ${threads}`);
      let outputBytes = 0;
      const seconds = await measure(options, connection, sql, async () => {
        outputBytes = statSync(path).size;
        rmSync(path);
      });
      print(options, 'duckdb', caseName, threads, rows, seconds, { output_bytes: outputBytes, sql });
    }
  }
}

main().catch((error) => {
  console.error(`duckdb_parquet: ${error.message}`);
  process.exit(1);
});
