#!/usr/bin/env bash
# The HTTP SQL API of a real `floe server`: Arrow IPC stream results read by an independent
# reader (the npm package apache-arrow), asynchronous queries driven with curl (states, paging,
# cancellation, ownership, the result budget), hostile input that must leave the server
# serving, and asynchronous queries across restarts, crashes, damaged files, expiry and a shared
# metastore (SQLite and PostgreSQL). Usage: http_sql_api_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=$(realpath "${1:?usage: http_sql_api_test.sh FLOE_BINARY}")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$root/node_modules/apache-arrow" ]; then
  fail "apache-arrow is not installed (scripts/install-deps installs it)"
  finish
fi

# start_server NAME [ENV=VALUE...] -- [FLAGS...]: starts `floe server` on free ports with its
# own warehouse (and its metastore inside, unless METASTORE is set); sets <NAME>_HTTP to the
# HTTP port, <NAME>_PID to its process and <NAME>_LOG to its log. Starting a NAME again reuses
# its warehouse.
start_server() {
  local name=$1
  shift
  local environment=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    environment+=("$1")
    shift
  done
  [ "${1:-}" == "--" ] && shift
  local pg_port http_port log="$scratch/$name-$RANDOM.log"
  pg_port=$(free_port)
  http_port=$(free_port)
  env "${environment[@]}" "$floe" --warehouse "$scratch/$name" \
    --metastore "${METASTORE:-sqlite:$scratch/$name/floe.db}" --listen 127.0.0.1 --pg-port "$pg_port" \
    --http-port "$http_port" "$@" server >"$log" 2>&1 &
  local pid=$!
  disown "$pid"
  on_exit "kill -9 $pid"
  if ! wait_for_port "$http_port" 60; then
    echo "floe server $name did not start:" >&2
    cat "$log" >&2
    return 1
  fi
  printf -v "${name}_HTTP" '%s' "$http_port"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_LOG" '%s' "$log"
}

start_server open -- --http-async-result-bytes 2MiB --http-async-workers 2 || exit 1
http="http://127.0.0.1:$open_HTTP"

# sql BODY [CURL ARGS...]: POSTs BODY to /api/v1/sql and prints the response body.
sql() {
  local body=$1
  shift
  curl -s -X POST "$http/api/v1/sql" -H 'Content-Type: application/json' "$@" -d "$body"
}

# json_field JSON NAME: prints a top-level string or number member of a JSON object.
json_field() {
  node -e 'const o = JSON.parse(process.argv[1]); const v = o[process.argv[2]];
           console.log(v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : v)' "$1" "$2"
}

# wait_for_state URL STATE [CURL ARGS...]: polls an asynchronous query until it reaches STATE
# (10 seconds at most) and prints its last description.
wait_for_state() {
  local url=$1 state=$2 described
  shift 2
  for _ in $(seq 1 200); do
    described=$(curl -s "$@" "$url")
    if [ "$(json_field "$described" state)" == "$state" ]; then
      break
    fi
    sleep 0.05
  done
  echo "$described"
}

# --- Arrow IPC streams, read by apache-arrow -------------------------------------------------
if arrow_output=$(cd "$root" && node test/interop/http_arrow/read_arrow_results.mjs "$http" 2>&1); then
  pass "apache-arrow reads every type, NULLs, many batches and empty results"
else
  fail "apache-arrow reading Floe's Arrow streams:"
fi
echo "$arrow_output" | sed 's/^/    /'

headers=$(curl -s -o /dev/null -D - -X POST "$http/api/v1/sql" \
  -H 'Accept: application/vnd.apache.arrow.stream' -d '{"sql": "SELECT 1"}')
expect_contains "Accept chooses the Arrow stream" "$headers" "Content-Type: application/vnd.apache.arrow.stream"
expect_eq "an unknown format in the body is 406" \
  "$(sql '{"sql": "SELECT 1", "format": "parquet"}' -o /dev/null -w '%{http_code}')" "406"

