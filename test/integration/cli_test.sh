#!/usr/bin/env bash
# The floe binary as a user meets it: version, help, configuration precedence and bad input.
# Usage: cli_test.sh PATH_TO_FLOE
source "$(dirname "$0")/lib.sh"
floe=$1
cd "$scratch"

version=$("$floe" --version)
expect_contains "--version names the program" "$version" "floe 0."
[[ "$version" =~ ^floe\ [0-9]+\.[0-9]+\.[0-9]+\ \(.+\)$ ]] && pass "--version format" ||
  fail "--version format: $version"

help=$("$floe" --help)
expect_contains "--help lists the config subcommand" "$help" "config"
expect_contains "--help lists every setting with its variable" "$help" "--pg-port VALUE"
expect_contains "--help names the environment variable" "$help" "[FLOE_PG_PORT]"

defaults=$("$floe" config)
expect_contains "default warehouse" "$defaults" 'warehouse = "./warehouse"  # default'
expect_contains "default pg port" "$defaults" 'pg_port = 5433  # default'

cat >floe.toml <<'TOML'
[server]
pg_port = 6000
http_port = 6001
listen = "0.0.0.0"
TOML
layered=$(FLOE_HTTP_PORT=7001 FLOE_LISTEN=10.0.0.1 "$floe" --listen 127.0.0.2 config)
expect_contains "file beats default" "$layered" 'pg_port = 6000  # file'
expect_contains "environment beats file" "$layered" 'http_port = 7001  # environment'
expect_contains "flag beats environment" "$layered" 'listen = "127.0.0.2"  # flag'

cat >other.toml <<'TOML'
log.level = "debug"
TOML
explicit=$(FLOE_CONFIG=other.toml "$floe" config)
expect_contains "FLOE_CONFIG selects the file" "$explicit" 'level = "debug"  # file'
flagged=$("$floe" --config other.toml config)
expect_contains "--config selects the file" "$flagged" 'level = "debug"  # file'

error=$("$floe" --pg-port 70000 config 2>&1)
expect_eq "out-of-range port exits 2" "$?" "2"
expect_eq "out-of-range port message" "$error" \
  "error: invalid pg_port from --pg-port: 70000 is outside 1..65535"

printf '[server\n' >broken.toml
error=$("$floe" --config broken.toml config 2>&1)
expect_eq "malformed file exits 2" "$?" "2"
expect_contains "malformed file names the line" "$error" "broken.toml, line 1"

printf 'colour = "blue"\n' >typo.toml
error=$("$floe" --config typo.toml config 2>&1)
expect_contains "unknown key is refused" "$error" 'unknown setting "colour"'

"$floe" no-such-command >/dev/null 2>&1
status=$?
[ "$status" -ne 0 ] && pass "unknown subcommand fails" || fail "unknown subcommand exit $status"

finish
