#!/usr/bin/env bash
# psql's backslash commands against `floe server`: \dn, \dt, \dv, \d and \l send psql's own
# catalog queries (pg_catalog.pg_class, pg_namespace, pg_database with OPERATOR(pg_catalog.~),
# pg_get_userbyid, array_to_string...), which must answer as PostgreSQL's do.
# Usage: psql_catalog_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=${1:?usage: psql_catalog_test.sh FLOE_BINARY}
export PGCONNECT_TIMEOUT=10

pg_port=$(free_port)
http_port=$(free_port)
"$floe" --warehouse "$scratch/warehouse" --metastore "sqlite:$scratch/warehouse/floe.db" \
  --listen 127.0.0.1 --pg-port "$pg_port" --http-port "$http_port" server >"$scratch/server.log" 2>&1 &
server_pid=$!
disown "$server_pid"
on_exit "kill -9 $server_pid"
if ! wait_for_port "$pg_port" 60; then
  echo "floe server did not start:" >&2
  cat "$scratch/server.log" >&2
  exit 1
fi
connection="host=127.0.0.1 port=$pg_port dbname=floe user=floe sslmode=disable"
# psql_run COMMAND: unaligned, tuples only, no psqlrc; errors go to the output too.
psql_run() { psql "$connection" -X -A -t -c "$1" 2>&1; }

setup=$(psql "$connection" -X -q -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE SCHEMA sales;
CREATE VIEW sales.items AS SELECT 1::bigint AS id, 'x'::text AS name, 2.50::numeric(10,2) AS price;
CREATE VIEW public.answer (value) AS SELECT 42;
SQL
)
expect_eq "schemas and views are created" "$setup" ""

expect_eq "\\dn lists the schemas with their owner" "$(psql_run '\dn')" "public|floe
sales|floe"
expect_eq "\\dv lists the views the search_path reaches" "$(psql_run '\dv')" "public|answer|view|floe"
on_path=$(psql "$connection" -X -A -t -c 'SET search_path = sales, public' -c '\dv' 2>&1)
expect_eq "\\dv after SET search_path" "$on_path" "SET
public|answer|view|floe
sales|items|view|floe"
expect_eq "\\dt finds no tables among views" "$(psql_run '\dt')" "Did not find any relations."
expect_eq "CREATE TABLE makes an Iceberg table" "$(psql_run 'CREATE TABLE public.orders (id bigint NOT NULL, total numeric(12,2))')" "CREATE TABLE"
expect_eq "\\dt lists it" "$(psql_run '\dt')" "public|orders|table|floe"
expect_eq "\\d lists tables and views" "$(psql_run '\d')" "public|answer|view|floe
public|orders|table|floe"
expect_eq "\\dv with a pattern" "$(psql_run '\dv sales.*')" "sales|items|view|floe"
expect_eq "\\l lists the database" "$(psql_run '\l')" "floe|floe|UTF8|C|C||libc|"

# \d NAME sends psql's column query, whose correlated scalar subqueries read pg_attrdef and
# pg_collation; \di and \df find no indexes and no functions outside pg_catalog.
expect_eq "\\d NAME shows a view's columns and types" "$(psql_run '\d sales.items')" "id|bigint|||
name|character varying|||
price|numeric(10,2)|||"
described=$(psql "$connection" -X -c '\d sales.items' 2>&1)
expect_contains "\\d NAME prints psql's title" "$described" 'View "sales.items"'
expect_contains "\\d NAME prints a column row" "$described" " price  | numeric(10,2)     |"
expect_eq "\\di finds no indexes" "$(psql_run '\di')" "Did not find any relations."
expect_eq "\\df finds no functions" "$(psql_run '\df')" ""

# \d TABLE: psql's queries read generate_series(0, array_upper(pr.prattrs::int2[], 1)) from
# publications and, for \d+, unnest(tc.reloptions), functions in FROM over outer columns. The
# expected layouts are what psql prints for the same table in PostgreSQL 15.
table_layout=$(cat <<'OUT'
                  Table "public.orders"
 Column |     Type      | Collation | Nullable | Default 
--------+---------------+-----------+----------+---------
 id     | bigint        |           | not null | 
 total  | numeric(12,2) |           |          | 
OUT
)
expect_eq "\\d TABLE prints psql's table layout" "$(psql "$connection" -X -c '\d orders' 2>&1)" "$table_layout"
expect_eq "\\d SCHEMA.TABLE prints the same layout" \
  "$(psql "$connection" -X -c '\d public.orders' 2>&1)" "$table_layout"