# --- asynchronous queries --------------------------------------------------------------------
submitted=$(sql '{"sql": "SELECT x, x * 2 AS y FROM generate_series(1, 2500) AS g(x)", "async": true}' \
  -D "$scratch/submit.headers")
id=$(json_field "$submitted" id)
expect_contains "async submission answers 202" "$(head -1 "$scratch/submit.headers")" "202"
expect_contains "async submission gives the status URL" "$(cat "$scratch/submit.headers")" "Location: /api/v1/queries/$id"
described=$(wait_for_state "$http/api/v1/queries/$id" succeeded)
expect_eq "the async query succeeds" "$(json_field "$described" state)" "succeeded"
expect_eq "its status counts the rows" "$(json_field "$described" row_count)" "2500"
expect_contains "its status has the timing" "$described" '"elapsed_ms":'
page=$(curl -s "$http/api/v1/queries/$id/results?offset=2000&limit=2")
expect_contains "a JSON page holds the rows asked for" "$page" '"rows":[[2001,4002],[2002,4004]]'
expect_contains "a JSON page links the next one" "$page" "\"next_url\":\"/api/v1/queries/$id/results?offset=2002&limit=2\""
page=$(curl -s "$http/api/v1/queries/$id/results?offset=2498&format=csv")
expect_eq "a CSV page" "$(echo "$page" | tr -d '\r')" $'x,y\n2499,4998\n2500,5000'
arrow_page=$(cd "$root" && node test/interop/http_arrow/read_arrow_results.mjs "$http" page \
  "/api/v1/queries/$id/results?offset=100&limit=3000" 2>&1)
expect_eq "an Arrow page read by apache-arrow" "$arrow_page" "rows=2400 first=101,202 last=2500,5000"
for bad in "offset=-1" "limit=-5" "offset=abc" "limit=1.5"; do
  expect_eq "paging with $bad is 400" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$http/api/v1/queries/$id/results?$bad")" "400"
done
expect_contains "a huge offset gives an empty page" \
  "$(curl -s "$http/api/v1/queries/$id/results?offset=999999999999999999999&limit=999999999999999999999")" \
  '"rows":[],"command_tag":"SELECT 2500","row_count":0,"offset":2500,"total_rows":2500,"next_url":null'
expect_eq "an unknown results format is 406" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$http/api/v1/queries/$id/results?format=xml")" "406"
expect_contains "DELETE frees a finished query" "$(curl -s -X DELETE "$http/api/v1/queries/$id")" '"state":"deleted"'
missing=$(curl -s -w ' %{http_code}' "$http/api/v1/queries/$id")
expect_contains "a deleted query is 404 with a JSON error" "$missing" '"code":"NotFound"'
expect_contains "a deleted query is 404" "$missing" " 404"
expect_eq "an unknown id is 404" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$http/api/v1/queries/0000")" "404"

submitted=$(sql '{"sql": "SELECT 1/0"}' -H 'Prefer: respond-async')
described=$(wait_for_state "$http/api/v1/queries/$(json_field "$submitted" id)" failed)
expect_contains "a failed async query reports its SQLSTATE" "$described" '"sqlstate":"22012"'

# A query that runs for minutes unless cancelled.
slow='{"sql": "SELECT count(*) FROM generate_series(1, 20000000000)", "async": true}'
id=$(json_field "$(sql "$slow")" id)
wait_for_state "$http/api/v1/queries/$id" running >/dev/null
expect_eq "DELETE cancels a running query (202)" \
  "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$http/api/v1/queries/$id")" "202"
described=$(wait_for_state "$http/api/v1/queries/$id" cancelled)
expect_eq "the cancelled query reads cancelled" "$(json_field "$described" state)" "cancelled"
expect_contains "the cancelled query has SQLSTATE 57014" "$described" '"sqlstate":"57014"'
expect_eq "a cancelled query has no results (409)" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$http/api/v1/queries/$id/results")" "409"

