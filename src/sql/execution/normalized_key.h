#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"
#include "vector/vector.h"

namespace floe::sql::execution {

/// How one column orders in a normalized key.
struct NormalizedKeyColumn {
  types::LogicalType type;
  bool is_descending = false;
  bool nulls_first = false;
};

/// Turns sort keys into normalized keys: one fixed-width byte string per row whose memcmp order
/// is the requested order. Per column: a NULL marker byte placed by NULLS FIRST/LAST, then the
/// value big-endian with the sign bit flipped (integers, dates, timestamps, decimals), IEEE
/// floats mapped to ordered integers (NaN above every number, -0 equal to 0, as PostgreSQL
/// orders them), intervals by their length with 30-day months, UUIDs bytewise, strings by a
/// 16-byte zero-padded prefix; value bytes inverted for DESC. Only string prefixes can tie where
/// the values differ, so Compare settles such a tie by the full strings before it looks at the
/// keys after them. Nested types are
/// NotSupported. Immutable after Make; thread-safe.
class NormalizedKeyEncoder {
 public:
  static Result<NormalizedKeyEncoder> Make(std::vector<NormalizedKeyColumn> columns);
  NormalizedKeyEncoder() = default;

  /// Bytes per row.
  int64_t width() const { return width_; }
  const std::vector<NormalizedKeyColumn>& columns() const { return columns_; }

  /// Writes the keys of rows [begin, end) of `columns` (one per key, any encoding) to
  /// `out + row * width()`.
  void Encode(std::span<const vector::Vector> columns, int64_t begin, int64_t end,
              uint8_t* out) const;

  /// Orders rows `a` and `b` given their keys (`keys` as written by Encode) and the key
  /// columns: negative, zero or positive.
  int Compare(const uint8_t* keys, std::span<const vector::Vector> columns, uint32_t a,
              uint32_t b) const;
  bool has_strings() const { return !string_columns_.empty(); }

 private:
  std::vector<NormalizedKeyColumn> columns_;
  std::vector<int> value_widths_;
  std::vector<size_t> key_offsets_;  // Where each column's marker byte starts in a key.
  std::vector<size_t> string_columns_;
  int64_t width_ = 0;
};

}  // namespace floe::sql::execution
