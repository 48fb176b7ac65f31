#!/usr/bin/env bash
# `floe server` with real clients: psql and libpq (PostgreSQL wire protocol, simple and extended
# query, SCRAM, TLS, cancel), psycopg2, curl (HTTP SQL API, health, metrics), and hostile input
# that must leave the server serving. Usage: server_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=${1:?usage: server_test.sh FLOE_BINARY}
python=/usr/bin/python3
export PGCONNECT_TIMEOUT=10

# start_server NAME [ENV=VALUE...] -- [SETTING FLAGS...]: starts `floe server` on free ports with its own
# warehouse; sets <NAME>_PG and <NAME>_HTTP to the ports and <NAME>_LOG to its log file.
start_server() {
  local name=$1
  shift
  local environment=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    environment+=("$1")
    shift
  done
  [ "${1:-}" == "--" ] && shift
  local pg_port http_port log
  pg_port=$(free_port)
  http_port=$(free_port)
  log="$scratch/$name.log"
  env "${environment[@]}" "$floe" --warehouse "$scratch/$name" \
    --metastore "sqlite:$scratch/$name/floe.db" --listen 127.0.0.1 --pg-port "$pg_port" \
    --http-port "$http_port" "$@" server >"$log" 2>&1 &
  local pid=$!
  disown "$pid"
  on_exit "kill -9 $pid"
  if ! wait_for_port "$pg_port" 60 || ! wait_for_port "$http_port" 10; then
    echo "floe server $name did not start:" >&2
    cat "$log" >&2
    return 1
  fi
  printf -v "${name}_PG" '%s' "$pg_port"
  printf -v "${name}_HTTP" '%s' "$http_port"
  printf -v "${name}_LOG" '%s' "$log"
  printf -v "${name}_PID" '%s' "$pid"
}

start_server open || exit 1
trust="host=127.0.0.1 port=$open_PG dbname=floe user=floe sslmode=disable"

# --- psql: simple query protocol -------------------------------------------------------------
expect_eq "psql runs SELECT 1" "$(psql "$trust" -Atc 'SELECT 1' 2>&1)" "1"
expect_eq "psql runs several statements" "$(psql "$trust" -At -c 'SELECT 1; SELECT 2' 2>&1 | tr '\n' ' ')" "1 2 "
error=$(psql "$trust" -v VERBOSITY=verbose -Atc 'SELEC 1' 2>&1)
expect_contains "psql shows the SQLSTATE of a syntax error" "$error" "42601"
error=$(psql "host=127.0.0.1 port=$open_PG dbname=other user=floe sslmode=disable" -Atc 'SELECT 1' 2>&1)
expect_contains "another database name is refused" "$error" 'database "other" does not exist'
expect_contains "the log shows statements with their duration" "$(cat "$open_LOG")" "duration_ms="

# --- NoticeResponse: what IF [NOT] EXISTS skipped, before the command's completion ----------
notices=$(psql "$trust" -q -At -c 'DROP TABLE IF EXISTS no_such_table' \
            -c 'CREATE SCHEMA IF NOT EXISTS public' -c 'SELECT 7' 2>&1)
expect_eq "psql shows the notices of skipped statements" "$notices" \
  $'NOTICE:  table "no_such_table" does not exist, skipping\nNOTICE:  schema "public" already exists, skipping\n7'

# --- COPY ... TO STDOUT: psql reads the copy-out sub-protocol ---------------------------------
copied=$(psql "$trust" -At -c "COPY (SELECT x, 'v,' || x FROM generate_series(1, 3) AS g(x)) TO STDOUT WITH (FORMAT csv, HEADER)" -c 'SELECT 42' 2>&1)
expect_eq "COPY TO STDOUT streams CSV through psql, and the session goes on" "$copied" $'x,?column?\n1,"v,1"\n2,"v,2"\n3,"v,3"\n42'
copied=$(psql "$trust" -At -c "\\copy (SELECT 'a b' AS t, NULL AS n) TO STDOUT" 2>&1)
expect_eq "psql's \\copy to stdout gets the text format" "$copied" $'a b\t\\N'

# --- COPY ... FROM STDIN: psql sends the copy-in sub-protocol ----------------------------------
loaded=$(printf '1,one\n2,"t,wo"\n\\.\n' | psql "$trust" -q -At \
  -c "CREATE TABLE copy_in (id integer, label text)" \
  -c "COPY copy_in FROM STDIN WITH (FORMAT csv)" \
  -c "SELECT id || ':' || label FROM copy_in ORDER BY id" 2>&1)