id=$(json_field "$(sql '{"sql": "SELECT x, repeat(chr(65), 100) AS padding FROM generate_series(1, 100000) AS g(x)", "async": true}')" id)
described=$(wait_for_state "$http/api/v1/queries/$id" failed)
expect_contains "a result over http.async_result_bytes fails with 54000" "$described" '"sqlstate":"54000"'
expect_contains "the budget error names the setting" "$described" "http.async_result_bytes"
expect_eq "the server serves after the budget error" "$(curl -s "$http/health")" '{"status":"ok"}'

# --- ownership: only the submitter reads or cancels ------------------------------------------
start_server users FLOE_ADMIN_USER=admin FLOE_ADMIN_PASSWORD=adminpw || exit 1
users_http="http://127.0.0.1:$users_HTTP"
curl -s -u admin:adminpw -X POST "$users_http/api/v1/sql" \
  -d "{\"sql\": \"CREATE USER bob WITH PASSWORD 'bobpw'\"}" >/dev/null
id=$(json_field "$(curl -s -u admin:adminpw -X POST "$users_http/api/v1/sql" -d '{"sql": "SELECT 42 AS answer", "async": true}')" id)
owned=$id
described=$(wait_for_state "$users_http/api/v1/queries/$id" succeeded -u admin:adminpw)
expect_eq "the submitter sees the query" "$(json_field "$described" state)" "succeeded"
expect_eq "another user gets 404 for the status" \
  "$(curl -s -u bob:bobpw -o /dev/null -w '%{http_code}' "$users_http/api/v1/queries/$id")" "404"
expect_eq "another user gets 404 for the results" \
  "$(curl -s -u bob:bobpw -o /dev/null -w '%{http_code}' "$users_http/api/v1/queries/$id/results")" "404"
expect_eq "another user cannot delete it" \
  "$(curl -s -u bob:bobpw -o /dev/null -w '%{http_code}' -X DELETE "$users_http/api/v1/queries/$id")" "404"
expect_eq "without credentials: 401" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$users_http/api/v1/queries/$id")" "401"
expect_contains "the submitter still reads the result" \
  "$(curl -s -u admin:adminpw "$users_http/api/v1/queries/$id/results")" '"rows":[[42]]'

# --- hostile input ---------------------------------------------------------------------------
for body in 'not json' '[1]' '{"sql": 5}' '{"sql": "SELECT 1", "async": 1}' \
  '{"sql": "SELECT 1", "timeout_ms": -1}' '{"sql": "SELECT 1", "parameters": {"a": 1}}' \
  '{"sql": "SELECT 1"'; do
  expect_eq "malformed body $body is 400" "$(sql "$body" -o /dev/null -w '%{http_code}')" "400"
done
expect_eq "PUT on a query is 405" \
  "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$http/api/v1/queries/abc")" "405"
expect_eq "an unknown sub-resource is 404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$http/api/v1/queries/abc/rows")" "404"
expect_eq "the server still serves after hostile input" "$(curl -s "$http/health")" '{"status":"ok"}'

# --- durable asynchronous queries: records and results outlive a restart ---------------------
# stop_server NAME [SIGNAL]: stops a server started by start_server (SIGTERM: gracefully) and
# waits until its process is gone.
stop_server() {
  local pid_name="${1}_PID"
  local pid=${!pid_name}
  kill "-${2:-TERM}" "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "server $1 did not stop" >&2
  return 1
}

