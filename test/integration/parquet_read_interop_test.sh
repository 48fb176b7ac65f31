#!/usr/bin/env bash
# Floe's Parquet reader against DuckDB: files DuckDB writes (every codec, v1 and v2 pages,
# dictionary and plain, all types, nesting, NULLs), the shared TPC-H files value by value, and
# the shared Iceberg files decoded fully (see test/interop/parquet_read/).
# Usage: parquet_read_interop_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$root/node_modules/@duckdb/node-api" ]; then
  fail "@duckdb/node-api is not installed (scripts/install-deps installs it)"
  finish
fi
cd "$root"
if node test/interop/parquet_read/compare_with_duckdb.mjs "$floe" "$scratch"; then
  pass "floe parquet cat matches DuckDB"
else
  fail "floe parquet cat differs from DuckDB (see above)"
fi
finish