expect_eq "COPY FROM STDIN loads CSV sent by psql" "$loaded" $'1:one\n2:t,wo'
printf '3\tthree\n4\t\\N\n' > "$scratch/copy_in.txt"
loaded=$(psql "$trust" -q -At -c "\\copy copy_in FROM '$scratch/copy_in.txt'" \
  -c "SELECT count(*), count(label) FROM copy_in" 2>&1)
expect_eq "psql's \\copy from a file sends the text format" "$loaded" "4|3"
failed_copy=$(printf '5,five\n5,not a number,x\n' | psql "$trust" -q -At -v VERBOSITY=verbose \
  -c "COPY copy_in FROM STDIN WITH (FORMAT csv)" 2>&1)
expect_contains "a bad COPY row is an error with its SQLSTATE" "$failed_copy" "22P04"
expect_eq "a failed COPY commits nothing" "$(psql "$trust" -At -c 'SELECT count(*) FROM copy_in' 2>&1)" "4"

# --- libpq through ctypes: the extended query protocol with parameters -----------------------
extended=$("$python" - "$open_PG" <<'EOF'
import ctypes, sys
pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
pq.PQexecParams.restype = ctypes.c_void_p
pq.PQprepare.restype = ctypes.c_void_p
pq.PQexecPrepared.restype = ctypes.c_void_p
pq.PQgetvalue.restype = ctypes.c_char_p
pq.PQresultErrorField.restype = ctypes.c_char_p
pq.PQerrorMessage.restype = ctypes.c_char_p
for name in ["PQstatus", "PQresultStatus", "PQntuples", "PQnparams"]:
    getattr(pq, name).argtypes = [ctypes.c_void_p]
pq.PQgetvalue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQresultErrorField.argtypes = [ctypes.c_void_p, ctypes.c_int]
pq.PQerrorMessage.argtypes = [ctypes.c_void_p]
conn = pq.PQconnectdb(f"host=127.0.0.1 port={sys.argv[1]} dbname=floe user=floe sslmode=disable".encode())
if pq.PQstatus(conn) != 0:
    print("connect failed", pq.PQerrorMessage(conn).decode()); sys.exit(0)
# Notices reach the client in the extended protocol too (PQexecParams always uses it).
NoticeProcessor = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
notices = []
on_notice = NoticeProcessor(lambda arg, message: notices.append(message.decode().strip()))
pq.PQsetNoticeProcessor.argtypes = [ctypes.c_void_p, NoticeProcessor, ctypes.c_void_p]
pq.PQsetNoticeProcessor(ctypes.c_void_p(conn), on_notice, None)
result = pq.PQexecParams(ctypes.c_void_p(conn), b"DROP TABLE IF EXISTS no_such_table", 0, None,
                         None, None, None, 0)
print("extended-notice", pq.PQresultStatus(result), notices)
values = (ctypes.c_char_p * 1)(b"41")
result = pq.PQexecParams(ctypes.c_void_p(conn), b"SELECT $1::integer + 1", 1, None, values, None, None, 0)
status = pq.PQresultStatus(result)
if status == 2:
    print("text", pq.PQgetvalue(result, 0, 0).decode())
else:
    print("text-error", (pq.PQresultErrorField(result, ord('C')) or b"").decode(),
          pq.PQerrorMessage(conn).decode().strip())
prepared = pq.PQprepare(ctypes.c_void_p(conn), b"s1", b"SELECT $1::integer * 2", 1, None)
if pq.PQresultStatus(prepared) == 1:
    for value in (b"3", b"5"):
        args = (ctypes.c_char_p * 1)(value)
        result = pq.PQexecPrepared(ctypes.c_void_p(conn), b"s1", 1, args, None, None, 0)
        print("prepared", pq.PQgetvalue(result, 0, 0).decode() if pq.PQresultStatus(result) == 2 else "error")
else:
    print("prepare-error", pq.PQerrorMessage(conn).decode().strip())
pq.PQgetvalue.restype = ctypes.POINTER(ctypes.c_char)
pq.PQgetlength.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQftype.argtypes = [ctypes.c_void_p, ctypes.c_int]
result = pq.PQexecParams(ctypes.c_void_p(conn),
                         b"SELECT 1.5::numeric(10,2), DATE '2000-01-02', 7::smallint, true", 0,
                         None, None, None, None, 1)
if pq.PQresultStatus(result) == 2:
    print("binary", " ".join(f"{pq.PQftype(result, i)}:{pq.PQgetvalue(result, 0, i)[:pq.PQgetlength(result, 0, i)].hex()}"
                             for i in range(4)))
EOF
)
expect_contains "libpq receives a notice in the extended protocol" "$extended" \
  "extended-notice 1 ['NOTICE:  table \"no_such_table\" does not exist, skipping']"
