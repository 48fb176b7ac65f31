#!/usr/bin/env bash
# Iceberg table benchmarks (docs/benchmarks.md, "Tables"): commits per second on SQLite and on
# PostgreSQL, scan planning over 100,000 data files, and reads of a table on S3-compatible
# storage against the local file system, cold and warm (bench/table/s3_read.sh). Writes
# bench/results/table.json. About two minutes with the defaults.
#
# Environment:
#   TABLE_BENCH_COMMITS  commits per commits case (200)
#   TABLE_BENCH_FILES    data files of the planning table (100000)
#   TABLE_BENCH_SF, TABLE_BENCH_RUNS, TABLE_BENCH_REPEATS  the reads (see s3_read.sh)
#   FLOE_BIN, TABLE_BENCH_BIN  the floe binary and the benchmark binary (release build)
set -euo pipefail
cd "$(dirname "$0")/../.."

floe_bin=${FLOE_BIN:-build/release/floe}
bench_bin=${TABLE_BENCH_BIN:-build/release/bench/table/table_benchmark}
commits=${TABLE_BENCH_COMMITS:-200}
files=${TABLE_BENCH_FILES:-100000}
for binary in "$floe_bin" "$bench_bin"; do
  if [ ! -x "$binary" ]; then
    echo "table bench: $binary is missing (make builds it)" >&2
    exit 1
  fi
done

lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for metastore in sqlite postgres; do
  for threads in 1 4; do
    "$bench_bin" commits --metastore "$metastore" --commits "$commits" --threads "$threads" \
      2> >(grep -v 'applied metastore migration' >&2) | tee -a "$lines"
  done
done
# One process per case, so that each case's first plan parses its manifests.
for case in no_filter partition_equal statistics_equal; do
  "$bench_bin" planning --files "$files" --runs 5 --case "$case" | tee -a "$lines"
done
bench/table/s3_read.sh "$floe_bin" | tee -a "$lines"
mkdir -p bench/results
python3 bench/table/report.py "$lines" bench/results/table.json "$load_before" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
