#!/usr/bin/env bash
# Parquet scan and write throughput, Floe against DuckDB on the same file in the same run
# (docs/benchmarks.md). Writes bench/results/parquet.json and bench/results/parquet.svg.
#
# Environment:
#   PARQUET_BENCH_FILE   the Parquet file to read (default: TPC-H SF1 lineitem, generated once)
#   PARQUET_BENCH_ROUNDS rounds, each running Floe and DuckDB once, in alternating order (3)
#   PARQUET_BENCH_RUNS   timed runs per case per round, after one warm-up run (3)
#   PARQUET_BENCH_CASES  comma-separated cases (all: scan_all, scan_extendedprice, scan_comment,
#                        write_zstd, write_snappy)
#   FLOE_BIN, PARQUET_BENCH_BIN  the floe binary and the benchmark binary (release build)
set -euo pipefail
cd "$(dirname "$0")/../.."

floe_bin=${FLOE_BIN:-build/release/floe}
bench_bin=${PARQUET_BENCH_BIN:-build/release/bench/parquet/parquet_scan_benchmark}
rounds=${PARQUET_BENCH_ROUNDS:-3}
runs=${PARQUET_BENCH_RUNS:-3}
cases=${PARQUET_BENCH_CASES:-scan_all,scan_extendedprice,scan_comment,write_zstd,write_snappy}
cores=$(nproc)
threads=1
if [ "$cores" -gt 1 ]; then
  threads="1,$cores"
fi

sf1_dir=bench/data/tpch-sf1
fallback=../shared/tpch-sf0.1/lineitem.parquet
input=${PARQUET_BENCH_FILE:-}
dataset=custom
if [ -z "$input" ]; then
  input=$sf1_dir/lineitem.parquet
  dataset="TPC-H SF1 lineitem (floe tpch generate)"
  if [ ! -f "$input" ] && [ -x "$floe_bin" ] && "$floe_bin" tpch generate --help >/dev/null 2>&1; then
    echo "== generating TPC-H SF1 lineitem into $sf1_dir"
    mkdir -p "$sf1_dir"
    "$floe_bin" tpch generate --sf 1 --out "$sf1_dir" --tables lineitem
  fi
  if [ ! -f "$input" ]; then
    echo "note: no TPC-H SF1 data and no 'floe tpch generate' in $floe_bin;" \
      "using $fallback (SF0.1, written by DuckDB)"
    input=$fallback
    dataset="TPC-H SF0.1 lineitem (dbgen, written by DuckDB)"
  fi
fi
if [ ! -f "$input" ]; then
  echo "parquet bench: no input file $input" >&2
  exit 1
fi
if [ ! -x "$bench_bin" ]; then
  echo "parquet bench: no benchmark binary $bench_bin (build the release tree first)" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
raw=$scratch/samples.jsonl

run_floe() {
  "$bench_bin" --file "$input" --runs "$runs" --warmup 1 --threads "$threads" \
    --cases "$cases" --temp-dir "$scratch" --round "$1" >>"$raw"
}
run_duckdb() {
  node bench/parquet/duckdb_parquet.mjs --file "$input" --runs "$runs" --warmup 1 \
    --threads "$threads" --cases "$cases" --temp-dir "$scratch" --round "$1" >>"$raw"
}

echo "== parquet: $input, $rounds rounds x $runs runs, threads $threads"
for ((round = 1; round <= rounds; round++)); do
  # Alternate which engine goes first so that drift on a shared machine hits both alike.
  if ((round % 2 == 1)); then
    echo "-- round $round: floe, duckdb"
    run_floe "$round"
    run_duckdb "$round"
  else
    echo "-- round $round: duckdb, floe"
    run_duckdb "$round"
    run_floe "$round"
  fi
done

mkdir -p bench/results
python3 bench/parquet/report.py "$raw" \
  --input "$input" --dataset "$dataset" \
  --input-bytes "$(stat -c %s "$input")" \
  --revision "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
  --cores "$cores" \
  --duckdb-version "$(node -e "console.log(require('@duckdb/node-api/package.json').version)")" \
  --json bench/results/parquet.json --svg bench/results/parquet.svg
