#!/usr/bin/env bash
# `floe tpch generate` end to end: writes SF 0.01 as Parquet, checks the files with DuckDB
# against the TPC-H specification (test/interop/tpch/check_tables.mjs), checks that the thread
# count does not change the files, writes Iceberg tables of the same rows, and checks that bad
# input is refused.
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

# Iceberg output: tables in a warehouse (its metastore inside it), holding the same rows as the
# Parquet files, readable by Floe and by icebird, an independent Iceberg reader.
warehouse="$scratch/warehouse"
if "$floe" tpch generate --sf 0.01 --format iceberg --out "$warehouse" \
    --tables nation,orders >"$scratch/iceberg.txt"; then
  pass "generate SF 0.01 as Iceberg tables"
else
  fail "generate SF 0.01 as Iceberg tables exited $?"
fi
expect_contains "report names the table's location" "$(cat "$scratch/iceberg.txt")" \
  "$warehouse/public/orders"
[ -s "$warehouse/floe.db" ] && pass "the warehouse holds its metastore" ||
  fail "no metastore in the warehouse"
for table in nation orders; do
  differing=$("$floe" --warehouse "$warehouse" sql -q --format csv -c "SELECT count(*) FROM (
      (SELECT * FROM $table EXCEPT ALL SELECT * FROM read_parquet('$scratch/parquet/$table.parquet'))
      UNION ALL
      (SELECT * FROM read_parquet('$scratch/parquet/$table.parquet') EXCEPT ALL SELECT * FROM $table)
    ) AS d" 2>&1 | tail -n 1)
  expect_eq "Iceberg table $table holds the Parquet file's rows" "$differing" "0"
done
expect_eq "orders has SF 0.01's rows" "$("$floe" --warehouse "$warehouse" sql -q --format csv \
  -c "SELECT count(*) FROM orders" | tail -n 1)" "15000"
if [ -d "$repository/node_modules/icebird" ]; then
  metadata=$(ls "$warehouse/public/nation/metadata" | grep '\.metadata\.json$' | sort | tail -1)
  node "$repository/test/interop/iceberg_write/read_with_icebird.mjs" \
    "$warehouse/public/nation" "$metadata" | sort >"$scratch/nation.icebird"
  "$floe" --warehouse "$warehouse" sql -q --format csv -c "SELECT * FROM nation" | tail -n +2 | tr -d '"' |
    sort >"$scratch/nation.floe"
  if [ -s "$scratch/nation.floe" ] && diff "$scratch/nation.floe" "$scratch/nation.icebird"; then
    pass "icebird reads nation as Floe does"
  else
    fail "icebird reads nation differently from Floe (diff above: floe <, icebird >)"
  fi
else
  fail "icebird is not installed (scripts/install-deps installs it)"
fi
error=$("$floe" tpch generate --sf 0.01 --format iceberg --out "$warehouse" --tables nation 2>&1)
expect_eq "an existing table exits 1" "$?" "1"
expect_contains "an existing table is named" "$error" "table public.nation already exists"
error=$("$floe" tpch generate --sf 0.01 --format csv 2>&1)
expect_contains "file output needs --out" "$error" "--out is required"

error=$("$floe" tpch generate --sf 0.01 --out "$scratch/bad" --tables lineitems 2>&1)
expect_eq "unknown table exits 1" "$?" "1"
expect_contains "unknown table is named" "$error" "unknown TPC-H table 'lineitems'"
error=$("$floe" tpch generate --sf 0 --out "$scratch/bad" 2>&1)
expect_contains "scale factor 0 is refused" "$error" "scale factor must lie in"
[ ! -e "$scratch/bad" ] && pass "refused runs write nothing" || fail "refused runs left files"

finish