# result_file WAREHOUSE ID: prints the path of a query's result file in a local warehouse.
result_file() { ls "$1"/.floe/async/*/"$2.result" 2>/dev/null; }

# status_of URL [CURL ARGS...]: prints the HTTP status and the body of a GET.
status_of() {
  local url=$1
  shift
  curl -s -w ' %{http_code}' "$@" "$url"
}

start_server durable -- --http-async-workers 1 || exit 1
durable="http://127.0.0.1:$durable_HTTP"
dsql() { curl -s -X POST "$durable/api/v1/sql" -H 'Content-Type: application/json' -d "$1"; }
# Values of many types, NULLs among them, must come back from disk as they went in.
typed_sql="SELECT x, x * 2 AS y, CASE WHEN x % 3 = 0 THEN NULL ELSE repeat('é', x % 5) END AS s, CAST(x AS numeric(12, 2)) / 7 AS d, DATE '2024-01-01' + x AS day, CAST(x AS double precision) / 3 AS f, x % 2 = 0 AS even, ARRAY[x, NULL, x + 1] AS list FROM generate_series(1, 5000) AS g(x)"
kept=$(json_field "$(dsql "{\"sql\": \"$typed_sql\", \"async\": true}")" id)
wait_for_state "$durable/api/v1/queries/$kept" succeeded >/dev/null
expected_rows=$(json_field "$(dsql "{\"sql\": \"$typed_sql OFFSET 4000 LIMIT 7\"}")" rows)
before_json=$(curl -s "$durable/api/v1/queries/$kept/results?offset=4000&limit=7")
expect_eq "a result read from disk has the rows the query returns" \
  "$(json_field "$before_json" rows)" "$expected_rows"
before_csv=$(curl -s "$durable/api/v1/queries/$kept/results?offset=1234&limit=50&format=csv")
expect_eq "a CSV page from disk has its rows" "$(echo "$before_csv" | tr -d '\r' | wc -l)" "51"
expect_contains "the result is a file under the warehouse" "$(result_file "$scratch/durable" "$kept")" ".floe/async/"
failing=$(json_field "$(dsql '{"sql": "SELECT 1/0", "async": true}')" id)
wait_for_state "$durable/api/v1/queries/$failing" failed >/dev/null
running=$(json_field "$(dsql "$slow")" id)
wait_for_state "$durable/api/v1/queries/$running" running >/dev/null
queued=$(json_field "$(dsql '{"sql": "SELECT 7", "async": true}')" id)
expect_eq "with one worker busy a query waits" \
  "$(json_field "$(curl -s "$durable/api/v1/queries/$queued")" state)" "queued"

stop_server durable TERM || fail "the server stops on SIGTERM"
start_server durable -- --http-async-workers 1 || exit 1
durable="http://127.0.0.1:$durable_HTTP"
described=$(curl -s "$durable/api/v1/queries/$kept")
expect_eq "after a restart a finished query still reads succeeded" "$(json_field "$described" state)" "succeeded"
expect_eq "after a restart its row count stays" "$(json_field "$described" row_count)" "5000"
expect_contains "after a restart its columns stay" "$described" '{"name":"d","type":"numeric'
expect_eq "after a restart the same page has the same rows" \
  "$(curl -s "$durable/api/v1/queries/$kept/results?offset=4000&limit=7")" "$before_json"
expect_eq "after a restart the same CSV page" \
  "$(curl -s "$durable/api/v1/queries/$kept/results?offset=1234&limit=50&format=csv")" "$before_csv"
arrow_page=$(cd "$root" && node test/interop/http_arrow/read_arrow_results.mjs "$durable" page \
  "/api/v1/queries/$kept/results?offset=4998&limit=10" 2>&1)
expect_contains "after a restart apache-arrow reads a page" "$arrow_page" "rows=2 first=4999,9998"
described=$(curl -s "$durable/api/v1/queries/$failing")
expect_eq "after a restart a failed query stays failed" "$(json_field "$described" state)" "failed"
expect_contains "after a restart it keeps its SQLSTATE" "$described" '"sqlstate":"22012"'
described=$(curl -s "$durable/api/v1/queries/$running")
expect_eq "a query running at shutdown reads failed" "$(json_field "$described" state)" "failed"
expect_contains "it failed with admin_shutdown" "$described" '"sqlstate":"57P01"'
expect_contains "its error says why" "$described" "the server shut down before query $running finished"
described=$(curl -s "$durable/api/v1/queries/$queued")
expect_eq "a query queued at shutdown reads failed" "$(json_field "$described" state)" "failed"
expect_contains "its error says it never started" "$described" "shut down before query $queued started"
expect_eq "a query interrupted by shutdown has no results (409)" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$durable/api/v1/queries/$running/results")" "409"

# A crash leaves the record "running" and a partial file: the next start settles both.
crashed=$(json_field "$(dsql "$slow")" id)
wait_for_state "$durable/api/v1/queries/$crashed" running >/dev/null
stop_server durable KILL
start_server durable -- --http-async-workers 1 || exit 1
durable="http://127.0.0.1:$durable_HTTP"
described=$(curl -s "$durable/api/v1/queries/$crashed")
expect_eq "a query running when the server was killed reads failed" "$(json_field "$described" state)" "failed"
expect_contains "its error says the server restarted" "$described" "the server restarted before the query finished"
expect_contains "with SQLSTATE 57P01" "$described" '"sqlstate":"57P01"'
expect_eq "no partial result file is left" "$(ls "$scratch"/durable/.floe/async/*/ | grep -c part)" "0"
expect_contains "the finished result survives a crash too" \
  "$(curl -s "$durable/api/v1/queries/$kept/results?offset=0&limit=1")" '"rows":[[1,2,"é"'