expect_contains "libpq binds a text parameter" "$extended" "text 42"
expect_contains "libpq reuses a prepared statement" "$extended" "prepared 6"
expect_contains "libpq reuses a prepared statement twice" "$extended" "prepared 10"
expect_contains "libpq reads binary results" "$extended" "binary 1700:000200000000000200011388 1082:00000001 21:0007 16:01"

# --- Prepared statements across DDL and other sessions' commits ---------------------------------
# A prepared statement binds again at each execution: it sees rows other sessions committed,
# fails as PostgreSQL does when a table it reads was dropped, and refuses to return columns
# other than those its Parse described (0A000, "cached plan must not change result type").
prepared=$("$python" - "$trust" <<'EOF'
import ctypes, sys
pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
for name in ["PQexec", "PQexecParams", "PQprepare", "PQexecPrepared"]:
    getattr(pq, name).restype = ctypes.c_void_p
pq.PQgetvalue.restype = ctypes.c_char_p
pq.PQresultErrorField.restype = ctypes.c_char_p
pq.PQgetvalue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQresultErrorField.argtypes = [ctypes.c_void_p, ctypes.c_int]
for name in ["PQresultStatus", "PQntuples", "PQnfields"]:
    getattr(pq, name).argtypes = [ctypes.c_void_p]
conn = ctypes.c_void_p(pq.PQconnectdb(sys.argv[1].encode()))
other = ctypes.c_void_p(pq.PQconnectdb(sys.argv[1].encode()))
def show(label, result):
    status = pq.PQresultStatus(result)
    if status == 2:
        print(label, [[pq.PQgetvalue(result, r, c).decode() for c in range(pq.PQnfields(result))]
                      for r in range(pq.PQntuples(result))])
    elif status == 1:
        print(label, "ok")
    else:
        print(label, "error", (pq.PQresultErrorField(result, ord("C")) or b"").decode(),
              (pq.PQresultErrorField(result, ord("M")) or b"").decode())
def run(connection, sql):
    pq.PQexec(connection, sql.encode())
def execute(label, name, *values):
    args = (ctypes.c_char_p * max(len(values), 1))(*[v.encode() for v in values])
    show(label, pq.PQexecPrepared(conn, name.encode(), len(values), args, None, None, 0))
run(conn, "CREATE TABLE ddl_t (a integer, b text)")
run(conn, "INSERT INTO ddl_t VALUES (1, 'one'), (2, 'two')")
show("prepare", pq.PQprepare(conn, b"s_all", b"SELECT * FROM ddl_t ORDER BY a", 0, None))
show("prepare", pq.PQprepare(conn, b"s_b", b"SELECT b FROM ddl_t WHERE a = $1", 0, None))
run(other, "INSERT INTO ddl_t VALUES (3, 'three')")
execute("sees-other-session", "s_all")
execute("param-1", "s_b", "1")
execute("param-3", "s_b", "3")
run(conn, "ALTER TABLE ddl_t ADD COLUMN c integer")
execute("after-add-column", "s_all")
execute("narrow-after-add-column", "s_b", "2")
run(conn, "DROP TABLE ddl_t")
execute("after-drop", "s_all")
run(conn, "CREATE TABLE ddl_t (a integer, b text)")
run(conn, "INSERT INTO ddl_t VALUES (5, 'five')")
execute("after-recreate", "s_all")
run(conn, "DROP TABLE ddl_t")
run(conn, "CREATE TABLE ddl_t (a integer, b integer)")
run(conn, "INSERT INTO ddl_t VALUES (6, 60)")
execute("after-type-change", "s_b", "6")
values = (ctypes.c_char_p * 1)(b"6")
show("unnamed", pq.PQexecParams(conn, b"SELECT b + 1 FROM ddl_t WHERE a = $1", 1, None, values,
                                None, None, 0))
run(conn, "DROP TABLE ddl_t")
EOF
)
expect_contains "a prepared statement sees another session's commit" "$prepared" \
  "sees-other-session [['1', 'one'], ['2', 'two'], ['3', 'three']]"
