#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/value.h"

namespace floe::table {

/// What a data file holds (spec: data_file field 134 "content").
enum class FileContent : int32_t {
  kData = 0,
  kPositionDeletes = 1,
  kEqualityDeletes = 2,
};

/// Returns "data", "position_deletes" or "equality_deletes".
std::string_view FileContentName(FileContent content);

/// Per-column statistics keyed by field id, in the order they were written.
using ColumnCounts = std::vector<std::pair<int32_t, int64_t>>;
/// Per-column bounds keyed by field id, each in the single-value serialization of Appendix D.
using ColumnBounds = std::vector<std::pair<int32_t, std::string>>;

/// One data or delete file as a manifest describes it (spec: "Manifests", the data_file struct).
///
/// Empty maps and lists are written as null and null ones read as empty: Iceberg gives the two
/// the same meaning (no statistics). `partition` holds one value per field of the partition
/// spec the manifest was written with, NULL values typed.
struct DataFile {
  FileContent content = FileContent::kData;
  std::string file_path;
  /// The format name as written; Iceberg writers use "PARQUET", "AVRO", "ORC" or "PUFFIN".
  std::string file_format = "PARQUET";
  std::vector<types::Value> partition;
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  ColumnCounts column_sizes;
  ColumnCounts value_counts;
  ColumnCounts null_value_counts;
  ColumnCounts nan_value_counts;
  ColumnBounds lower_bounds;
  ColumnBounds upper_bounds;
  std::optional<std::string> key_metadata;
  std::vector<int64_t> split_offsets;
  std::vector<int32_t> equality_ids;
  std::optional<int32_t> sort_order_id;
  // Fields added by v2 (referenced_data_file) and v3, read and kept; written in v2 only when set.
  std::optional<std::string> referenced_data_file;
  std::optional<int64_t> first_row_id;
  std::optional<int64_t> content_offset;
  std::optional<int64_t> content_size_in_bytes;

  friend bool operator==(const DataFile&, const DataFile&) = default;
};

}  // namespace floe::table
