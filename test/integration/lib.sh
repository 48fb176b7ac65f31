# Shared helpers for integration tests: scratch folders, free loopback ports, real servers
# started for the test and always stopped afterwards, and assertions that count outcomes.
# Source it from a test script; call `finish` at the end.
set -uo pipefail

passed=0
failed=0
cleanup_commands=()
scratch=$(mktemp -d "${TMPDIR:-/tmp}/floe-integration.XXXXXX")
chmod 755 "$scratch"

run_cleanup() {
  local index
  for ((index = ${#cleanup_commands[@]} - 1; index >= 0; index--)); do
    eval "${cleanup_commands[index]}" >/dev/null 2>&1 || true
  done
  rm -rf "$scratch"
}
trap run_cleanup EXIT

# on_exit COMMAND: runs COMMAND when the test ends, last registered first.
on_exit() { cleanup_commands+=("$1"); }

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAILED - $1"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$3], got [$2]"; fi
}

# expect_contains NAME HAYSTACK NEEDLE
expect_contains() {
  if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: [$3] not found in [$2]"; fi
}

# free_port: prints a TCP port on loopback that nothing listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT [SECONDS]: waits until something accepts connections on 127.0.0.1:PORT.
wait_for_port() {
  local port=$1 deadline=$((SECONDS + ${2:-30}))
  while ((SECONDS < deadline)); do
    if (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# port_is_closed PORT: true when nothing accepts connections on 127.0.0.1:PORT.
port_is_closed() { ! (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# as_postgres_user COMMAND...: PostgreSQL refuses to run as root, so servers started by root
# run as the postgres system user.
as_postgres_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_postgres: starts a throwaway PostgreSQL server on a free loopback port, trusting local
# connections, and sets PG_PORT, PG_URL. Stopped automatically when the test ends.
start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then
    echo "start_postgres: no PostgreSQL server installed (scripts/install-deps installs it)" >&2
    return 1
  fi
  PG_DATA="$scratch/pgdata"
  PG_PORT=$(free_port)
  mkdir -p "$PG_DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DATA"
  as_postgres_user "$bin/initdb" -D "$PG_DATA" -U floe --auth=trust -E UTF8 >"$scratch/initdb.log" 2>&1 ||
    { cat "$scratch/initdb.log" >&2; return 1; }
  as_postgres_user "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DATA" start >/dev/null ||
    { cat "$PG_DATA/server.log" >&2; return 1; }
  on_exit "as_postgres_user '$bin/pg_ctl' -D '$PG_DATA' -m immediate stop"
  PG_URL="postgresql://floe@127.0.0.1:$PG_PORT/postgres"
  export PG_PORT PG_URL
}

# start_floe_server FLOE_BINARY WAREHOUSE [FLAG...]: starts `floe server` on loopback with the
# warehouse folder WAREHOUSE (its metastore inside it) on free ports, and sets SERVER_PG_PORT,
# SERVER_HTTP_PORT and SERVER_LOG. Returns 1, printing the log, when it does not start.
# Killed when the test ends.
start_floe_server() {
  local binary=$1 warehouse=$2 pid
  shift 2
  SERVER_PG_PORT=$(free_port)
  SERVER_HTTP_PORT=$(free_port)
  SERVER_LOG="$scratch/server-$SERVER_PG_PORT.log"
  "$binary" --warehouse "$warehouse" --listen 127.0.0.1 --pg-port "$SERVER_PG_PORT" \
    --http-port "$SERVER_HTTP_PORT" "$@" server >"$SERVER_LOG" 2>&1 &
  pid=$!
  disown "$pid"
  on_exit "kill -9 $pid"
  if ! wait_for_port "$SERVER_PG_PORT" 60 || ! wait_for_port "$SERVER_HTTP_PORT" 10; then
    echo "floe server did not start:" >&2
    cat "$SERVER_LOG" >&2
    return 1
  fi
}

# start_s3rver BUCKET: starts s3rver (an S3-compatible server from npm) on a free loopback port
# with BUCKET created, and sets S3_PORT, S3_ENDPOINT and S3_DATA (the folder holding its
# objects). Its access key and secret are both "S3RVER". Stopped automatically when the test
# ends.
start_s3rver() {
  local script
  script="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/node_modules/s3rver/bin/s3rver.js"
  if [ ! -f "$script" ]; then
    echo "start_s3rver: s3rver is not installed (scripts/install-deps installs it)" >&2
    return 1
  fi
  S3_PORT=$(free_port)
  S3_DATA="$scratch/s3rver"
  mkdir -p "$S3_DATA"
  # s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its
  # legacy provider.
  node --openssl-legacy-provider "$script" -d "$S3_DATA" -p "$S3_PORT" -a 127.0.0.1 --silent \
    --configure-bucket "$1" >"$scratch/s3rver.log" 2>&1 &
  on_exit "kill $!"
  wait_for_port "$S3_PORT" 30 || { cat "$scratch/s3rver.log" >&2; return 1; }
  S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  export S3_PORT S3_ENDPOINT S3_DATA
}

# finish: prints the closing count and exits non-zero when anything failed.
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