# Damaged, truncated and missing result files give errors naming the problem, and the server
# keeps serving.
small='{"sql": "SELECT x FROM generate_series(1, 3000) AS g(x)", "async": true}'
damaged=$(json_field "$(dsql "$small")" id)
truncated=$(json_field "$(dsql "$small")" id)
missing=$(json_field "$(dsql "$small")" id)
for id in "$damaged" "$truncated" "$missing"; do
  wait_for_state "$durable/api/v1/queries/$id" succeeded >/dev/null
done
printf '\xde\xad\xbe\xef' | dd of="$(result_file "$scratch/durable" "$damaged")" bs=1 seek=200 conv=notrunc 2>/dev/null
truncate -s 100 "$(result_file "$scratch/durable" "$truncated")"
rm "$(result_file "$scratch/durable" "$missing")"
answer=$(status_of "$durable/api/v1/queries/$damaged/results")
expect_contains "a damaged result file is 500" "$answer" " 500"
expect_contains "a damaged result file is reported as such" "$answer" "is damaged: checksum mismatch"
answer=$(status_of "$durable/api/v1/queries/$truncated/results?format=csv")
expect_contains "a truncated result file is 500" "$answer" " 500"
expect_contains "a truncated result file is reported" "$answer" '"code":"Corruption"'
answer=$(status_of "$durable/api/v1/queries/$missing/results")
expect_contains "a missing result file is 500" "$answer" " 500"
expect_contains "a missing result file is reported as lost" "$answer" "the result of query $missing is lost"
expect_eq "the server serves after damaged files" "$(curl -s "$durable/health")" '{"status":"ok"}'
expect_contains "other results still read" \
  "$(curl -s "$durable/api/v1/queries/$kept/results?offset=4999")" '"rows":[[5000,10000,'

# Another server sharing the metastore sees the record but not the result on this disk.
METASTORE="sqlite:$scratch/durable/floe.db" start_server other || exit 1
other="http://127.0.0.1:$other_HTTP"
expect_eq "another server sharing the metastore describes the query" \
  "$(json_field "$(curl -s "$other/api/v1/queries/$kept")" state)" "succeeded"
answer=$(status_of "$other/api/v1/queries/$kept/results")
expect_contains "another server answers 409 for a result on this disk" "$answer" " 409"
expect_contains "and names the server holding it" "$answer" "is held on the local disk of server"
running=$(json_field "$(dsql "$slow")" id)
wait_for_state "$durable/api/v1/queries/$running" running >/dev/null
expect_eq "another server cannot cancel a running query here (409)" \
  "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$other/api/v1/queries/$running")" "409"
curl -s -o /dev/null -X DELETE "$durable/api/v1/queries/$running"
expect_contains "another server deletes a finished query" \
  "$(curl -s -X DELETE "$other/api/v1/queries/$failing")" '"state":"deleted"'
expect_eq "then it is gone here too" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$durable/api/v1/queries/$failing")" "404"
stop_server other TERM

