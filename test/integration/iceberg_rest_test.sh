#!/usr/bin/env bash
# The Iceberg REST catalog of `floe server` driven by an independent client (the npm package
# iceberg-js), curl for error cases, and the SQL API to check that tables created over REST
# are the tables SQL sees. Usage: iceberg_rest_test.sh FLOE_BINARY
source "$(dirname "$0")/lib.sh"

floe=$(realpath "${1:?usage: iceberg_rest_test.sh FLOE_BINARY}")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -d "$root/node_modules/iceberg-js" ]; then
  fail "iceberg-js is not installed (scripts/install-deps installs it)"
  finish
fi

# start_server NAME [ENV=VALUE...]: starts `floe server` on free ports with its own warehouse;
# sets <NAME>_HTTP to the HTTP port.
start_server() {
  local name=$1
  shift
  local pg_port http_port log="$scratch/$name.log"
  pg_port=$(free_port)
  http_port=$(free_port)
  env "$@" "$floe" --warehouse "$scratch/$name" --metastore "sqlite:$scratch/$name/floe.db" \
    --listen 127.0.0.1 --pg-port "$pg_port" --http-port "$http_port" server >"$log" 2>&1 &
  local pid=$!
  disown "$pid"
  on_exit "kill -9 $pid"
  if ! wait_for_port "$http_port" 60; then
    echo "floe server $name did not start:" >&2
    cat "$log" >&2
    return 1
  fi
  printf -v "${name}_HTTP" '%s' "$http_port"
}

start_server open || exit 1
base="http://127.0.0.1:$open_HTTP"

# --- iceberg-js: the catalog's life cycle ----------------------------------------------------
client_output=$(cd "$root" && node - "$base" 2>&1 <<'EOF'
const { IcebergRestCatalog } = require('iceberg-js');
const catalog = new IcebergRestCatalog({ baseUrl: process.argv[2], auth: { type: 'none' } });
const say = (line) => console.log(line);
(async () => {
  await catalog.createNamespace({ namespace: ['sales'] }, { properties: { owner: 'ada' } });
  await catalog.createNamespace({ namespace: ['sales', 'eu'] });
  say('namespaces ' + JSON.stringify((await catalog.listNamespaces()).namespaces));
  const children = await catalog.listNamespaces({ parent: { namespace: ['sales'] } });
  say('children ' + JSON.stringify(children.namespaces));
  say('namespace exists ' + await catalog.namespaceExists({ namespace: ['sales', 'eu'] }));
  say('owner ' + (await catalog.loadNamespaceMetadata({ namespace: ['sales'] })).properties.owner);
  const updated = await catalog.updateNamespaceProperties({ namespace: ['sales'] },
      { updates: { tier: 'gold' }, removals: ['owner', 'missing'] });
  say('properties updated ' + updated.updated + ' removed ' + updated.removed + ' missing ' +
      updated.missing);
  const created = await catalog.createTable({ namespace: ['sales'] }, {
    name: 'orders',
    schema: { type: 'struct', fields: [
      { id: 1, name: 'id', type: 'long', required: true },
      { id: 2, name: 'customer', type: 'string', required: false }] },
    'partition-spec': { fields: [{ 'source-id': 1, name: 'id_bucket', transform: 'bucket[4]' }] },
    properties: { 'write.format.default': 'parquet' },
  });
  say('created format ' + created['format-version'] + ' fields ' +
      created.schemas[0].fields.map((f) => f.name).join(','));
  const loaded = await catalog.loadTable({ namespace: ['sales'], name: 'orders' });
  say('loaded uuid matches ' + (loaded['table-uuid'] === created['table-uuid']));
  const tables = (await catalog.listTables({ namespace: ['sales'] })).identifiers;
  say('tables ' + tables.map((t) => t.namespace.join('.') + '.' + t.name).join(','));
  const committed = await catalog.commitTable({ namespace: ['sales'], name: 'orders' }, {
    requirements: [{ type: 'assert-current-schema-id', 'current-schema-id': 0 }],
    updates: [
      { action: 'add-schema', schema: { type: 'struct', fields: [
        ...loaded.schemas[0].fields,
        { id: 3, name: 'amount', type: 'double', required: false }] } },
      { action: 'set-current-schema', 'schema-id': -1 },
      { action: 'set-properties', updates: { comment: 'orders by id' } },
    ],
  });
  say('committed schema ' + committed.metadata['current-schema-id'] + ' comment ' +
      committed.metadata.properties.comment);
  try {
    await catalog.commitTable({ namespace: ['sales'], name: 'orders' }, {
      requirements: [{ type: 'assert-current-schema-id', 'current-schema-id': 0 }],
      updates: [{ action: 'remove-properties', removals: ['comment'] }],
    });
    say('stale commit succeeded');
  } catch (error) {
    say('stale commit ' + error.status + ' ' + error.icebergType);
  }
  await catalog.renameTable({ source: { namespace: ['sales'], name: 'orders' },
                              destination: { namespace: ['sales', 'eu'], name: 'orders_eu' } });
  say('renamed ' + await catalog.tableExists({ namespace: ['sales', 'eu'], name: 'orders_eu' }) +
      ' ' + await catalog.tableExists({ namespace: ['sales'], name: 'orders' }));
  await catalog.createTable({ namespace: ['sales'], }, {
    name: 'scratch', schema: { type: 'struct', fields: [{ id: 1, name: 'x', type: 'int', required: false }] } });
  await catalog.dropTable({ namespace: ['sales'], name: 'scratch' }, { purge: true });
  say('dropped ' + !(await catalog.tableExists({ namespace: ['sales'], name: 'scratch' })));
  try {
    await catalog.dropNamespace({ namespace: ['sales'] });
    say('dropped a namespace that is not empty');
  } catch (error) {
    say('drop non-empty ' + error.status + ' ' + error.icebergType);
  }
  try {
    await catalog.loadTable({ namespace: ['nothing'], name: 't' });
  } catch (error) {
    say('missing ' + error.status + ' ' + error.icebergType);
  }
})().catch((error) => { console.log('client error: ' + error.message); process.exit(1); });
EOF
)
echo "$client_output" | sed 's/^/  client: /'
expect_contains "iceberg-js lists top-level namespaces" "$client_output" 'namespaces [{"namespace":["public"]},{"namespace":["sales"]}]'
expect_contains "iceberg-js lists child namespaces" "$client_output" 'children [{"namespace":["sales","eu"]}]'
expect_contains "iceberg-js sees a nested namespace" "$client_output" "namespace exists true"
expect_contains "iceberg-js reads namespace properties" "$client_output" "owner ada"
expect_contains "namespace properties update reports updated, removed and missing" "$client_output" \
  'properties updated tier removed owner missing missing'
