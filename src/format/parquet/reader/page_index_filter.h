#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "format/parquet/metadata.h"
#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/reader/column_reader.h"
#include "format/parquet/schema.h"

/// Page pruning with the page index (PageIndex.md): which rows of a row group may match a
/// predicate, and which pages of a column hold those rows.
namespace floe::format::parquet {

/// Rows [begin, end) of a row group.
struct RowRange {
  int64_t begin = 0;
  int64_t end = 0;
  friend bool operator==(const RowRange&, const RowRange&) = default;
};

/// Sorted, disjoint, non-empty ranges.
using RowRanges = std::vector<RowRange>;

/// Returns the rows in both `left` and `right`.
RowRanges IntersectRowRanges(const RowRanges& left, const RowRanges& right);

/// Returns the number of rows the ranges hold.
int64_t CountRows(const RowRanges& ranges);

/// Returns true when `index` can locate rows of a row group of `num_rows` rows: at least one
/// page, the first at row 0, first rows strictly increasing and below `num_rows`, sizes
/// positive.
bool IsUsableOffsetIndex(const OffsetIndex& index, int64_t num_rows);

/// Returns the rows of the pages whose ColumnIndex entry (bounds, null_pages, null_counts) may
/// hold a row satisfying `predicate`, or nullopt when the column index does not describe the
/// pages of `offset_index` (which must be usable). Every page is evaluated, so a wrong
/// boundary_order can never drop a matching row.
std::optional<RowRanges> MatchingRows(const ColumnPredicate& predicate,
                                      const ColumnDescriptor& column,
                                      const ColumnIndex& column_index,
                                      const OffsetIndex& offset_index, int64_t num_rows);

/// Returns the pages of `offset_index` (usable) holding at least one row of `ranges`.
std::vector<PlannedPage> PagesOverlapping(const OffsetIndex& offset_index, int64_t num_rows,
                                          const RowRanges& ranges);

}  // namespace floe::format::parquet
