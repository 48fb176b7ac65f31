#!/usr/bin/env bash
# Floe's Parquet writer against independent readers: floe_parquet_write_samples writes sample
# files (every type, codec, encoding and page version) with their expected values, and
# check_samples.mjs reads them with DuckDB and hyparquet and compares value by value.
# Usage: parquet_write_interop_test.sh PATH_TO_FLOE_PARQUET_WRITE_SAMPLES
source "$(dirname "$0")/lib.sh"
samples_tool=$1
repository=$(cd "$(dirname "$0")/../.." && pwd)

if [ ! -d "$repository/node_modules/@duckdb/node-api" ] || [ ! -d "$repository/node_modules/hyparquet" ]; then
  fail "node_modules lacks @duckdb/node-api or hyparquet (run scripts/install-deps)"
  finish
fi

if "$samples_tool" "$scratch"; then
  pass "samples written"
else
  fail "floe_parquet_write_samples failed"
  finish
fi

# The script counts its own checks; its closing line is "N passed, N failed".
output=$(cd "$repository" && node test/interop/parquet_write/check_samples.mjs "$scratch" 2>&1)
status=$?
echo "$output"
if [ $status -eq 0 ]; then
  pass "DuckDB and hyparquet read every sample as written ($(echo "$output" | tail -n 1))"
else
  fail "independent readers disagree with the writer"
fi
finish