expect_contains "iceberg-js creates a table" "$client_output" "created format 2 fields id,customer"
expect_contains "iceberg-js loads the table" "$client_output" "loaded uuid matches true"
expect_contains "iceberg-js lists tables" "$client_output" 'tables sales.orders'
expect_contains "iceberg-js commits a schema change and properties" "$client_output" \
  "committed schema 1 comment orders by id"
expect_contains "a stale requirement is a CommitFailedException" "$client_output" \
  "stale commit 409 CommitFailedException"
expect_contains "iceberg-js renames across namespaces" "$client_output" "renamed true false"
expect_contains "iceberg-js drops with purge" "$client_output" "dropped true"
expect_contains "a namespace that is not empty is not dropped" "$client_output" \
  "drop non-empty 409 NamespaceNotEmptyException"
expect_contains "a missing namespace is NoSuchNamespaceException" "$client_output" \
  "missing 404 NoSuchNamespaceException"
if [[ "$client_output" == *"client error"* ]]; then fail "iceberg-js ran without errors"; fi

# --- SQL sees the tables REST created ---------------------------------------------------------
sql=$(curl -s -X POST "$base/api/v1/sql" -H 'Content-Type: application/json' \
  -d '{"sql": "SELECT * FROM sales.eu.orders_eu"}')
expect_contains "SQL reads the table created over REST" "$sql" '"row_count":0'
expect_contains "SQL sees the committed schema" "$sql" \
  '"columns":[{"name":"id","type":"bigint"},{"name":"customer","type":"text"},{"name":"amount","type":"double precision"}]'

# --- curl: errors in the spec's ErrorModel --------------------------------------------------
status_of() { curl -s -o "$scratch/body" -w '%{http_code}' "$@"; }

# --- Staged create: a create transaction (CREATE TABLE AS SELECT) -----------------------------
code=$(status_of -X POST "$base/v1/namespaces/sales/tables" -d '{"name": "ctas", "stage-create": true,
  "schema": {"type": "struct", "fields": [{"id": 1, "name": "n", "type": "int", "required": false}]},
  "properties": {"owner": "ada"}}')