verbose_layout=$(cat <<'OUT'
                                            Table "public.orders"
 Column |     Type      | Collation | Nullable | Default | Storage | Compression | Stats target | Description 
--------+---------------+-----------+----------+---------+---------+-------------+--------------+-------------
 id     | bigint        |           | not null |         | plain   |             |              | 
 total  | numeric(12,2) |           |          |         | main    |             |              | 
Access method: heap
OUT
)
expect_eq "\\d+ TABLE adds storage and the access method" \
  "$(psql "$connection" -X -c '\d+ orders' 2>&1)" "$verbose_layout"

# \dt+ and \dn+ add sizes, persistence, access privileges and descriptions; \du lists the
# roles with their memberships (a correlated ARRAY(subquery)).
expect_eq "\\dt+ shows the table's size" "$(psql_run '\dt+')" "public|orders|table|floe|permanent|heap|0 bytes|"
expect_eq "\\dn+ lists the schemas" "$(psql_run '\dn+')" "public|floe||
sales|floe||"
expect_eq "\\du lists the roles" "$(psql_run '\du')" "floe|Superuser, Create role, Create DB, Bypass RLS|{}"
roles=$(psql "$connection" -X -c '\du' 2>&1)
expect_contains "\\du prints psql's title" "$roles" "List of roles"
expect_contains "\\du prints the role row" "$roles" " floe      | Superuser, Create role, Create DB, Bypass RLS | {}"
sized=$(psql_run "INSERT INTO public.orders VALUES (1, 9.99)" && psql_run '\dt+')
expect_contains "\\dt+ follows the table's data files" "$sized" "public|orders|table|floe|permanent|heap|"
if [[ "$sized" == *"|0 bytes|"* ]]; then
  fail "\\dt+ counts the data files an INSERT wrote: got [$sized]"
else
  pass "\\dt+ counts the data files an INSERT wrote"
fi

# Arrays over the wire: text format, and the reg* casts psql's queries use.
expect_eq "arrays print in PostgreSQL's text format" \
  "$(psql_run "SELECT ARRAY['a b', NULL, 'c'], ARRAY[[1, 2], [3, 4]], (ARRAY[10, 20, 30])[2:3]")" \
  '{"a b",NULL,c}|{{1,2},{3,4}}|{20,30}'
expect_eq "regclass names a relation" \
  "$(psql_run "SELECT 'sales.items'::regclass::oid = c.oid, c.oid::regclass FROM pg_class c WHERE c.relname = 'items'")" \
  "t|sales.items"

# The aligned output a person sees.
listing=$(psql "$connection" -X -c '\dv' 2>&1)
expect_contains "\\dv prints psql's title" "$listing" "List of relations"
expect_contains "\\dv prints the view row" "$listing" " public | answer | view | floe"

# A view dropped is gone from the next listing.
psql_run 'DROP VIEW public.answer' >/dev/null
expect_eq "\\dv follows DROP VIEW" "$(psql_run '\dv')" "Did not find any relations."

# What drivers ask on connect.
expect_eq "version() names the PostgreSQL release server_version announces" \
  "$(psql_run 'SELECT version()' | cut -d' ' -f1-3)" "PostgreSQL 15.0 (Floe"
expect_eq "server_version agrees" "$(psql_run 'SHOW server_version')" "15.0"
expect_eq "information_schema.columns describes a view" \
  "$(psql_run "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position")" \
  "id:bigint
name:character varying
price:numeric"

# Last, as it puts a user in the store, which changes how the server authenticates.
expect_eq "CREATE USER adds a role" "$(psql_run "CREATE USER alice WITH SUPERUSER PASSWORD 'secret-password'")" "CREATE ROLE"
expect_eq "pg_roles lists the user store's users" \
  "$(psql_run 'SELECT rolname, rolsuper FROM pg_roles ORDER BY 1')" "alice|t
floe|t"

finish
