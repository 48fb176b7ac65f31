#!/usr/bin/env bash
# Spilling as a user meets it: a GROUP BY and a hash join over a small memory budget answer
# from their spill files, EXPLAIN ANALYZE counts them, the query's spill folder is gone
# afterwards, and an unusable engine.temp_directory is a clear error.
# Usage: spill_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$1
cd "$scratch"

query="SELECT count(*), sum(c), sum(s) FROM (SELECT g % 300000 AS k, count(*) AS c, sum(g) AS s
       FROM generate_series(1, 1200000) AS t(g) GROUP BY g % 300000) x"

answer=$("$floe" --warehouse wh --log-level error sql -q --format csv \
  -c "SET memory_limit = '16MB'" -c "$query" 2>&1)
expect_contains "aggregate over the budget answers" "$answer" "300000,1200000,720000600000"

plan=$("$floe" --warehouse wh --log-level error sql -q -c "SET memory_limit = '16MB'" \
  -c "EXPLAIN (ANALYZE, TIMING off) $query" 2>&1)
expect_contains "EXPLAIN ANALYZE counts spilled bytes" "$plan" "spilled: "
expect_contains "EXPLAIN ANALYZE counts spill files" "$plan" " files)"

[ -d wh/.tmp ] && pass "spills went to <warehouse>/.tmp" || fail "no wh/.tmp folder"
leftovers=$(find wh/.tmp -mindepth 1 2>/dev/null | wc -l)
expect_eq "spill folder removed after the queries" "$leftovers" "0"

# A hash join whose build side passes the budget spills both sides (a grace hash join).
join_query="SELECT count(*), sum(a.g), sum(b.h) FROM generate_series(1, 1000000) a(g)
            JOIN (SELECT h, 'value ' || h AS s FROM generate_series(1, 600000) t(h)) b
            ON a.g = b.h * 2"
answer=$("$floe" --warehouse wh --log-level error sql -q --format csv \
  -c "SET memory_limit = '16MB'" -c "$join_query" 2>&1)
expect_contains "join over the budget answers" "$answer" "500000,250000500000,125000250000"
plan=$("$floe" --warehouse wh --log-level error sql -q -c "SET memory_limit = '16MB'" \
  -c "EXPLAIN (ANALYZE, TIMING off) $join_query" 2>&1)
join_line=$(grep "HASH_JOIN" <<<"$plan")
expect_contains "EXPLAIN ANALYZE shows the join spilled" "$join_line" "spilled: "
leftovers=$(find wh/.tmp -mindepth 1 2>/dev/null | wc -l)
expect_eq "spill folder removed after the join" "$leftovers" "0"

custom=$("$floe" --warehouse wh --temp-directory "$scratch/spill here" --log-level error sql -q \
  --format csv -c "SET memory_limit = '16MB'" -c "$query" 2>&1)
expect_contains "engine.temp_directory is used" "$custom" "300000,1200000,720000600000"
[ -d "$scratch/spill here" ] && [ -z "$(ls -A "$scratch/spill here")" ] &&
  pass "custom temp directory left empty" || fail "custom temp directory: $(ls -A "$scratch/spill here")"

echo "not a folder" >plain-file
broken=$("$floe" --warehouse wh --temp-directory plain-file/tmp --log-level error sql -q \
  -c "SET memory_limit = '16MB'" -c "$query" 2>&1)
expect_contains "unusable temp directory names SQLSTATE" "$broken" "58030"
expect_contains "unusable temp directory names the folder" "$broken" \
  "cannot spill to the temp directory plain-file/tmp (engine.temp_directory)"

finish
