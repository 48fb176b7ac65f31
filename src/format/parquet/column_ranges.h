#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "format/parquet/metadata.h"

namespace floe::format::parquet {

/// The smallest and largest value of a column stored as INT32 or INT64 (integers, dates,
/// decimals as unscaled integers, timestamps), over every row group of a file.
struct IntegerRange {
  int64_t min = 0;
  int64_t max = 0;
};

/// Returns one entry per top-level field of the file's schema, in order: the range that the
/// column chunks' statistics give for a flat INT32 or INT64 column, or nullopt for other
/// columns and when some chunk has no exact signed minimum and maximum. A file without rows
/// gives nullopt everywhere.
std::vector<std::optional<IntegerRange>> TopLevelIntegerRanges(const FileMetaData& metadata);

/// Returns the range covering both, or nullopt when either is unknown.
std::optional<IntegerRange> MergeRanges(const std::optional<IntegerRange>& a,
                                        const std::optional<IntegerRange>& b);

}  // namespace floe::format::parquet
