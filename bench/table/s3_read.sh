#!/usr/bin/env bash
# Reads of one Iceberg table on S3-compatible object storage against the same table on the local
# file system, cold and warm (docs/benchmarks.md, "Tables"): makes TPC-H lineitem as an Iceberg
# table in a local warehouse and in a bucket of s3rver (the S3-compatible server the integration
# tests use, started on loopback), then times queries over both with bench/table/s3_read.py.
# Prints one JSON object per storage, query and phase; bench/table/run.sh collects them.
#
# Usage: bench/table/s3_read.sh [FLOE_BINARY]   (default build/release/floe)
# Environment:
#   TABLE_BENCH_SF       scale factor of lineitem (1: 6 million rows, about 135 MB)
#   TABLE_BENCH_RUNS     fresh processes per storage and query (3)
#   TABLE_BENCH_REPEATS  warm runs per process and phase (3)
source "$(dirname "$0")/../../test/integration/lib.sh"
repository=$(cd "$(dirname "$0")/../.." && pwd)
floe=$(realpath "${1:-$repository/build/release/floe}")
scale_factor=${TABLE_BENCH_SF:-1}

# start_object_store BUCKET: starts s3rver as start_s3rver does, but logging one line per
# request, which the measurement counts. Sets S3_ENDPOINT, STORE_PID and STORE_LOG.
start_object_store() {
  local script="$repository/node_modules/s3rver/bin/s3rver.js" port
  if [ ! -f "$script" ]; then
    echo "s3_read: s3rver is not installed (scripts/install-deps installs it)" >&2
    return 1
  fi
  port=$(free_port)
  mkdir -p "$scratch/s3rver"
  STORE_LOG="$scratch/s3rver.log"
  # --openssl-legacy-provider: s3rver's ListObjectsV2 tokens use DES (see lib.sh).
  node --openssl-legacy-provider "$script" -d "$scratch/s3rver" -p "$port" -a 127.0.0.1 \
    --configure-bucket "$1" >"$STORE_LOG" 2>&1 &
  STORE_PID=$!
  on_exit "kill $STORE_PID"
  wait_for_port "$port" 30 || { cat "$STORE_LOG" >&2; return 1; }
  S3_ENDPOINT="http://127.0.0.1:$port"
}

start_object_store bench || exit 1
export FLOE_S3_ENDPOINT="$S3_ENDPOINT" FLOE_S3_REGION=us-east-1
export FLOE_S3_ACCESS_KEY_ID=S3RVER FLOE_S3_SECRET_ACCESS_KEY=S3RVER
s3_warehouse=s3://bench/warehouse
s3_metastore="sqlite:$scratch/s3-metastore.db"

echo "== table reads: generating TPC-H SF$scale_factor lineitem, locally and on s3rver" >&2
"$floe" tpch generate --sf "$scale_factor" --format iceberg --tables lineitem \
  --out "$scratch/local" >&2 2>/dev/null || { echo "s3_read: local generation failed" >&2; exit 1; }
FLOE_WAREHOUSE=$s3_warehouse FLOE_METASTORE=$s3_metastore \
  "$floe" tpch generate --sf "$scale_factor" --format iceberg --tables lineitem >&2 2>/dev/null ||
  { echo "s3_read: generation on s3rver failed" >&2; exit 1; }
table_bytes=$(find "$scratch/local" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')

# One column read whole; TPC-H Q1 (seven columns, a filter keeping 98% of the rows, a grouped
# aggregate); 0.5% of the order keys, from the middle of their range (about SF x 6,000,000,
# docs/tpch.md), which the data file's page index narrows down to a few pages.
low=$(awk -v sf="$scale_factor" 'BEGIN {printf "%d", sf * 3000000}')
high=$(awk -v sf="$scale_factor" 'BEGIN {printf "%d", sf * 3030000}')
python3 "$repository/bench/table/s3_read.py" --floe "$floe" \
  --local-warehouse "$scratch/local" --s3-warehouse "$s3_warehouse" \
  --s3-metastore "$s3_metastore" --cache-directory "$scratch/read-cache" \
  --store-pid "$STORE_PID" --store-log "$STORE_LOG" \
  --runs "${TABLE_BENCH_RUNS:-3}" --repeats "${TABLE_BENCH_REPEATS:-3}" \
  --scale-factor "$scale_factor" --table-bytes "$table_bytes" \
  --query sum_extendedprice "SELECT sum(l_extendedprice), count(*) FROM lineitem" \
  --query q01 "$(cat "$repository/test/data/tpch/queries/q01.sql")" \
  --query orderkey_range \
  "SELECT count(*), sum(l_quantity) FROM lineitem WHERE l_orderkey BETWEEN $low AND $high"
