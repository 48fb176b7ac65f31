#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "table/partition_spec.h"
#include "table/schema.h"
#include "table/sort_order.h"
#include "table/table_metadata.h"

namespace floe::table {

/// What a new table is made of. The schema's field ids, the spec's source ids and the sort
/// order's source ids refer to each other as given; the table gets fresh ids.
struct NewTableOptions {
  Schema schema = {};
  PartitionSpec spec = PartitionSpec::Unpartitioned();
  SortOrder sort_order = SortOrder::Unsorted();
  /// The table folder, "<warehouse>/<namespace levels>/<table>" in a catalog.
  std::string location = {};
  std::map<std::string, std::string> properties = {};
  int format_version = 2;
};

/// Returns the metadata of a new table (spec: "Table Metadata"): a fresh table uuid, the schema
/// with field ids assigned from 1 (top-level fields first, then nested ones, as Iceberg does)
/// as schema 0, the spec as spec 0 with partition field ids from 1000, the sort order as order
/// 1 (or the unsorted order 0), no snapshot. Errors: InvalidArgument when the spec or the sort
/// order does not fit the schema, or the format version is not 1, 2 or 3; NotSupported for v3.
Result<TableMetadata> MakeNewTableMetadata(const NewTableOptions& options);

}  // namespace floe::table
