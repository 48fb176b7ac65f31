#!/usr/bin/env bash
# The HTTP SQL API of a real `floe server`: Arrow IPC stream results read by an independent
# reader (the npm package apache-arrow), asynchronous queries driven with curl (states, paging,
# cancellation, ownership, the result budget), and hostile input that must leave the server
# serving. Usage: http_sql_api_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=$(realpath "${1:?usage: http_sql_api_test.sh FLOE_BINARY}")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$root/node_modules/apache-arrow" ]; then
  fail "apache-arrow is not installed (scripts/install-deps installs it)"
  finish
fi

# start_server NAME [ENV=VALUE...] -- [FLAGS...]: starts `floe server` on free ports with its
# own warehouse; sets <NAME>_HTTP to the HTTP port and <NAME>_LOG to its log.
start_server() {
  local name=$1
  shift
  local environment=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    environment+=("$1")
    shift
  done
  [ "${1:-}" == "--" ] && shift
  local pg_port http_port log="$scratch/$name.log"
  pg_port=$(free_port)
  http_port=$(free_port)
  env "${environment[@]}" "$floe" --warehouse "$scratch/$name" \
    --metastore "sqlite:$scratch/$name/floe.db" --listen 127.0.0.1 --pg-port "$pg_port" \
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

finish
