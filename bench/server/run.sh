#!/usr/bin/env bash
# The server side by side with PostgreSQL on this machine (docs/benchmarks.md, "Server"):
#   - `SELECT 1` round trips per second over the PostgreSQL protocol, pgbench with 1, 8 and 64
#     clients (extended protocol), against `floe server` and a PostgreSQL server started here;
#   - rows per second that `COPY (SELECT ...) TO STDOUT` streams to psql;
#   - Iceberg REST loadTable requests per second (Floe only: PostgreSQL has no such API).
# Writes bench/results/server.json and prints a table with the ratios Floe/PostgreSQL.
# Usage: bench/server/run.sh [SECONDS_PER_RUN]
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/integration/lib.sh"
set -e
seconds=${1:-10}
floe="$root/build/release/floe"
[ -x "$floe" ] || { echo "build Floe first (make)" >&2; exit 1; }

start_postgres >/dev/null
pg_connection="host=127.0.0.1 port=$PG_PORT dbname=postgres user=floe sslmode=disable"
start_floe_server "$floe" "$scratch/warehouse" || exit 1
floe_connection="host=127.0.0.1 port=$SERVER_PG_PORT dbname=floe user=floe sslmode=disable"

printf 'SELECT 1;\n' >"$scratch/select1.sql"
# tps CONNECTION CLIENTS: SELECT 1 transactions per second over `seconds`.
tps() {
  pgbench -n -M extended -c "$2" -j 2 -T "$seconds" -f "$scratch/select1.sql" "$1" 2>&1 |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1
}

rows=1000000
copy_table="SELECT g AS id, 'row ' || g AS name, (g * 0.25)::numeric(12,2) AS amount
            FROM generate_series(1, $rows) AS g"
psql "$pg_connection" -X -q -c "CREATE TABLE copy_source AS $copy_table" >/dev/null
psql "$floe_connection" -X -q -c "CREATE TABLE copy_source AS $copy_table" >/dev/null
# copy_rate CONNECTION: rows per second of COPY (SELECT ...) TO STDOUT read by psql, best of 3.
copy_rate() {
  local best=0 start end rate
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    psql "$1" -X -q -c "COPY (SELECT * FROM copy_source) TO STDOUT" >/dev/null
    end=$(date +%s.%N)
    rate=$(python3 -c "print(int($rows / ($end - $start)))")
    [ "$rate" -gt "$best" ] && best=$rate
  done
  echo "$best"
}

curl -s -X POST "http://127.0.0.1:$SERVER_HTTP_PORT/v1/namespaces/public/tables" \
  -H 'Content-Type: application/json' \
  -d '{"name": "rest_table", "schema": {"type": "struct", "schema-id": 0, "fields": [
        {"id": 1, "name": "id", "type": "long", "required": true}]}}' >/dev/null
# REST loadTable requests per second from 8 concurrent loops for `seconds`.
load_table_rate() {
  node --input-type=module -e "
    const url = 'http://127.0.0.1:$SERVER_HTTP_PORT/v1/namespaces/public/tables/rest_table'
    const deadline = Date.now() + $seconds * 1000
    let done = 0
    async function loop() {
      while (Date.now() < deadline) {
        const response = await fetch(url)
        if (response.status !== 200) throw new Error('loadTable: HTTP ' + response.status)
        await response.arrayBuffer()
        done++
      }
    }
    await Promise.all(Array.from({ length: 8 }, loop))
    console.log(Math.round(done / $seconds))"
}

results=()
printf '%-34s %14s %14s %8s\n' "measure" "Floe" "PostgreSQL" "ratio"
report() {
  local name=$1 floe_value=$2 pg_value=$3 ratio
  ratio=$(python3 -c "print(f'{$floe_value / $pg_value:.2f}' if '$pg_value' not in ('', '0') else '-')" 2>/dev/null || echo -)
  printf '%-34s %14s %14s %8s\n' "$name" "$floe_value" "${pg_value:--}" "$ratio"
  results+=("{\"measure\": \"$name\", \"floe\": $floe_value, \"postgresql\": ${pg_value:-null}}")
}
for clients in 1 8 64; do
  floe_tps=$(tps "$floe_connection" "$clients")
  pg_tps=$(tps "$pg_connection" "$clients")
  noun=clients
  [ "$clients" -eq 1 ] && noun=client
  report "SELECT 1 per second, $clients $noun" "${floe_tps%.*}" "${pg_tps%.*}"
done
report "COPY TO STDOUT rows per second" "$(copy_rate "$floe_connection")" \
  "$(copy_rate "$pg_connection")"
report "REST loadTable per second" "$(load_table_rate)" ""

mkdir -p "$root/bench/results"
{
  echo "{\"machine\": {\"cores\": $(nproc)}, \"seconds_per_run\": $seconds,"
  echo " \"postgresql\": \"$(psql "$pg_connection" -X -A -t -c 'SHOW server_version')\","
  echo " \"results\": ["
  (IFS=,; echo "  ${results[*]}")
  echo "]}"
} >"$root/bench/results/server.json"
echo "results: bench/results/server.json"