staged=$(cat "$scratch/body")
expect_eq "a staged create answers 200" "$code" "200"
expect_eq "a staged create has no metadata location" "$(jq -r '."metadata-location"' <<<"$staged")" "null"
expect_eq "a staged create answers the table's metadata"   "$(jq -r '.metadata | "\(.location) \(."format-version") \(.properties.owner) \(.schemas[0].fields[0].name)"' <<<"$staged")" \
  "$scratch/open/sales/ctas 2 ada n"
expect_eq "a staged table is not listed"   "$(curl -s "$base/v1/namespaces/sales/tables" | jq -c '[.identifiers[].name | select(. == "ctas")]')" "[]"
expect_eq "a staged table does not exist" "$(status_of -I "$base/v1/namespaces/sales/tables/ctas")" "404"
expect_contains "SQL does not see a staged table" "$(curl -s -X POST "$base/api/v1/sql" \
  -H 'Content-Type: application/json' -d '{"sql": "SELECT * FROM sales.ctas"}')" "does not exist"
create_commit=$(jq -c '.metadata as $m | {
  identifier: {namespace: ["sales"], name: "ctas"},
  requirements: [{type: "assert-create"}],
  updates: [
    {action: "assign-uuid", uuid: $m."table-uuid"},
    {action: "upgrade-format-version", "format-version": $m."format-version"},
    {action: "add-schema", schema: $m.schemas[0], "last-column-id": $m."last-column-id"},
    {action: "set-current-schema", "schema-id": -1},
    {action: "add-spec", spec: $m."partition-specs"[0]},
    {action: "set-default-spec", "spec-id": -1},
    {action: "add-sort-order", "sort-order": $m."sort-orders"[0]},
    {action: "set-default-sort-order", "sort-order-id": -1},
    {action: "set-location", location: $m.location},
    {action: "set-properties", updates: $m.properties}]}' <<<"$staged")
code=$(status_of -X POST "$base/v1/namespaces/sales/tables/ctas" -d "$create_commit")
expect_eq "an assert-create commit creates the staged table" "$code" "200"
expect_eq "the created table keeps the staged uuid" "$(jq -r '.metadata."table-uuid"' "$scratch/body")" \
  "$(jq -r '.metadata."table-uuid"' <<<"$staged")"
expect_contains "SQL sees the table the commit created" "$(curl -s -X POST "$base/api/v1/sql" \
  -H 'Content-Type: application/json' -d '{"sql": "SELECT * FROM sales.ctas"}')" \
  '"columns":[{"name":"n","type":"integer"}]'
code=$(status_of -X POST "$base/v1/namespaces/sales/tables/ctas" -d "$create_commit")
expect_eq "a second assert-create commit is 409" "$code" "409"
expect_contains "a second assert-create commit is a CommitFailedException" "$(cat "$scratch/body")" \
  '"type":"CommitFailedException"'
code=$(status_of -X POST "$base/v1/namespaces/sales/tables/never" \
  -d "$(jq -c '.requirements = [] | .identifier.name = "never"' <<<"$create_commit")")
expect_eq "a commit without assert-create to a missing table is 404" "$code" "404"
expect_contains "... a NoSuchTableException" "$(cat "$scratch/body")" '"type":"NoSuchTableException"'
code=$(status_of "$base/v1/namespaces/nothing")
expect_eq "an unknown namespace is 404" "$code" "404"
expect_contains "the 404 body is an ErrorModel" "$(cat "$scratch/body")" \
  '"type":"NoSuchNamespaceException"'
expect_contains "the ErrorModel carries the code" "$(cat "$scratch/body")" '"code":404'
code=$(status_of -X POST "$base/v1/namespaces" -d '{"namespace": ["a"')
expect_eq "malformed JSON is 400" "$code" "400"
expect_contains "malformed JSON is a BadRequestException" "$(cat "$scratch/body")" "BadRequestException"
code=$(status_of -X POST "$base/v1/namespaces/sales%1Feu/tables/orders_eu" \
  -d '{"requirements": [{"type": "assert-last-assigned-field-id", "last-assigned-field-id": 1}], "updates": []}')
expect_eq "a stale requirement is 409" "$code" "409"
expect_contains "a stale requirement is a CommitFailedException" "$(cat "$scratch/body")" \
  "CommitFailedException"
code=$(status_of -X POST "$base/v1/transactions/commit" -d '{"table-changes": [
  {"identifier": {"namespace": ["sales", "eu"], "name": "orders_eu"}, "requirements": [],
   "updates": [{"action": "set-properties", "updates": {"batch": "7"}}]}]}')
expect_eq "a transaction commits" "$code" "204"
expect_contains "the transaction's change is visible" \
  "$(curl -s "$base/v1/namespaces/sales%1Feu/tables/orders_eu")" '"batch":"7"'
