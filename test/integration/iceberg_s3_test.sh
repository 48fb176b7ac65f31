#!/usr/bin/env bash
# Iceberg tables on S3-compatible object storage (s3rver started on loopback): every kind of
# write, reads with pruning, time travel, metadata tables and schema changes, through the read
# cache, and the objects that end up in the bucket.
# Usage: iceberg_s3_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$(realpath "$1")
start_s3rver lake || { fail "s3rver did not start"; finish; }
export FLOE_WAREHOUSE="s3://lake/warehouse" FLOE_METASTORE="sqlite:$scratch/floe.db"
export FLOE_S3_ENDPOINT="$S3_ENDPOINT" FLOE_S3_REGION=us-east-1
export FLOE_S3_ACCESS_KEY_ID=S3RVER FLOE_S3_SECRET_ACCESS_KEY=S3RVER
export FLOE_CACHE_DIRECTORY="$scratch/cache"

# floe_sql NAME SQL...: runs the statements (one -c each) and passes NAME when all succeed.
floe_sql() {
  local name=$1 arguments=()
  shift
  for statement in "$@"; do arguments+=(-c "$statement"); done
  if "$floe" sql -q "${arguments[@]}" >/dev/null 2>"$scratch/floe.err"; then
    pass "$name"
  else
    fail "$name: $(grep -v 'applied metastore migration' "$scratch/floe.err")"
  fi
}
# query SQL: prints the rows of one query as CSV, without the header line.
query() { "$floe" sql -q --format csv -c "$1" 2>&1 | tail -n +2; }

floe_sql "create and insert on S3" \
  "CREATE TABLE events (id bigint NOT NULL, kind text, amount numeric(10,2), day date)
   PARTITIONED BY (day(day), bucket(4, id))" \
  "INSERT INTO events SELECT g, CASE WHEN g % 3 = 0 THEN 'buy' ELSE 'view' END, g * 0.5,
     DATE '2024-03-01' + (g % 5) FROM generate_series(1, 200) AS g"
expect_eq "rows read back from S3" \
  "$(query "SELECT count(*), sum(amount), count(DISTINCT day) FROM events")" "200,10050.00,5"

floe_sql "copy-on-write update and merge-on-read delete on S3" \
  "UPDATE events SET amount = amount * 2 WHERE kind = 'buy'" \
  "ALTER TABLE events SET ('write.delete.mode' = 'merge-on-read')" \
  "DELETE FROM events WHERE day = DATE '2024-03-02' AND kind = 'view'"
expect_eq "rows after update and delete" \
  "$(query "SELECT count(*), sum(amount) FROM events")" "173,12020.50"
expect_eq "a partition filter prunes files" \
  "$(query "SELECT count(*) FROM events WHERE day = DATE '2024-03-03'")" "40"

first=$(query "SELECT snapshot_id FROM \"events\$snapshots\" ORDER BY committed_at LIMIT 1")
expect_eq "time travel to the first snapshot" \
  "$(query "SELECT count(*), sum(amount) FROM events FOR VERSION AS OF $first")" \
  "200,10050.00"
expect_eq "snapshots of every commit" \
  "$(query "SELECT operation FROM \"events\$snapshots\" ORDER BY committed_at" | paste -sd ' ')" \
  "append overwrite delete"
delete_files=$(query "SELECT count(*) FROM \"events\$delete_files\"")
[ "$delete_files" -gt 0 ] 2>/dev/null && pass "merge-on-read wrote delete files ($delete_files)" ||
  fail "merge-on-read wrote no delete files: [$delete_files]"

floe_sql "schema change, insert and CREATE TABLE AS on S3" \
  "ALTER TABLE events ADD COLUMN note text" \
  "INSERT INTO events VALUES (1000, 'buy', 1.25, DATE '2024-04-01', 'late')" \
  "CREATE TABLE buys AS SELECT id, amount FROM events WHERE kind = 'buy'"
expect_eq "old files read through the new schema" \
  "$(query "SELECT count(*), count(note), max(note) FROM events")" "174,1,late"
expect_eq "CREATE TABLE AS reads back" "$(query "SELECT count(*) FROM buys")" "67"

# Every table object lives under the warehouse prefix of the bucket; the read cache kept
# ranges of them on local disk.
# s3rver keeps each object KEY as the file KEY._S3rver_object.
objects=$(cd "$S3_DATA/lake" && find warehouse -name '*._S3rver_object' |
  sed 's/\._S3rver_object$//' | sort)
expect_contains "metadata files in the bucket" "$objects" "warehouse/public/events/metadata/"
expect_contains "data files in partition folders" "$objects" \
  "warehouse/public/events/data/day_day=2024-03-01/id_bucket="
expect_contains "manifest lists in the bucket" "$objects" "snap-"
[ -n "$(find "$scratch/cache" -type f 2>/dev/null | head -1)" ] &&
  pass "the read cache holds object ranges" || fail "the read cache is empty"
