#include "format/parquet/reader/page_index_filter.h"

#include <algorithm>

namespace floe::format::parquet {
namespace {

// PageIndex.md: a page ends where the next begins; the last ends with the row group.
int64_t PageEnd(const OffsetIndex& index, size_t page, int64_t num_rows) {
  const std::vector<PageLocation>& pages = index.page_locations;
  return page + 1 < pages.size() ? pages[page + 1].first_row_index : num_rows;
}

// Appends [begin, end), merging it with the last range when they touch.
void AppendRange(RowRanges& ranges, int64_t begin, int64_t end) {
  if (!ranges.empty() && ranges.back().end == begin) {
    ranges.back().end = end;
    return;
  }
  ranges.push_back({begin, end});
}

ColumnStatistics PageStatistics(const ColumnDescriptor& column, const ColumnIndex& index,
                                size_t page, int64_t num_rows) {
  ColumnStatistics statistics;
  statistics.num_values = num_rows;
  if (index.null_pages[page]) {
    // A null page holds only NULLs; its bounds are empty and meaningless.
    statistics.null_count = num_rows;
    return statistics;
  }
  if (index.null_counts.has_value()) {
    statistics.null_count = (*index.null_counts)[page];
  }
  statistics.min = DecodeStatisticsValue(column, index.min_values[page]);
  statistics.max = DecodeStatisticsValue(column, index.max_values[page]);
  return statistics;
}

}  // namespace

RowRanges IntersectRowRanges(const RowRanges& left, const RowRanges& right) {
  RowRanges result;
  size_t i = 0;
  size_t j = 0;
  while (i < left.size() && j < right.size()) {
    int64_t begin = std::max(left[i].begin, right[j].begin);
    int64_t end = std::min(left[i].end, right[j].end);
    if (begin < end) {
      AppendRange(result, begin, end);
    }
    if (left[i].end < right[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return result;
}

int64_t CountRows(const RowRanges& ranges) {
  int64_t rows = 0;
  for (const RowRange& range : ranges) {
    rows += range.end - range.begin;
  }
  return rows;
}

bool IsUsableOffsetIndex(const OffsetIndex& index, int64_t num_rows) {
  const std::vector<PageLocation>& pages = index.page_locations;
  if (pages.empty() || pages[0].first_row_index != 0) {
    return false;
  }
  for (size_t i = 0; i < pages.size(); ++i) {
    if (pages[i].offset < 0 || pages[i].compressed_page_size <= 0 ||
        pages[i].first_row_index >= num_rows) {
      return false;
    }
    if (i > 0 && pages[i].first_row_index <= pages[i - 1].first_row_index) {
      return false;
    }
  }
  return true;
}

std::optional<RowRanges> MatchingRows(const ColumnPredicate& predicate,
                                      const ColumnDescriptor& column,
                                      const ColumnIndex& column_index,
                                      const OffsetIndex& offset_index, int64_t num_rows) {
  size_t num_pages = offset_index.page_locations.size();
  if (column_index.null_pages.size() != num_pages || column_index.min_values.size() != num_pages ||
      column_index.max_values.size() != num_pages ||
      (column_index.null_counts.has_value() && column_index.null_counts->size() != num_pages)) {
    return std::nullopt;
  }
  RowRanges ranges;
  for (size_t page = 0; page < num_pages; ++page) {
    int64_t begin = offset_index.page_locations[page].first_row_index;
    int64_t end = PageEnd(offset_index, page, num_rows);
    ColumnStatistics statistics = PageStatistics(column, column_index, page, end - begin);
    if (MayMatch(predicate, column.type, statistics)) {
      AppendRange(ranges, begin, end);
    }
  }
  return ranges;
}

std::vector<PlannedPage> PagesOverlapping(const OffsetIndex& offset_index, int64_t num_rows,
                                          const RowRanges& ranges) {
  std::vector<PlannedPage> pages;
  size_t range = 0;
  for (size_t page = 0; page < offset_index.page_locations.size(); ++page) {
    const PageLocation& location = offset_index.page_locations[page];
    int64_t begin = location.first_row_index;
    int64_t end = PageEnd(offset_index, page, num_rows);
    while (range < ranges.size() && ranges[range].end <= begin) {
      ++range;
    }
    if (range < ranges.size() && ranges[range].begin < end) {
      pages.push_back({location.offset, begin, end - begin, location.compressed_page_size});
    }
  }
  return pages;
}

}  // namespace floe::format::parquet