code=$(status_of -X POST "$base/v1/namespaces/sales/tables" \
  -d '{"name": "evil", "schema": {"type": "struct", "fields": []}, "location": "/etc/evil"}')
expect_eq "a table location outside the warehouse is refused" "$code" "403"
code=$(status_of "$base/v1/namespaces/..%2F..%2Fetc/tables/passwd")
expect_eq "a hostile path is a plain 404" "$code" "404"
head -c 17000000 /dev/zero | tr '\0' 'a' >"$scratch/huge"
code=$(status_of -X POST "$base/v1/namespaces" --data-binary @"$scratch/huge")
expect_eq "a huge body is refused" "$code" "413"
expect_eq "the server keeps serving" "$(status_of "$base/v1/config")" "200"

# --- OAuth2 client credentials when users exist -----------------------------------------------
start_server locked FLOE_ADMIN_USER=admin FLOE_ADMIN_PASSWORD=hunter2 || exit 1
locked="http://127.0.0.1:$locked_HTTP"
expect_eq "without a token, 401" "$(status_of "$locked/v1/config")" "401"
expect_contains "401 is NotAuthorizedException" "$(cat "$scratch/body")" "NotAuthorizedException"
expect_eq "a wrong secret gets no token" "$(status_of -X POST "$locked/v1/oauth/tokens" \
  -d grant_type=client_credentials -d client_id=admin -d client_secret=wrong)" "401"
token=$(curl -s -X POST "$locked/v1/oauth/tokens" -d grant_type=client_credentials \
  -d client_id=admin -d client_secret=hunter2 -d scope=catalog |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
if [ -n "$token" ]; then pass "client credentials get a token"; else fail "client credentials get a token"; fi
token_output=$(cd "$root" && node - "$locked" "$token" 2>&1 <<'EOF'
const { IcebergRestCatalog } = require('iceberg-js');
const catalog = new IcebergRestCatalog({
  baseUrl: process.argv[2], auth: { type: 'bearer', token: process.argv[3] } });
(async () => {
  await catalog.createNamespace({ namespace: ['secure'] });
  console.log('listed ' + JSON.stringify((await catalog.listNamespaces()).namespaces));
})().catch((error) => console.log('client error: ' + error.message));
EOF
)
expect_contains "iceberg-js works with a bearer token" "$token_output" 'listed [{"namespace":["public"]},{"namespace":["secure"]}]'
expect_eq "a forged token is refused" \
  "$(status_of -H "Authorization: Bearer x${token}" "$locked/v1/config")" "401"

# --- OAuth2 token exchange: refreshing a token ------------------------------------------------
access_type=urn:ietf:params:oauth:token-type:access_token
exchange() { # exchange SUBJECT_TOKEN: asks for a fresh token; the answer goes to $scratch/body.
  status_of -X POST "$locked/v1/oauth/tokens" -H "Authorization: Bearer $1" \
    --data-urlencode grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
    --data-urlencode "subject_token=$1" --data-urlencode "subject_token_type=$access_type"
}
expect_eq "a valid token is exchanged" "$(exchange "$token")" "200"
expect_eq "the exchange answers an access token" \
  "$(jq -r '"\(.token_type) \(.issued_token_type) \(.expires_in)"' "$scratch/body")" \
  "bearer $access_type 3600"
refreshed=$(jq -r .access_token "$scratch/body")
expect_eq "the refreshed token works" \
  "$(status_of -H "Authorization: Bearer $refreshed" "$locked/v1/namespaces")" "200"
expect_eq "a garbage subject token is refused" "$(exchange garbage)" "400"
expect_eq "... with OAuth's invalid_request" "$(jq -r .error "$scratch/body")" "invalid_request"
sql_as_admin() {
  curl -s -u admin:hunter2 -X POST "$locked/api/v1/sql" -H 'Content-Type: application/json' \
    -d "{\"sql\": \"$1\"}"
}
sql_as_admin "CREATE USER bob WITH PASSWORD 'builder'" >/dev/null
bob_token=$(curl -s -X POST "$locked/v1/oauth/tokens" -d grant_type=client_credentials \
  -d client_id=bob -d client_secret=builder | jq -r .access_token)
expect_eq "bob's token is exchanged while bob exists" "$(exchange "$bob_token")" "200"
sql_as_admin "DROP USER bob" >/dev/null
expect_eq "a dropped user's token is not exchanged" "$(exchange "$bob_token")" "400"
expect_contains "... and the answer says why" "$(jq -r .error_description "$scratch/body")" \
  "no longer exists"

finish