expect_eq "answers through a warm cache" \
  "$(query "SELECT count(*), sum(amount) FROM events")" "174,12021.75"

# Read by location without the catalog (a metadata file, the table folder), and registered
# again by its metadata file.
location=$(query "SELECT file FROM \"events\$metadata_log_entries\" ORDER BY file DESC LIMIT 1")
expect_eq "iceberg_scan of a metadata file on S3" \
  "$(query "SELECT count(*), sum(amount) FROM iceberg_scan('$location')")" "174,12021.75"
expect_eq "iceberg_scan of a table folder on S3 prunes" \
  "$(query "SELECT count(*) FROM iceberg_scan('s3://lake/warehouse/public/events')
            WHERE day = DATE '2024-03-03'")" "40"
floe_sql "register_table on S3" "CALL system.register_table('public.events_again', '$location')"
expect_eq "a registered table reads" "$(query "SELECT count(*) FROM events_again")" "174"

# The requests reads send, seen by a logging proxy in front of s3rver. Data files and manifests
# are opened with the sizes the table records, so once their blocks are cached (here by an
# earlier process: the cache persists across restarts) nothing is sent to S3 for them; the
# metadata file and the manifest list, whose sizes nothing records, cost one HEAD per open.
log_port=$(free_port)
request_log="$scratch/requests.log"
: >"$request_log"
python3 "$(dirname "$0")/s3_request_log.py" "$log_port" "$S3_PORT" "$request_log" &
on_exit "kill $!"
wait_for_port "$log_port" 10 || fail "the request logging proxy did not start"
# logged_query SQL [ENV=VALUE...]: query through the proxy, with a read cache of its own.
logged_query() {
  local sql=$1
  shift
  env FLOE_S3_ENDPOINT="http://127.0.0.1:$log_port" FLOE_CACHE_DIRECTORY="$scratch/cache-logged" \
    "$@" "$floe" sql -q --format csv -c "$sql" 2>&1 | tail -n +2
}
# requests_since COUNT: the requests logged after the first COUNT.
requests_since() { tail -n +"$(($1 + 1))" "$request_log"; }
total="SELECT count(*), sum(amount) FROM events"
mark=$(wc -l <"$request_log")
expect_eq "a cold read through the proxy" "$(logged_query "$total")" "174,12021.75"
expect_contains "the cold read fetched data files" "$(requests_since "$mark")" \
  "GET /lake/warehouse/public/events/data/"
mark=$(wc -l <"$request_log")
# (Its debug log goes to a file, shown should the check of its requests fail.)
expect_eq "a warm read in a new process" \
  "$(env FLOE_S3_ENDPOINT="http://127.0.0.1:$log_port" FLOE_CACHE_DIRECTORY="$scratch/cache-logged" \
    FLOE_LOG_LEVEL=debug "$floe" sql -q --format csv -c "$total" 2>"$scratch/warm.err" |
    tail -n +2)" "174,12021.75"
requests_since "$mark" >"$scratch/warm-requests.log"
expect_eq "the warm read sends no GET" "$(grep -c '^GET ' "$scratch/warm-requests.log")" "0"
# Any other request is named in the failure, followed by the process's debug log.
unexpected=$(grep -vE '^HEAD .*(\.metadata\.json|/snap-[^/]*\.avro)$' "$scratch/warm-requests.log")
expect_eq "the warm read's only requests are HEADs of the metadata file and manifest lists" \
  "$unexpected" ""
[ -z "$unexpected" ] || cat "$scratch/warm.err" >&2

# A damaged block file (one flipped byte of payload) is found at its next read and fetched
# again, alone; the answer stays right.
block=$(ls -S "$scratch/cache-logged"/*.block | head -1)
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[-1] ^= 0xff
open(p, "wb").write(b)' "$block"
mark=$(wc -l <"$request_log")
expect_eq "a read over a damaged cache block" "$(logged_query "$total")" "174,12021.75"
expect_eq "the damaged block alone is fetched again" \
  "$(requests_since "$mark" | grep -c '^GET ')" "1"
mark=$(wc -l <"$request_log")
expect_eq "a read after the repair" "$(logged_query "$total")" "174,12021.75"
expect_eq "the repaired block is served from the cache" \
  "$(requests_since "$mark" | grep -c '^GET ')" "0"

# cache.persist = off: a new process starts with an empty cache and fetches again.
mark=$(wc -l <"$request_log")
expect_eq "a read with persistence off" \
  "$(logged_query "$total" FLOE_CACHE_PERSIST=off)" "174,12021.75"
gets=$(requests_since "$mark" | grep -c '^GET ')
[ "$gets" -gt 0 ] && pass "without persistence a new process fetches again ($gets GETs)" ||
  fail "without persistence a new process fetched nothing"

floe_sql "DROP TABLE" "DROP TABLE buys"
error=$("$floe" sql -q -c "SELECT * FROM buys" 2>&1)
expect_contains "a dropped table is gone" "$error" "does not exist"
finish
