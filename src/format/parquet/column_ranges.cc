#include "format/parquet/column_ranges.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace floe::format::parquet {
namespace {

bool IsUnsigned(const SchemaElement& element) {
  if (element.converted_type.has_value()) {
    switch (*element.converted_type) {
      case ConvertedType::kUint8:
      case ConvertedType::kUint16:
      case ConvertedType::kUint32:
      case ConvertedType::kUint64:
        return true;
      default:
        break;
    }
  }
  return false;
}

// Plain encoding of INT32 and INT64: little-endian two's complement of the physical width.
std::optional<int64_t> DecodeInteger(PhysicalType type, const std::string& bytes) {
  if (type == PhysicalType::kInt32 && bytes.size() == 4) {
    int32_t value;
    std::memcpy(&value, bytes.data(), 4);
    return value;
  }
  if (type == PhysicalType::kInt64 && bytes.size() == 8) {
    int64_t value;
    std::memcpy(&value, bytes.data(), 8);
    return value;
  }
  return std::nullopt;
}

std::optional<IntegerRange> ChunkRange(const ColumnMetaData& column) {
  if (!column.statistics.has_value()) {
    return std::nullopt;
  }
  const Statistics& statistics = *column.statistics;
  // min_value/max_value follow the column order; the deprecated min/max compare signed, which
  // for integers is the same order.
  const std::optional<std::string>& min =
      statistics.min_value.has_value() ? statistics.min_value : statistics.min;
  const std::optional<std::string>& max =
      statistics.max_value.has_value() ? statistics.max_value : statistics.max;
  if (!min.has_value() || !max.has_value() || statistics.is_min_value_exact == false ||
      statistics.is_max_value_exact == false) {
    return std::nullopt;
  }
  std::optional<int64_t> low = DecodeInteger(column.type, *min);
  std::optional<int64_t> high = DecodeInteger(column.type, *max);
  if (!low.has_value() || !high.has_value() || *low > *high) {
    return std::nullopt;
  }
  return IntegerRange{*low, *high};
}

}  // namespace

std::optional<IntegerRange> MergeRanges(const std::optional<IntegerRange>& a,
                                        const std::optional<IntegerRange>& b) {
  if (!a.has_value() || !b.has_value()) {
    return std::nullopt;
  }
  return IntegerRange{std::min(a->min, b->min), std::max(a->max, b->max)};
}

std::vector<std::optional<IntegerRange>> TopLevelIntegerRanges(const FileMetaData& metadata) {
  // Walk the flattened schema: each top-level field is either one leaf (the next column chunk)
  // or a group whose leaves are skipped.
  std::vector<std::optional<IntegerRange>> ranges;
  std::vector<int64_t> leaf_of_field;  // -1 for nested fields and unsigned integers.
  if (metadata.schema.empty()) {
    return ranges;
  }
  const int32_t fields = metadata.schema[0].num_children.value_or(0);
  size_t element = 1;
  int64_t leaf = 0;
  for (int32_t field = 0; field < fields && element < metadata.schema.size(); ++field) {
    const SchemaElement& top = metadata.schema[element];
    if (!top.num_children.has_value() || *top.num_children == 0) {
      leaf_of_field.push_back(IsUnsigned(top) ? -1 : leaf);
      ++leaf;
      ++element;
      continue;
    }
    leaf_of_field.push_back(-1);
    // Skip the group's subtree, counting its leaves.
    int64_t pending = 1;
    while (pending > 0 && element < metadata.schema.size()) {
      const SchemaElement& node = metadata.schema[element++];
      --pending;
      if (node.num_children.has_value() && *node.num_children > 0) {
        pending += *node.num_children;
      } else {
        ++leaf;
      }
    }
  }
  ranges.resize(leaf_of_field.size());
  if (metadata.row_groups.empty()) {
    return ranges;
  }
  for (size_t field = 0; field < leaf_of_field.size(); ++field) {
    const int64_t column = leaf_of_field[field];
    if (column < 0) {
      continue;
    }
    std::optional<IntegerRange> range;
    for (size_t group = 0; group < metadata.row_groups.size(); ++group) {
      const RowGroup& row_group = metadata.row_groups[group];
      if (static_cast<size_t>(column) >= row_group.columns.size() ||
          !row_group.columns[static_cast<size_t>(column)].meta_data.has_value()) {
        range.reset();
        break;
      }
      std::optional<IntegerRange> chunk =
          ChunkRange(*row_group.columns[static_cast<size_t>(column)].meta_data);
      range = group == 0 ? chunk : MergeRanges(range, chunk);
      if (!range.has_value()) {
        break;
      }
    }
    ranges[field] = range;
  }
  return ranges;
}

}  // namespace floe::format::parquet
