#!/usr/bin/env bash
# `floe tpch generate` end to end: writes SF 0.01 as Parquet, checks the files with DuckDB
# against the TPC-H specification (test/interop/tpch/check_tables.mjs), checks that the thread
# count does not change the files, and that bad input is refused.
# Usage: tpch_generate_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$1
repository=$(cd "$(dirname "$0")/../.." && pwd)

if [ ! -d "$repository/node_modules/@duckdb/node-api" ]; then
  fail "node_modules lacks @duckdb/node-api (run scripts/install-deps)"
  finish
fi

if "$floe" tpch generate --sf 0.01 --out "$scratch/parquet" --threads 2 >"$scratch/report.txt"; then
  pass "generate SF 0.01 as Parquet"
else
  fail "generate SF 0.01 as Parquet exited $?"
  finish
fi
expect_contains "report names lineitem" "$(cat "$scratch/report.txt")" "lineitem"
for table in region nation supplier customer part partsupp orders lineitem; do
  [ -s "$scratch/parquet/$table.parquet" ] && pass "$table.parquet written" ||
    fail "$table.parquet missing"
done

# The script counts its own checks; its closing line is "N passed, N failed".
output=$(cd "$repository" && node test/interop/tpch/check_tables.mjs "$scratch/parquet" 2>&1)
status=$?
echo "$output" | grep -v '^ok - '
if [ $status -eq 0 ]; then
  pass "DuckDB finds the tables as the specification says ($(echo "$output" | tail -n 1))"
else
  fail "DuckDB checks of the generated tables"
fi

"$floe" tpch generate --sf 0.01 --out "$scratch/one-thread" --threads 1 \
  --tables orders,lineitem >/dev/null
for table in orders lineitem; do
  cmp -s "$scratch/parquet/$table.parquet" "$scratch/one-thread/$table.parquet" &&
    pass "$table is the same with one and two threads" ||
    fail "$table differs between one and two threads"
done

"$floe" tpch generate --sf 0.01 --out "$scratch/csv" --format csv --tables nation >/dev/null
expect_eq "CSV output has a header and '|' separators" "$(head -n 2 "$scratch/csv/nation.csv" |
  cut -d '|' -f 1-3)" "$(printf 'n_nationkey|n_name|n_regionkey\n0|ALGERIA|0')"

error=$("$floe" tpch generate --sf 0.01 --out "$scratch/bad" --tables lineitems 2>&1)
expect_eq "unknown table exits 1" "$?" "1"
expect_contains "unknown table is named" "$error" "unknown TPC-H table 'lineitems'"
error=$("$floe" tpch generate --sf 0 --out "$scratch/bad" 2>&1)
expect_contains "scale factor 0 is refused" "$error" "scale factor must lie in"
[ ! -e "$scratch/bad" ] && pass "refused runs write nothing" || fail "refused runs left files"

finish