expect_contains "a prepared statement takes new parameters" "$prepared" "param-3 [['three']]"
expect_contains "a prepared statement whose columns changed is refused" "$prepared" \
  "after-add-column error 0A000 cached plan must not change result type"
expect_contains "one whose columns did not change runs" "$prepared" "narrow-after-add-column [['two']]"
expect_contains "a prepared statement over a dropped table fails" "$prepared" \
  "after-drop error 42P01 relation \"ddl_t\" does not exist"
expect_contains "and runs again once the table is back" "$prepared" "after-recreate [['5', 'five']]"
expect_contains "a column type change is refused" "$prepared" \
  "after-type-change error 0A000 cached plan must not change result type"
expect_contains "the unnamed statement runs in one round trip" "$prepared" "unnamed [['61']]"

# --- Time zones: ParameterStatus follows SET, text output follows the zone, binary does not ----
zones=$("$python" - "$open_PG" <<'EOF'
import ctypes, sys
pq = ctypes.CDLL("libpq.so.5")
pq.PQconnectdb.restype = ctypes.c_void_p
pq.PQexec.restype = ctypes.c_void_p
pq.PQexecParams.restype = ctypes.c_void_p
pq.PQparameterStatus.restype = ctypes.c_char_p
pq.PQparameterStatus.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
pq.PQexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
pq.PQresultErrorField.restype = ctypes.c_char_p
pq.PQresultErrorField.argtypes = [ctypes.c_void_p, ctypes.c_int]
for name in ["PQstatus", "PQresultStatus"]:
    getattr(pq, name).argtypes = [ctypes.c_void_p]
pq.PQgetvalue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
pq.PQgetlength.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
conn = ctypes.c_void_p(pq.PQconnectdb(
    f"host=127.0.0.1 port={sys.argv[1]} dbname=floe user=floe sslmode=disable".encode()))
def zone():
    return pq.PQparameterStatus(conn, b"TimeZone").decode()
def text(sql):
    pq.PQgetvalue.restype = ctypes.c_char_p
    result = pq.PQexec(conn, sql)
    if pq.PQresultStatus(result) != 2:
        return "error " + (pq.PQresultErrorField(result, ord('C')) or b"").decode()
    return pq.PQgetvalue(result, 0, 0).decode()
print("zone-start", zone())
pq.PQexec(conn, b"SET TIME ZONE 'america/new_york'")
print("zone-after-set", zone())
print("zone-text", text(b"SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00'"))
pq.PQgetvalue.restype = ctypes.POINTER(ctypes.c_char)
result = pq.PQexecParams(conn, b"SELECT TIMESTAMPTZ '2000-01-01 00:00:01+00'", 0, None, None,
                         None, None, 1)
print("zone-binary", pq.PQgetvalue(result, 0, 0)[:pq.PQgetlength(result, 0, 0)].hex())
result = pq.PQexec(conn, b"SET TIME ZONE 'Mars/Olympus_Mons'")
print("zone-bad", (pq.PQresultErrorField(result, ord('C')) or b"").decode(), zone())
pq.PQexec(conn, b"SET TIME ZONE 5.5")
print("zone-number", zone(), text(b"SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00'"))
pq.PQexec(conn, b"RESET TIME ZONE")
print("zone-reset", zone())
conn = ctypes.c_void_p(pq.PQconnectdb(
    f"host=127.0.0.1 port={sys.argv[1]} dbname=floe user=floe sslmode=disable "
    "options='-c timezone=Asia/Kolkata'".encode()))
print("zone-startup", zone(), text(b"SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00'"))
EOF
)
expect_contains "ParameterStatus TimeZone starts as UTC" "$zones" "zone-start UTC"
expect_contains "ParameterStatus TimeZone follows SET" "$zones" "zone-after-set America/New_York"
expect_contains "timestamptz text is in the session's zone" "$zones" \
  "zone-text 2024-07-01 08:00:00-04"
expect_contains "timestamptz binary stays UTC microseconds" "$zones" \
  "zone-binary 00000000000f4240"
expect_contains "an unknown zone is 22023 and changes nothing" "$zones" \
  "zone-bad 22023 America/New_York"
expect_contains "a numeric zone is hours east" "$zones" \
  "zone-number <+05:30>-05:30 2024-01-01 05:30:00+05:30"
expect_contains "RESET TIME ZONE reports UTC again" "$zones" "zone-reset UTC"
expect_contains "a zone set at startup is reported and used" "$zones" \
  "zone-startup Asia/Kolkata 2024-01-01 05:30:00+05:30"

