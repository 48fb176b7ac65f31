#!/usr/bin/env bash
# Tables written by `floe sql` (CREATE TABLE, INSERT, copy-on-write and merge-on-read DELETE and
# UPDATE, partitioned and not) read by icebird, an independent Iceberg reader, with the same
# rows Floe returns.
# Usage: iceberg_write_interop_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$root/node_modules/icebird" ]; then
  fail "icebird is not installed (scripts/install-deps installs it)"
  finish
fi
export FLOE_WAREHOUSE="$scratch/warehouse" FLOE_METASTORE="sqlite:$scratch/floe.db"

floe_sql() { "$floe" sql -q "$@" 2>"$scratch/floe.log"; }

if ! floe_sql \
  -c "CREATE TABLE cow (id bigint NOT NULL, name text, price numeric(8,2), day date, ok boolean)
      PARTITIONED BY (bucket(4, id))" \
  -c "INSERT INTO cow SELECT g, 'n' || g, g * 1.5, DATE '2024-01-01' + g, g % 2 = 0
      FROM generate_series(1, 40) AS g" \
  -c "DELETE FROM cow WHERE id % 5 = 0" \
  -c "UPDATE cow SET name = 'updated', price = price + 1 WHERE id < 4" \
  -c "CREATE TABLE mor (id integer, v text, day date) PARTITIONED BY (month(day))
      WITH ('write.delete.mode' = 'merge-on-read', 'write.update.mode' = 'merge-on-read')" \
  -c "INSERT INTO mor SELECT g, 'v' || g, DATE '2024-01-20' + g FROM generate_series(1, 30) AS g" \
  -c "DELETE FROM mor WHERE id IN (2, 4, 25)" \
  -c "UPDATE mor SET v = 'changed' WHERE id = 7"; then
  cat "$scratch/floe.log"
  fail "floe sql could not write the tables"
  finish
fi

compare() {
  local table=$1 columns=$2
  local folder="$FLOE_WAREHOUSE/public/$table"
  local metadata
  metadata=$(ls "$folder/metadata" | grep '\.metadata\.json$' | sort | tail -1)
  if ! node "$root/test/interop/iceberg_write/read_with_icebird.mjs" "$folder" "$metadata" \
      | sort >"$scratch/$table.icebird"; then
    fail "icebird could not read $table"
    return
  fi
  floe_sql --format csv -c "SELECT $columns FROM $table" | tail -n +2 | sort >"$scratch/$table.floe"
  if [ ! -s "$scratch/$table.floe" ]; then
    fail "floe returned no rows for $table"
  elif diff "$scratch/$table.floe" "$scratch/$table.icebird"; then
    pass "icebird reads $table as floe does ($(wc -l <"$scratch/$table.floe") rows)"
  else
    fail "icebird reads $table differently from floe (diff above: floe <, icebird >)"
  fi
}

compare cow "id, name, price::double precision, day, ok"
compare mor "id, v, day"
finish
