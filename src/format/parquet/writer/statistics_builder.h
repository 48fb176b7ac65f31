#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "format/parquet/metadata.h"
#include "format/parquet/writer/page_builder.h"
#include "format/parquet/writer/value_traits.h"

namespace floe::format::parquet::internal {

/// Min, max and null count of the open page and of the whole chunk, plus the per-page entries
/// of the chunk's ColumnIndex. Min and max follow the column's sort order and skip NaN.
/// Not thread-safe.
template <typename T>
class StatisticsBuilder {
 public:
  /// `is_truncatable`: BYTE_ARRAY bounds in the ColumnIndex may be shortened (PageIndex.md).
  StatisticsBuilder(ValueOrder order, bool is_truncatable)
      : order_(order), is_truncatable_(is_truncatable) {}

  void Add(const T& value) {
    ++page_.num_values;
    if (IsNaN(value)) {
      return;
    }
    if (!page_.has_bounds) {
      page_.min = StoredValue<T>(value);
      page_.max = StoredValue<T>(value);
      page_.has_bounds = true;
      return;
    }
    if (IsLess(value, page_.min)) {
      page_.min = StoredValue<T>(value);
    } else if (IsLess(page_.max, value)) {
      page_.max = StoredValue<T>(value);
    }
  }
  void AddNull() { ++page_.null_count; }

  /// Closes the page: returns its statistics and keeps them for the chunk and its index.
  PageStatistics FinishPage() {
    PageStatistics result;
    result.null_count = page_.null_count;
    if (page_.has_bounds) {
      result.min_value = EncodeMin(page_.min);
      result.max_value = EncodeMax(page_.max);
    }
    Merge(page_, chunk_);
    pages_.push_back(std::move(page_));
    page_ = {};
    return result;
  }

  /// Returns the chunk's Statistics (min_value/max_value are absent when every value was NULL
  /// or NaN).
  Statistics ChunkStatistics() const {
    Statistics result;
    result.null_count = chunk_.null_count;
    if (chunk_.has_bounds) {
      result.min_value = EncodeMin(chunk_.min);
      result.max_value = EncodeMax(chunk_.max);
    }
    return result;
  }

  /// Returns the ColumnIndex of the chunk's pages, or nullopt when a page with values has no
  /// bounds (it held only NaN), which PageIndex.md cannot express.
  std::optional<ColumnIndex> ColumnIndexOfChunk() const;

  void ResetChunk() {
    chunk_ = {};
    pages_.clear();
  }

 private:
  struct Summary {
    int64_t num_values = 0;
    int64_t null_count = 0;
    bool has_bounds = false;
    StoredValue<T> min{};
    StoredValue<T> max{};
  };

  template <typename A, typename B>
  bool IsLess(const A& a, const B& b) const {
    if constexpr (std::is_same_v<T, std::string_view>) {
      return LessBytes(std::string_view(a), std::string_view(b), order_);
    } else {
      return a < b;
    }
  }

  void Merge(const Summary& from, Summary& into) const {
    into.num_values += from.num_values;
    into.null_count += from.null_count;
    if (!from.has_bounds) {
      return;
    }
    if (!into.has_bounds || Less(from.min, into.min, order_)) {
      into.min = from.min;
    }
    if (!into.has_bounds || Less(into.max, from.max, order_)) {
      into.max = from.max;
    }
    into.has_bounds = true;
  }

  // parquet.thrift, Statistics: a zero minimum is written as -0.0 and a zero maximum as +0.0,
  // so that readers comparing either zero against the bounds never skip a page wrongly.
  static std::string EncodeMin(const StoredValue<T>& value) {
    if constexpr (std::is_floating_point_v<T>) {
      if (value == 0) {
        return Encode(-T{0});
      }
    }
    return Encode(value);
  }
  static std::string EncodeMax(const StoredValue<T>& value) {
    if constexpr (std::is_floating_point_v<T>) {
      if (value == 0) {
        return Encode(T{0});
      }
    }
    return Encode(value);
  }
  static std::string Encode(const StoredValue<T>& value) {
    char scratch[8];
    return std::string(PlainBytes(value, scratch));
  }

  BoundaryOrder BoundaryOrderOfPages() const;

  ValueOrder order_;
  bool is_truncatable_;
  Summary page_;
  Summary chunk_;
  std::vector<Summary> pages_;
};

/// PageIndex.md leaves the length of ColumnIndex bounds to the writer: long binary values are
/// cut to this many bytes (the maximum rounded up so that it stays an upper bound).
inline constexpr size_t kColumnIndexTruncateBytes = 64;

/// Returns a prefix of `value` that is not greater than it.
inline std::string TruncatedMin(std::string value) {
  if (value.size() > kColumnIndexTruncateBytes) {
    value.resize(kColumnIndexTruncateBytes);
  }
  return value;
}

/// Returns a short value not less than `value`: a prefix whose last byte is incremented, or
/// `value` itself when every byte of the prefix is 0xFF.
inline std::string TruncatedMax(std::string value) {
  if (value.size() <= kColumnIndexTruncateBytes) {
    return value;
  }
  for (size_t length = kColumnIndexTruncateBytes; length > 0; --length) {
    auto byte = static_cast<uint8_t>(value[length - 1]);
    if (byte != 0xFF) {
      value.resize(length);
      value[length - 1] = static_cast<char>(byte + 1);
      return value;
    }
  }
  return value;
}

template <typename T>
BoundaryOrder StatisticsBuilder<T>::BoundaryOrderOfPages() const {
  bool is_ascending = true;
  bool is_descending = true;
  const Summary* previous = nullptr;
  for (const Summary& page : pages_) {
    if (!page.has_bounds) {
      continue;
    }
    if (previous != nullptr) {
      is_ascending = is_ascending && !Less(page.min, previous->min, order_) &&
                     !Less(page.max, previous->max, order_);
      is_descending = is_descending && !Less(previous->min, page.min, order_) &&
                      !Less(previous->max, page.max, order_);
    }
    previous = &page;
  }
  if (is_ascending) {
    return BoundaryOrder::kAscending;
  }
  return is_descending ? BoundaryOrder::kDescending : BoundaryOrder::kUnordered;
}

template <typename T>
std::optional<ColumnIndex> StatisticsBuilder<T>::ColumnIndexOfChunk() const {
  ColumnIndex index;
  std::vector<int64_t> null_counts;
  for (const Summary& page : pages_) {
    bool is_null_page = page.num_values == 0;
    if (!is_null_page && !page.has_bounds) {
      return std::nullopt;
    }
    index.null_pages.push_back(is_null_page);
    null_counts.push_back(page.null_count);
    // PageIndex.md: a null page stores empty bounds.
    std::string min = is_null_page ? std::string() : EncodeMin(page.min);
    std::string max = is_null_page ? std::string() : EncodeMax(page.max);
    if (is_truncatable_) {
      min = TruncatedMin(std::move(min));
      max = TruncatedMax(std::move(max));
    }
    index.min_values.push_back(std::move(min));
    index.max_values.push_back(std::move(max));
  }
  index.boundary_order = BoundaryOrderOfPages();
  index.null_counts = std::move(null_counts);
  return index;
}

}  // namespace floe::format::parquet::internal