# --- psycopg2 --------------------------------------------------------------------------------
psycopg=$("$python" - "$open_PG" <<'EOF'
import sys, threading, time
import psycopg2
conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), dbname="floe", user="floe",
                        sslmode="disable")
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT 1 AS one")
print("select", cur.fetchone()[0], cur.description[0].name)
try:
    cur.execute("SELECT * FROM no_such_table")
except psycopg2.Error as error:
    print("error", error.pgcode)
cur.execute("SELECT 2")
print("after-error", cur.fetchone()[0])
conn.autocommit = False
cur.execute("SELECT 3")
print("in-transaction", cur.fetchone()[0], conn.get_transaction_status())
conn.commit()
print("committed", conn.get_transaction_status())
conn.autocommit = True
def cancel():
    time.sleep(0.5)
    conn.cancel()
threading.Thread(target=cancel).start()
started = time.time()
try:
    cur.execute("SELECT count(*) FROM generate_series(1, 20000000000)")
    print("cancel not-cancelled", cur.fetchone())
except psycopg2.Error as error:
    print("cancel", error.pgcode, round(time.time() - started, 1))
cur.execute("SELECT 4")
print("after-cancel", cur.fetchone()[0])
import io
cur.execute("CREATE TABLE driver_copy (id integer, label text)")
cur.copy_expert("COPY driver_copy FROM STDIN WITH (FORMAT csv)", io.StringIO("1,a\n2,\"b,c\"\n"))
print("copy-in", cur.rowcount)
out = io.StringIO()
cur.copy_expert("COPY (SELECT * FROM driver_copy ORDER BY id) TO STDOUT WITH (FORMAT csv)", out)
print("copy-out", out.getvalue().replace("\n", ";"))
class Failing(io.StringIO):
    def read(self, size=-1):
        raise OSError("the source broke")
try:
    cur.copy_expert("COPY driver_copy FROM STDIN", Failing())
except Exception as error:
    print("copy-fail", getattr(error, "pgcode", type(error).__name__))
cur.execute("SELECT count(*) FROM driver_copy")
print("after-copy-fail", cur.fetchone()[0])
cur.execute("ALTER TABLE driver_copy DROP COLUMN IF EXISTS missing")
print("notices", [notice.strip() for notice in conn.notices])
EOF
)
expect_contains "psycopg2 runs a query" "$psycopg" "select 1 one"
expect_contains "psycopg2 sees the SQLSTATE of a missing table" "$psycopg" "error 42P01"
expect_contains "psycopg2 goes on after an error" "$psycopg" "after-error 2"
expect_contains "psycopg2 transaction blocks report INTRANS" "$psycopg" "in-transaction 3 2"
expect_contains "psycopg2 commit returns to IDLE" "$psycopg" "committed 0"
expect_contains "psycopg2 cancels a running statement" "$psycopg" "cancel 57014"
expect_contains "psycopg2 goes on after a cancel" "$psycopg" "after-cancel 4"
expect_contains "psycopg2 copies rows in" "$psycopg" "copy-in 2"
expect_contains "psycopg2 copies rows out" "$psycopg" 'copy-out 1,a;2,"b,c";'
expect_contains "psycopg2's failed copy source sends CopyFail" "$psycopg" "copy-fail 57014"
expect_contains "a failed copy commits nothing and the session goes on" "$psycopg" "after-copy-fail 2"
expect_contains "psycopg2 receives NoticeResponses" "$psycopg" \
  "notices ['NOTICE:  column \"missing\" of relation \"driver_copy\" does not exist, skipping']"

# --- HTTP API --------------------------------------------------------------------------------
http="http://127.0.0.1:$open_HTTP"
expect_eq "GET /health" "$(curl -s "$http/health")" '{"status":"ok"}'
expect_eq "GET /health/ready" "$(curl -s -o /dev/null -w '%{http_code}' "$http/health/ready")" "200"
json=$(curl -s -X POST "$http/api/v1/sql" -H 'Content-Type: application/json' \
  -d '{"sql": "SELECT 1 AS one, $1::integer AS two", "parameters": [2]}')
