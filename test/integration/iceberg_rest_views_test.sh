#!/usr/bin/env bash
# Views in the Iceberg REST catalog of `floe server`, driven with curl: create, list, load,
# exists, replace, rename and drop, the spec's errors, and the interplay with SQL through the
# SQL API (views made over REST are queried by SQL; views made by SQL load over REST).
# Usage: iceberg_rest_views_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=$(realpath "${1:?usage: iceberg_rest_views_test.sh FLOE_BINARY}")

start_floe_server "$floe" "$scratch/lake" || { fail "floe server starts"; finish; }
base="http://127.0.0.1:$SERVER_HTTP_PORT"

status_of() { curl -s -o "$scratch/body" -w '%{http_code}' "$@"; }
body() { cat "$scratch/body"; }
sql() {
  curl -s -X POST "$base/api/v1/sql" -H 'Content-Type: application/json' \
    -d "$(jq -cn --arg sql "$1" '{sql: $sql}')"
}
json_field() { jq -c "$1" "$scratch/body"; }

curl -s -X POST "$base/v1/namespaces" -d '{"namespace": ["sales"]}' >/dev/null
curl -s -X POST "$base/v1/namespaces" -d '{"namespace": ["archive"]}' >/dev/null
sql "CREATE TABLE sales.orders (id bigint, amount double precision)" >/dev/null
sql "INSERT INTO sales.orders VALUES (1, 50), (2, 150), (3, 250)" >/dev/null

schema='{"type": "struct", "schema-id": 0, "fields": [
  {"id": 1, "name": "id", "type": "long", "required": false},
  {"id": 2, "name": "amount", "type": "double", "required": false}]}'
version() { # version SQL DIALECT...: a view-version with the SQL in each dialect
  local text=$1
  shift
  local representations=""
  for dialect in "$@"; do
    representations+="${representations:+,}{\"type\": \"sql\", \"sql\": \"$text\", \"dialect\": \"$dialect\"}"
  done
  echo "{\"version-id\": 1, \"timestamp-ms\": 1700000000000, \"schema-id\": 0,
    \"summary\": {\"engine-name\": \"test\"}, \"representations\": [$representations],
    \"default-namespace\": [\"sales\"]}"
}

# --- create, load, list, exists ---------------------------------------------------------------
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"big_orders\",
  \"schema\": $schema, \"properties\": {\"comment\": \"orders above 100\"},
  \"view-version\": $(version 'SELECT id, amount FROM sales.orders WHERE amount > 100' spark floe)}")
expect_eq "create a view" "$code" "200"
location=$(json_field '."metadata-location"' | tr -d '"')
case "$location" in
  "$scratch/lake/sales/big_orders/metadata/00001-"*.metadata.json) pass "the metadata file is under the view's location" ;;
  *) fail "the metadata file is under the view's location: $location" ;;
esac
if [ -f "$location" ]; then pass "the metadata file exists"; else fail "the metadata file exists"; fi
expect_eq "the file is view metadata" "$(jq -c '[."format-version", ."current-version-id", (.versions | length)]' "$location")" "[1,1,1]"
uuid=$(json_field '.metadata."view-uuid"' | tr -d '"')
expect_eq "create answers the properties" "$(json_field '.metadata.properties.comment')" '"orders above 100"'

code=$(status_of "$base/v1/namespaces/sales/views/big_orders")
expect_eq "load a view" "$code" "200"
expect_eq "load answers the same uuid" "$(json_field '.metadata."view-uuid"' | tr -d '"')" "$uuid"
expect_eq "load answers both dialects" \
  "$(json_field '[.metadata.versions[0].representations[].dialect]')" '["spark","floe"]'
expect_eq "load answers the schema" "$(json_field '[.metadata.schemas[0].fields[].name]')" '["id","amount"]'

expect_eq "an existing view is 204" "$(status_of -I "$base/v1/namespaces/sales/views/big_orders")" "204"
expect_eq "a missing view is 404" "$(status_of -I "$base/v1/namespaces/sales/views/nothing")" "404"

status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"spark_only\",
  \"schema\": $schema, \"view-version\": $(version 'SELECT id, amount FROM orders' spark)}" >/dev/null