# Expiry: while running, and at start-up for what expired while the server was down.
stop_server durable TERM
start_server durable -- --http-async-result-ttl 3 || exit 1
durable="http://127.0.0.1:$durable_HTTP"
short=$(json_field "$(dsql '{"sql": "SELECT 1 AS one", "async": true}')" id)
wait_for_state "$durable/api/v1/queries/$short" succeeded >/dev/null
expect_contains "a short-lived result is on disk" "$(result_file "$scratch/durable" "$short")" "$short.result"
for _ in $(seq 1 100); do
  [ -z "$(result_file "$scratch/durable" "$short")" ] && break
  sleep 0.1
done
expect_eq "an expired result is deleted from disk" "$(result_file "$scratch/durable" "$short")" ""
expect_eq "an expired query is 404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$durable/api/v1/queries/$short")" "404"
short=$(json_field "$(dsql '{"sql": "SELECT 2 AS two", "async": true}')" id)
wait_for_state "$durable/api/v1/queries/$short" succeeded >/dev/null
stop_server durable TERM
expect_contains "the result is on disk while the server is down" "$(result_file "$scratch/durable" "$short")" "$short.result"
sleep 3.5
start_server durable || exit 1
durable="http://127.0.0.1:$durable_HTTP"
expect_eq "a result that expired while the server was down is deleted at start-up" \
  "$(result_file "$scratch/durable" "$short")" ""
expect_eq "and its query is 404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$durable/api/v1/queries/$short")" "404"
expect_eq "results that did not expire stay" \
  "$(json_field "$(curl -s "$durable/api/v1/queries/$kept")" state)" "succeeded"

# Ownership holds across a restart.
stop_server users TERM
start_server users FLOE_ADMIN_USER=admin FLOE_ADMIN_PASSWORD=adminpw || exit 1
users_http="http://127.0.0.1:$users_HTTP"
expect_contains "after a restart the submitter reads the result" \
  "$(curl -s -u admin:adminpw "$users_http/api/v1/queries/$owned/results")" '"rows":[[42]]'
expect_eq "after a restart another user still gets 404" \
  "$(curl -s -u bob:bobpw -o /dev/null -w '%{http_code}' "$users_http/api/v1/queries/$owned/results")" "404"

# The same on a PostgreSQL metastore.
if start_postgres; then
  METASTORE="$PG_URL" start_server pg -- --http-async-workers 1 || exit 1
  pg="http://127.0.0.1:$pg_HTTP"
  kept=$(json_field "$(curl -s -X POST "$pg/api/v1/sql" -d "{\"sql\": \"$typed_sql\", \"async\": true}")" id)
  wait_for_state "$pg/api/v1/queries/$kept" succeeded >/dev/null
  before_json=$(curl -s "$pg/api/v1/queries/$kept/results?offset=4000&limit=7")
  expect_eq "PostgreSQL metastore: a page from disk" "$(json_field "$before_json" rows)" "$expected_rows"
  running=$(json_field "$(curl -s -X POST "$pg/api/v1/sql" -d "$slow")" id)
  wait_for_state "$pg/api/v1/queries/$running" running >/dev/null
  stop_server pg TERM
  METASTORE="$PG_URL" start_server pg -- --http-async-workers 1 || exit 1
  pg="http://127.0.0.1:$pg_HTTP"
  expect_eq "PostgreSQL metastore: the same page after a restart" \
    "$(curl -s "$pg/api/v1/queries/$kept/results?offset=4000&limit=7")" "$before_json"
  described=$(curl -s "$pg/api/v1/queries/$running")
  expect_eq "PostgreSQL metastore: a query running at shutdown reads failed" \
    "$(json_field "$described" state)" "failed"
  expect_contains "PostgreSQL metastore: with 57P01" "$described" '"sqlstate":"57P01"'
  expect_contains "PostgreSQL metastore: DELETE frees a result" \
    "$(curl -s -X DELETE "$pg/api/v1/queries/$kept")" '"state":"deleted"'
  expect_eq "PostgreSQL metastore: the deleted result's file is gone" "$(result_file "$scratch/pg" "$kept")" ""
else
  fail "PostgreSQL starts (for the PostgreSQL metastore)"
fi

finish