expect_contains "POST /api/v1/sql returns JSON rows" "$json" '"rows":[[1,2]]'
expect_contains "POST /api/v1/sql names the columns" "$json" '"name":"one"'
csv=$(curl -s -X POST "$http/api/v1/sql?format=csv" -d '{"sql": "SELECT 1 AS one"}')
expect_eq "POST /api/v1/sql?format=csv returns CSV" "$(echo "$csv" | tr -d '\r' | tr '\n' ' ')" "one 1 "
status=$(curl -s -o "$scratch/error.json" -w '%{http_code}' -X POST "$http/api/v1/sql" -d '{"sql": "SELEC 1"}')
expect_eq "a syntax error is HTTP 400" "$status" "400"
expect_contains "a syntax error carries its SQLSTATE" "$(cat "$scratch/error.json")" '"sqlstate":"42601"'
expect_eq "an unknown path is 404" "$(curl -s -o /dev/null -w '%{http_code}' "$http/nothing")" "404"
metrics=$(curl -s "$http/metrics")
expect_contains "/metrics counts statements" "$metrics" 'floe_statements_total{protocol="http",outcome="ok"}'
expect_contains "/metrics has a latency histogram" "$metrics" 'floe_statement_duration_seconds_bucket{protocol="pgwire",le="+Inf"}'
expect_contains "/metrics counts open connections" "$metrics" 'floe_connections_active{protocol="http"} 1'
# The second scan of the same Iceberg data file takes its column chunks from the analytics cache.
psql "$trust" -At -c 'SELECT count(label) FROM copy_in' -c 'SELECT count(label) FROM copy_in' >/dev/null 2>&1
metrics=$(curl -s "$http/metrics")
chunk_hits=$(printf '%s\n' "$metrics" | sed -n 's/^floe_analytics_cache_hits_total{kind="chunk"} //p')
expect_eq "/metrics counts hits of the analytics cache" "$([ "${chunk_hits:-0}" -ge 1 ] && echo yes)" "yes"
expect_contains "/metrics shows the analytics cache's size" "$metrics" 'floe_analytics_cache_capacity_bytes 1073741824'

# --- hostile input ---------------------------------------------------------------------------
hostile=$("$python" - "$open_PG" "$open_HTTP" <<'EOF'
import socket, struct, sys
pg, http = int(sys.argv[1]), int(sys.argv[2])
def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s
def read_all(s):
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data
def startup(s):
    body = struct.pack(">i", 196608) + b"user\0floe\0database\0floe\0\0"
    s.sendall(struct.pack(">i", len(body) + 4) + body)
    data = b""
    while b"Z\0\0\0\x05I" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
s = connect(pg); s.sendall(b"\x16\x03\x01garbage that is not a startup packet" * 10)
print("garbage", b"08P01" in read_all(s) or True)
s = connect(pg); startup(s); s.sendall(b"Q" + struct.pack(">I", 0x7ffffff0))
print("oversize", b"54000" in read_all(s))
s = connect(pg); startup(s); s.sendall(b"Q" + struct.pack(">i", 1000) + b"SELECT"); s.close()
print("half-message", True)
s = connect(pg); s.sendall(struct.pack(">i", 8)); s.close()
s = connect(http); s.sendall(b"\x00\x01\x02 not http\r\n\r\n")
print("http-garbage", read_all(s).startswith(b"HTTP/1.1 400"))
s = connect(http); s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 100000 + b"\r\n\r\n")
print("http-huge-header", read_all(s).startswith(b"HTTP/1.1 431"))
s = connect(http); s.sendall(b"POST /api/v1/sql HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")
print("http-huge-body", read_all(s).startswith(b"HTTP/1.1 413"))
EOF
)
expect_contains "an oversize wire message gets 54000" "$hostile" "oversize True"
expect_contains "HTTP garbage gets 400" "$hostile" "http-garbage True"
expect_contains "a huge HTTP header gets 431" "$hostile" "http-huge-header True"
expect_contains "a huge HTTP body gets 413" "$hostile" "http-huge-body True"
expect_eq "psql still works after hostile input" "$(psql "$trust" -Atc 'SELECT 1' 2>&1)" "1"
expect_eq "HTTP still works after hostile input" "$(curl -s "$http/health")" '{"status":"ok"}'

# --- graceful shutdown -----------------------------------------------------------------------
kill -TERM "$open_PID"
for _ in $(seq 1 100); do
  kill -0 "$open_PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$open_PID" 2>/dev/null; then fail "SIGTERM stops the server"; else pass "SIGTERM stops the server"; fi
expect_contains "the server logs its shutdown" "$(cat "$open_LOG")" "floe server stopped"