expect_eq "list views" "$(status_of "$base/v1/namespaces/sales/views")" "200"
expect_eq "the list names both views" "$(json_field '[.identifiers[].name]')" '["big_orders","spark_only"]'
status_of "$base/v1/namespaces/sales/views?pageSize=1" >/dev/null
expect_eq "a page of one" "$(json_field '[.identifiers[].name]')" '["big_orders"]'
token=$(json_field '."next-page-token"' | tr -d '"')
status_of "$base/v1/namespaces/sales/views?pageSize=1&pageToken=$token" >/dev/null
expect_eq "the next page" "$(json_field '[.identifiers[].name]')" '["spark_only"]'
status_of "$base/v1/namespaces/sales/tables" >/dev/null
expect_eq "views are not listed as tables" "$(json_field '[.identifiers[].name]')" '["orders"]'
status_of "$base/v1/config" >/dev/null
expect_contains "config advertises the view endpoints" "$(body)" '"POST /v1/{prefix}/views/rename"'

# --- SQL queries views made over REST ---------------------------------------------------------
result=$(sql "SELECT id, amount FROM sales.big_orders ORDER BY id")
expect_contains "SQL expands the floe representation" "$result" '"rows":[[2,150],[3,250]]'
expect_eq "psql reads the view made over REST" \
  "$(psql -h 127.0.0.1 -p "$SERVER_PG_PORT" -U floe -d floe -XAtc 'SELECT id FROM sales.big_orders ORDER BY id' 2>&1)" \
  "$(printf '2\n3')"
result=$(sql "SELECT * FROM sales.spark_only")
expect_contains "a view without floe or postgresql SQL is 0A000" "$result" '0A000'
expect_contains "the error names the dialects it has" "$result" 'postgresql (spark)'

