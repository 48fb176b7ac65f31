#pragma once

#include <cstdint>

#include "common/result.h"
#include "sql/binder/catalog_accessor.h"
#include "sql/parser/ast.h"
#include "types/value.h"

namespace floe::sql::binder {

/// Resolves `FOR VERSION AS OF value` (a snapshot id, or a branch or tag name) or
/// `FOR TIMESTAMP AS OF value` (the snapshot current at that time) on the Iceberg table
/// `relation`, and replaces its columns, field ids and row count with those of the snapshot:
/// time travel reads with the schema the snapshot was written with (spec: "Snapshots").
/// On a metadata table that shows one snapshot (`relation.rows_at_snapshot`), computes its
/// rows at the selected snapshot of the table it describes instead. Returns the snapshot id.
/// Errors: NotSupported (0A000) when `relation` is neither an Iceberg table nor such a metadata
/// table; InvalidArgument (22023) naming the table for a snapshot, ref or time that selects no
/// snapshot, or a value of the wrong type; errors from computing the metadata table's rows.
Result<int64_t> ApplyTimeTravel(parser::TimeTravelKind kind, const types::Value& value,
                                RelationInfo& relation);

}  // namespace floe::sql::binder