# --- passwords: SCRAM-SHA-256, HTTP Basic, TLS -------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$scratch/key.pem" -out "$scratch/cert.pem" >/dev/null 2>&1
start_server secure FLOE_ADMIN_USER=admin 'FLOE_ADMIN_PASSWORD=Tr0ub4dor&3' -- \
  --tls-cert "$scratch/cert.pem" --tls-key "$scratch/key.pem" || exit 1
scram=$("$python" - "$secure_PG" <<'EOF'
import sys
import psycopg2
port = int(sys.argv[1])
conn = psycopg2.connect(host="127.0.0.1", port=port, dbname="floe", user="admin",
                        password="Tr0ub4dor&3", sslmode="disable")
cur = conn.cursor()
cur.execute("SELECT 1")
print("scram", cur.fetchone()[0], conn.info.parameter_status("is_superuser"))
conn.close()
for user, password in (("admin", "wrong"), ("nobody", "Tr0ub4dor&3")):
    try:
        psycopg2.connect(host="127.0.0.1", port=port, dbname="floe", user=user,
                         password=password, sslmode="disable")
        print("rejected", user, False)
    except psycopg2.OperationalError as error:
        print("rejected", user, "password authentication failed" in str(error))
conn = psycopg2.connect(host="127.0.0.1", port=port, dbname="floe", user="admin",
                        password="Tr0ub4dor&3", sslmode="require")
print("tls", conn.info.ssl_in_use)
EOF
)
expect_contains "SCRAM-SHA-256 logs the administrator in" "$scram" "scram 1 on"
expect_contains "a wrong password is rejected" "$scram" "rejected admin True"
expect_contains "an unknown user is rejected alike" "$scram" "rejected nobody True"
expect_contains "TLS after SSLRequest" "$scram" "tls True"
# --- SCRAM-SHA-256-PLUS: the exchange bound to the server's certificate (tls-server-end-point) --
as_admin() { # as_admin PORT CONNECTION-OPTIONS
  PGPASSWORD='Tr0ub4dor&3' psql "host=127.0.0.1 port=$1 dbname=floe user=admin $2" -w -Atc 'SELECT 1' 2>&1
}
expect_eq "channel_binding=require logs in over TLS" \
  "$(as_admin "$secure_PG" 'sslmode=require channel_binding=require')" "1"
expect_contains "channel_binding=require without TLS is refused by libpq" \
  "$(as_admin "$secure_PG" 'sslmode=disable channel_binding=require')" \
  "channel binding required, but SSL not in use"
expect_eq "channel_binding=disable logs in over TLS" \
  "$(as_admin "$secure_PG" 'sslmode=require channel_binding=disable')" "1"
# A certificate signed with SHA-384 binds to its SHA-384 hash (RFC 5929 section 4.1).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -sha384 -nodes -days 1 \
  -subj "/CN=127.0.0.1" -keyout "$scratch/ec_key.pem" -out "$scratch/ec_cert.pem" >/dev/null 2>&1
start_server ecdsa FLOE_ADMIN_USER=admin 'FLOE_ADMIN_PASSWORD=Tr0ub4dor&3' -- \
  --tls-cert "$scratch/ec_cert.pem" --tls-key "$scratch/ec_key.pem" || exit 1
expect_eq "channel binding works with a SHA-384 certificate" \
  "$(as_admin "$ecdsa_PG" 'sslmode=require channel_binding=require')" "1"
# Hand-driven exchanges: what the server offers, and a client that says "y" (it can bind but
# thinks the server cannot), which must fail when -PLUS was offered: a downgrade attack.
downgrade=$("$python" - "$secure_PG" <<'EOF'
import socket, ssl, struct, sys
def exchange(use_tls, mechanism, data):
    sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    if use_tls:
        sock.sendall(struct.pack("!ii", 8, 80877103))
        assert sock.recv(1) == b"S"
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(sock)
    def receive():
        header = b""
        while len(header) < 5:
            header += sock.recv(5 - len(header))
        length = struct.unpack("!i", header[1:])[0] - 4
        body = b""
        while len(body) < length:
            body += sock.recv(length - len(body))
        return header[:1].decode(), body
    startup = struct.pack("!i", 196608) + b"user\0admin\0database\0floe\0\0"
    sock.sendall(struct.pack("!i", len(startup) + 4) + startup)
    _, body = receive()
    mechanisms = [m.decode() for m in body[4:].split(b"\0") if m]
    payload = mechanism.encode() + b"\0" + struct.pack("!i", len(data)) + data.encode()
    sock.sendall(b"p" + struct.pack("!i", len(payload) + 4) + payload)
    kind, body = receive()
    fields = {f[:1].decode(): f[1:].decode() for f in body.split(b"\0") if f}
    return mechanisms, kind, fields
print("tls-offers", exchange(True, "SCRAM-SHA-256", "n,,n=,r=abc")[0])
print("plain-offers", exchange(False, "SCRAM-SHA-256", "n,,n=,r=abc")[0])
_, kind, fields = exchange(True, "SCRAM-SHA-256", "y,,n=,r=abc")
print("downgrade", kind, fields.get("S"), fields.get("C"), fields.get("M"))
print("y-without-tls", exchange(False, "SCRAM-SHA-256", "y,,n=,r=abc")[1])
_, kind, fields = exchange(True, "SCRAM-SHA-256-PLUS", "n,,n=,r=abc")
print("plus-without-data", kind, fields.get("C"), fields.get("M"), fields.get("D"))
_, kind, fields = exchange(False, "SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc")
print("plus-without-tls", kind, fields.get("C"), fields.get("M"))
EOF
)
expect_contains "over TLS the server offers SCRAM-SHA-256-PLUS first" "$downgrade" \
  "tls-offers ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256']"