# --- replace ---------------------------------------------------------------------------------
code=$(status_of -X POST "$base/v1/namespaces/sales/views/big_orders" -d "{
  \"requirements\": [{\"type\": \"assert-view-uuid\", \"uuid\": \"$uuid\"}],
  \"updates\": [
    {\"action\": \"add-schema\", \"schema\": {\"type\": \"struct\", \"schema-id\": 5, \"fields\": [
      {\"id\": 1, \"name\": \"order_id\", \"type\": \"long\", \"required\": false}]}},
    {\"action\": \"add-view-version\", \"view-version\": {\"version-id\": 0, \"timestamp-ms\": 0,
      \"schema-id\": -1, \"summary\": {}, \"default-namespace\": [\"sales\"],
      \"representations\": [{\"type\": \"sql\", \"sql\": \"SELECT id FROM sales.orders WHERE amount > 200\", \"dialect\": \"postgresql\"}]}},
    {\"action\": \"set-current-view-version\", \"view-version-id\": -1},
    {\"action\": \"set-properties\", \"updates\": {\"owner\": \"ada\"}},
    {\"action\": \"remove-properties\", \"removals\": [\"comment\"]}]}")
expect_eq "replace a view" "$code" "200"
expect_eq "the new version is current" "$(json_field '.metadata."current-version-id"')" "2"
expect_eq "the new schema got the next id" "$(json_field '.metadata.versions[1]."schema-id"')" "1"
expect_eq "the version log grew" "$(json_field '[.metadata."version-log"[]."version-id"]')" "[1,2]"
expect_eq "properties changed" "$(json_field '.metadata.properties')" '{"owner":"ada"}'
new_location=$(json_field '."metadata-location"' | tr -d '"')
case "$new_location" in
  */metadata/00002-*.metadata.json) pass "replace writes the next metadata file" ;;
  *) fail "replace writes the next metadata file: $new_location" ;;
esac
result=$(sql "SELECT * FROM sales.big_orders")
expect_contains "SQL sees the replaced view with its schema's names" "$result" '"columns":[{"name":"order_id"'
expect_contains "SQL expands the postgresql representation" "$result" '"rows":[[3]]'
code=$(status_of -X POST "$base/v1/namespaces/sales/views/big_orders" \
  -d '{"requirements": [{"type": "assert-view-uuid", "uuid": "00000000-0000-0000-0000-000000000000"}], "updates": []}')
expect_eq "a wrong uuid is 409" "$code" "409"
expect_contains "a wrong uuid is a CommitFailedException" "$(body)" "CommitFailedException"
code=$(status_of -X POST "$base/v1/namespaces/sales/views/big_orders" \
  -d '{"requirements": [], "updates": [{"action": "set-current-view-version", "view-version-id": 9}]}')
expect_eq "a missing version is 400" "$code" "400"
code=$(status_of -X POST "$base/v1/namespaces/sales/views/big_orders" \
  -d '{"requirements": [], "updates": [{"action": "remove-schemas", "schema-ids": [0]}]}')
expect_eq "an unsupported update is 406" "$code" "406"
code=$(status_of -X POST "$base/v1/namespaces/sales/views/big_orders" \
  -d '{"requirements": [], "updates": [{"action": "set-location", "location": "/etc"}]}')
expect_eq "a location outside the warehouse is 403" "$code" "403"
code=$(status_of -X POST "$base/v1/namespaces/sales/views/nothing" -d '{"requirements": [], "updates": []}')
expect_eq "replacing a missing view is 404" "$code" "404"
expect_contains "a missing view is NoSuchViewException" "$(body)" "NoSuchViewException"

# --- errors ------------------------------------------------------------------------------------
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"big_orders\",
  \"schema\": $schema, \"view-version\": $(version 'SELECT 1' floe)}")
expect_eq "a second view of the name is 409" "$code" "409"
expect_contains "it is an AlreadyExistsException" "$(body)" "AlreadyExistsException"
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"orders\",
  \"schema\": $schema, \"view-version\": $(version 'SELECT 1' floe)}")
expect_eq "a view named as a table is 409" "$code" "409"
expect_contains "it is an AlreadyExistsException too" "$(body)" "AlreadyExistsException"
code=$(status_of -X POST "$base/v1/namespaces/nothing/views" -d "{\"name\": \"v\",
  \"schema\": $schema, \"view-version\": $(version 'SELECT 1' floe)}")
expect_eq "a view in a missing namespace is 404" "$code" "404"
expect_contains "it is a NoSuchNamespaceException" "$(body)" "NoSuchNamespaceException"
expect_eq "loading in a missing namespace is 404" "$(status_of "$base/v1/namespaces/nothing/views/v")" "404"
expect_contains "the namespace is what is missing" "$(body)" "NoSuchNamespaceException"
expect_eq "loading a missing view is 404" "$(status_of "$base/v1/namespaces/sales/views/nothing")" "404"
expect_contains "loading a missing view is NoSuchViewException" "$(body)" "NoSuchViewException"
expect_eq "a table is not a view" "$(status_of "$base/v1/namespaces/sales/views/orders")" "404"
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d '{"name": "v", "schema": ')
expect_eq "malformed JSON is 400" "$code" "400"
expect_contains "malformed JSON is a BadRequestException" "$(body)" "BadRequestException"
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"v\", \"schema\": $schema}")
expect_eq "a create without view-version is 400" "$code" "400"
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"v\", \"schema\": $schema,
  \"view-version\": {\"version-id\": 1, \"timestamp-ms\": 1, \"schema-id\": 0, \"summary\": {},
  \"default-namespace\": [], \"representations\": [{\"type\": \"sql\", \"sql\": \"SELECT 1\"}]}}")
expect_eq "a representation without dialect is 400" "$code" "400"
expect_contains "the error names the field" "$(body)" "dialect"
code=$(status_of -X POST "$base/v1/namespaces/sales/views" -d "{\"name\": \"v\", \"schema\": $schema,
  \"view-version\": $(version 'SELECT 1' floe FLOE)}")
expect_eq "two representations in one dialect are 400" "$code" "400"
expect_eq "nothing was created by failed requests" "$(status_of -I "$base/v1/namespaces/sales/views/v")" "404"
expect_eq "a namespace holding views is not dropped" "$(status_of -X DELETE "$base/v1/namespaces/sales")" "409"

# --- rename and drop ---------------------------------------------------------------------------
code=$(status_of -X POST "$base/v1/views/rename" -d '{"source": {"namespace": ["sales"], "name": "spark_only"},
  "destination": {"namespace": ["archive"], "name": "old_orders"}}')
