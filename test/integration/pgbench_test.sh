#!/usr/bin/env bash
# pgbench (PostgreSQL's own benchmark client) runs custom read-only scripts against
# `floe server` with several clients, in the simple, extended and prepared query protocols:
# every transaction must succeed and return what the table holds.
# Usage: pgbench_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=${1:?usage: pgbench_test.sh FLOE_BINARY}
export PGCONNECT_TIMEOUT=10
if ! command -v pgbench >/dev/null 2>&1; then
  fail "pgbench is not installed (scripts/install-deps installs postgresql-client)"
  finish
fi

start_floe_server "$floe" "$scratch/warehouse" || exit 1
connection="host=127.0.0.1 port=$SERVER_PG_PORT dbname=floe user=floe sslmode=disable"

setup=$(psql "$connection" -X -q -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE TABLE accounts AS
  SELECT g AS id, 'account ' || g AS name, (g * 1.5)::numeric(12,2) AS balance
  FROM generate_series(1, 1000) AS g;
SQL
)
expect_eq "the table is created" "$setup" ""

# A transaction reads one random account and checks what it got: \if on a value the query
# set (\gset) fails the transaction, and pgbench counts it, when the row is wrong.
cat >"$scratch/account.sql" <<'SQL'
\set id random(1, 1000)
SELECT name AS got_name, balance * 2 = :id * 3 AS balance_ok FROM accounts WHERE id = :id \gset
\if :balance_ok
\else
  SELECT 1 / 0;
\endif
SQL
printf 'SELECT 1;\n' >"$scratch/select1.sql"

# run_pgbench NAME ARGS...: runs pgbench and checks that every transaction succeeded.
run_pgbench() {
  local name=$1 output status processed
  shift
  output=$(pgbench -n "$@" "$connection" 2>&1)
  status=$?
  processed=$(echo "$output" | sed -n 's/^number of transactions actually processed: //p')
  if [ $status -eq 0 ] && [ -n "$processed" ] && [[ "$processed" == */* ]] &&
     [ "${processed%/*}" == "${processed#*/}" ] &&
     ! echo "$output" | grep -Eq 'number of failed transactions: [1-9]'; then
    pass "$name: $processed transactions, $(echo "$output" | grep -o 'tps = [0-9.]*' | head -1)"
  else
    fail "$name (exit $status)"
    echo "$output" | tail -n 20
  fi
}

run_pgbench "SELECT 1, one client, simple protocol" -c 1 -t 200 -M simple -f "$scratch/select1.sql"
run_pgbench "SELECT 1, eight clients, extended protocol" -c 8 -j 2 -t 100 -M extended \
  -f "$scratch/select1.sql"
run_pgbench "point reads, four clients, prepared statements" -c 4 -j 2 -t 50 -M prepared \
  -f "$scratch/account.sql"
run_pgbench "point reads, two clients, simple protocol" -c 2 -t 25 -M simple \
  -f "$scratch/account.sql"
# Parse, Bind, Describe and Execute in one round trip: the execution reuses Parse's binding.
run_pgbench "point reads, two clients, extended protocol" -c 2 -t 50 -M extended \
  -f "$scratch/account.sql"

# A wrong answer fails the transaction: the check above can fail.
sed 's/:id \* 3/:id * 4/' "$scratch/account.sql" >"$scratch/wrong.sql"
output=$(pgbench -n -c 1 -t 5 -M prepared -f "$scratch/wrong.sql" "$connection" 2>&1)
[ $? -ne 0 ] && pass "a wrong balance fails the run" ||
  { fail "a wrong balance went unnoticed"; echo "$output" | tail -n 5; }

# The server served every client and still answers.
expect_eq "the server still answers" "$(psql "$connection" -X -A -t -c 'SELECT count(*) FROM accounts' 2>&1)" "1000"
finish