expect_contains "without TLS it offers only SCRAM-SHA-256" "$downgrade" "plain-offers ['SCRAM-SHA-256']"
expect_contains "a client that says \"y\" over TLS is refused (downgrade)" "$downgrade" \
  "downgrade E FATAL 28000 SCRAM channel binding negotiation error"
expect_contains "a client that says \"y\" without TLS goes on" "$downgrade" "y-without-tls R"
expect_contains "-PLUS without binding data is malformed" "$downgrade" \
  "plus-without-data E 08P01 malformed SCRAM message The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data."
expect_contains "-PLUS without TLS is an invalid mechanism" "$downgrade" \
  "plus-without-tls E 08P01 client selected an invalid SASL authentication mechanism"
no_password=$(psql "host=127.0.0.1 port=$secure_PG dbname=floe user=admin sslmode=disable" -w -Atc 'SELECT 1' 2>&1)
expect_contains "no trust once users exist" "$no_password" "password"
https="https://127.0.0.1:$secure_HTTP"
expect_eq "HTTPS without credentials is 401" \
  "$(curl -sk -o /dev/null -w '%{http_code}' -X POST "$https/api/v1/sql" -d '{"sql":"SELECT 1"}')" "401"
expect_contains "HTTPS with Basic credentials runs SQL" \
  "$(curl -sk -u 'admin:Tr0ub4dor&3' -X POST "$https/api/v1/sql" -d '{"sql":"SELECT 1"}')" '"rows":[[1]]'
expect_eq "HTTPS with a wrong password is 401" \
  "$(curl -sk -u admin:nope -o /dev/null -w '%{http_code}' -X POST "$https/api/v1/sql" -d '{"sql":"SELECT 1"}')" "401"

# --- Users managed in SQL: CREATE/ALTER/DROP USER, then logging in as them ---------------------
as_user() { # as_user USER PASSWORD SQL
  PGPASSWORD=$2 psql "host=127.0.0.1 port=$secure_PG dbname=floe user=$1 sslmode=disable" -w -v VERBOSITY=verbose -Atc "$3" 2>&1
}
expect_eq "a superuser creates a user" "$(as_user admin 'Tr0ub4dor&3' "CREATE USER carol WITH PASSWORD 'c4rol-pw'")" "CREATE ROLE"
expect_eq "the new user logs in with SCRAM" "$(as_user carol c4rol-pw 'SELECT current_user')" "carol"
expect_contains "an ordinary user may not create users" "$(as_user carol c4rol-pw "CREATE USER dave WITH PASSWORD 'x'")" "42501"
expect_eq "a user changes their own password" "$(as_user carol c4rol-pw "ALTER USER carol WITH PASSWORD 'n3w-pw'")" "ALTER ROLE"
expect_contains "the old password no longer works" "$(as_user carol c4rol-pw 'SELECT 1')" "password authentication failed"
expect_eq "the new one does" "$(as_user carol n3w-pw 'SELECT 1')" "1"
expect_contains "making oneself superuser is refused" "$(as_user carol n3w-pw 'ALTER USER carol SUPERUSER')" "42501"
expect_eq "a superuser drops the user" "$(as_user admin 'Tr0ub4dor&3' 'DROP USER carol')" "DROP ROLE"
expect_contains "a dropped user cannot log in" "$(as_user carol n3w-pw 'SELECT 1')" "password authentication failed"

finish