expect_eq "rename a view across namespaces" "$code" "204"
expect_eq "the old name is gone" "$(status_of -I "$base/v1/namespaces/sales/views/spark_only")" "404"
expect_eq "the new name loads" "$(status_of "$base/v1/namespaces/archive/views/old_orders")" "200"
code=$(status_of -X POST "$base/v1/views/rename" -d '{"source": {"namespace": ["sales"], "name": "nothing"},
  "destination": {"namespace": ["archive"], "name": "x"}}')
expect_eq "renaming a missing view is 404" "$code" "404"
expect_contains "renaming a missing view is NoSuchViewException" "$(body)" "NoSuchViewException"
code=$(status_of -X POST "$base/v1/views/rename" -d '{"source": {"namespace": ["archive"], "name": "old_orders"},
  "destination": {"namespace": ["sales"], "name": "orders"}}')
expect_eq "renaming onto a table is 409" "$code" "409"
code=$(status_of -X POST "$base/v1/views/rename" -d '{"source": {"namespace": ["archive"], "name": "old_orders"},
  "destination": {"namespace": ["nothing"], "name": "x"}}')
expect_eq "renaming into a missing namespace is 404" "$code" "404"
expect_contains "the missing namespace is named" "$(body)" "NoSuchNamespaceException"
expect_eq "drop a view" "$(status_of -X DELETE "$base/v1/namespaces/archive/views/old_orders")" "204"
expect_eq "a dropped view is gone" "$(status_of -I "$base/v1/namespaces/archive/views/old_orders")" "404"
expect_eq "dropping it again is 404" "$(status_of -X DELETE "$base/v1/namespaces/archive/views/old_orders")" "404"
expect_contains "dropping a missing view is NoSuchViewException" "$(body)" "NoSuchViewException"

# --- REST loads views made by SQL --------------------------------------------------------------
sql "CREATE VIEW sales.cheap (order_id, price) AS SELECT id, amount FROM sales.orders WHERE amount < 100" >/dev/null
expect_eq "a SQL view loads over REST" "$(status_of "$base/v1/namespaces/sales/views/cheap")" "200"
expect_eq "it has no metadata file yet" "$(json_field '."metadata-location"')" '""'
expect_eq "its SQL is in dialect floe" \
  "$(json_field '.metadata.versions[0].representations | map([.type, .sql, .dialect])')" \
  '[["sql","SELECT id, amount FROM sales.orders WHERE amount < 100","floe"]]'
expect_eq "its schema is the query's result" "$(json_field '[.metadata.schemas[0].fields[] | [.name, .type]]')" \
  '[["order_id","long"],["price","double"]]'
expect_eq "its default namespace is its own" "$(json_field '.metadata.versions[0]."default-namespace"')" '["sales"]'
sql_uuid=$(json_field '.metadata."view-uuid"' | tr -d '"')
status_of "$base/v1/namespaces/sales/views/cheap" >/dev/null
expect_eq "its uuid is stable" "$(json_field '.metadata."view-uuid"' | tr -d '"')" "$sql_uuid"
status_of "$base/v1/namespaces/sales/views" >/dev/null
expect_contains "the list has the SQL view" "$(json_field '[.identifiers[].name]')" '"cheap"'
expect_eq "it exists" "$(status_of -I "$base/v1/namespaces/sales/views/cheap")" "204"
code=$(status_of -X POST "$base/v1/namespaces/sales/views/cheap" -d "{
  \"requirements\": [{\"type\": \"assert-view-uuid\", \"uuid\": \"$sql_uuid\"}],
  \"updates\": [{\"action\": \"set-properties\", \"updates\": {\"reviewed\": \"yes\"}}]}")
expect_eq "replace a SQL view over REST" "$code" "200"
case "$(json_field '."metadata-location"')" in
  *"/sales/cheap/metadata/00001-"*) pass "its first metadata file is written" ;;
  *) fail "its first metadata file is written: $(json_field '."metadata-location"')" ;;
esac
result=$(sql "SELECT * FROM sales.cheap")
expect_contains "SQL still reads it, with its column names" "$result" \
  '"columns":[{"name":"order_id","type":"bigint"},{"name":"price","type":"double precision"}]'
expect_contains "SQL reads its rows" "$result" '"rows":[[1,50]]'

finish
