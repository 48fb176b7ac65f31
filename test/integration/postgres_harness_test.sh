#!/usr/bin/env bash
# The harness that metastore and wire-protocol tests build on: a real PostgreSQL server starts
# on a free loopback port, answers queries, and is gone once the test ends.
source "$(dirname "$0")/lib.sh"

start_postgres || { fail "PostgreSQL starts"; finish; }
pass "PostgreSQL starts"
answer=$(psql "$PG_URL" -XAtc "SELECT 40 + 2")
expect_eq "PostgreSQL answers on port $PG_PORT" "$answer" "42"

# The same stop the EXIT trap runs, run here so that its effect can be checked.
run_cleanup
cleanup_commands=()
if port_is_closed "$PG_PORT"; then pass "PostgreSQL is stopped afterwards"; else fail "still running"; fi
scratch=$(mktemp -d)
finish
