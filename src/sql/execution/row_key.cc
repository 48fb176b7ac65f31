#include "sql/execution/row_key.h"

#include <cmath>

#include "types/value.h"
#include "vector/batch.h"
#include "vector/selection_vector.h"

namespace floe::sql::execution {

using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

namespace {
template <int kWidth>
struct RawValue {
  uint8_t bytes[kWidth];
};

// Appends one fixed-width value given as raw bytes.
Status AppendRaw(VectorBuilder& builder, const uint8_t* value, int width) {
  switch (width) {
    case 2:
      return builder.Append(*reinterpret_cast<const RawValue<2>*>(value));
    case 4:
      return builder.Append(*reinterpret_cast<const RawValue<4>*>(value));
    case 8:
      return builder.Append(*reinterpret_cast<const RawValue<8>*>(value));
    case 16:
      return builder.Append(*reinterpret_cast<const RawValue<16>*>(value));
    default:
      return Status::Internal("unexpected value width {}", width);
  }
}

inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ULL;
  x ^= x >> 32;
  return x;
}
}  // namespace

uint64_t HashKeyBytes(const uint8_t* data, size_t size) {
  uint64_t hash = 0x9e3779b97f4a7c15ULL ^ (size * 0xff51afd7ed558ccdULL);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    hash = (hash ^ Mix64(word)) * 0x9fb21c651e98df25ULL;
  }
  if (i < size) {
    uint64_t word = 0;
    std::memcpy(&word, data + i, size - i);
    hash = (hash ^ Mix64(word ^ (static_cast<uint64_t>(size - i) << 56))) * 0x9fb21c651e98df25ULL;
  }
  return Mix64(hash);
}

Result<RowKeyEncoder> RowKeyEncoder::Make(std::vector<LogicalType> types) {
  RowKeyEncoder encoder;
  encoder.fixed_width_ = 0;
  for (const LogicalType& type : types) {
    if (type.IsNested()) {
      return Status::NotSupported("{} cannot be used as a grouping, join or DISTINCT key yet",
                                  type.ToString());
    }
    int width = type.id() == TypeId::kBoolean ? 1 : type.PhysicalWidth();
    if (type.IsString()) {
      width = -1;
    } else if (type.id() == TypeId::kNull) {
      width = 0;
    }
    encoder.widths_.push_back(width);
    if (width < 0) {
      encoder.fixed_width_ = -1;
    } else if (encoder.fixed_width_ >= 0) {
      encoder.fixed_width_ += 1 + width;
    }
  }
  encoder.types_ = std::move(types);
  return encoder;
}

namespace {
// Writes a flat fixed-width column's part of every row key: the common case, with the width
// known at compile time so the copy is one load and store.
template <int kWidth>
void EncodeFlatFixed(const Vector& column, int64_t rows, uint8_t* bytes, uint32_t* cursor,
                     uint8_t* any_null) {
  const uint8_t* values = column.values_buffer()->data() + column.offset() * kWidth;
  const uint8_t* validity = column.MayHaveNulls() ? column.validity_bits() : nullptr;
  const int64_t offset = column.offset();
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* out = bytes + cursor[r];
    const bool is_null = validity != nullptr && !vector::GetBit(validity, offset + r);
    out[0] = is_null ? 1 : 0;
    if (is_null) {
      std::memset(out + 1, 0, kWidth);
      if (any_null != nullptr) {
        any_null[r] = 1;
      }
    } else {
      std::memcpy(out + 1, values + r * kWidth, kWidth);
    }
    cursor[r] += 1 + kWidth;
  }
}

// Writes one column's part of every row key at `cursor[r]`, advancing the cursors.
void EncodeColumn(const Vector& column, const LogicalType& type, int width, int64_t rows,
                  uint8_t* bytes, uint32_t* cursor, uint8_t* any_null) {
  const bool is_plain_fixed = width > 0 && column.is_flat() && type.id() != TypeId::kBoolean &&
                              type.id() != TypeId::kDouble && type.id() != TypeId::kReal;
  if (is_plain_fixed) {
    switch (width) {
      case 2:
        return EncodeFlatFixed<2>(column, rows, bytes, cursor, any_null);
      case 4:
        return EncodeFlatFixed<4>(column, rows, bytes, cursor, any_null);
      case 8:
        return EncodeFlatFixed<8>(column, rows, bytes, cursor, any_null);
      case 16:
        return EncodeFlatFixed<16>(column, rows, bytes, cursor, any_null);
      default:
        break;
    }
  }
  const bool may_have_nulls = column.MayHaveNulls();
  for (int64_t r = 0; r < rows; ++r) {
    uint8_t* out = bytes + cursor[r];
    bool is_null = may_have_nulls && column.IsNull(r);
    *out++ = is_null ? 1 : 0;
    if (any_null != nullptr && is_null) {
      any_null[r] = 1;
    }
    if (width < 0) {
      uint32_t length = 0;
      if (!is_null) {
        std::string_view text = column.GetString(r);
        length = static_cast<uint32_t>(text.size());
        if (length > 0) {  // An empty string's data may be null, which memcpy must not see.
          std::memcpy(out + 4, text.data(), text.size());
        }
      }
      std::memcpy(out, &length, 4);
      cursor[r] += 5 + length;
      continue;
    }
    if (is_null) {
      std::memset(out, 0, static_cast<size_t>(width));
    } else if (type.id() == TypeId::kBoolean) {
      *out = column.GetBool(r) ? 1 : 0;
    } else if (type.id() == TypeId::kDouble) {
      double value = column.Get<double>(r);
      value = std::isnan(value) ? std::nan("") : (value == 0.0 ? 0.0 : value);
      std::memcpy(out, &value, 8);
    } else if (type.id() == TypeId::kReal) {
      float value = column.Get<float>(r);
      value = std::isnan(value) ? std::nanf("") : (value == 0.0f ? 0.0f : value);
      std::memcpy(out, &value, 4);
    } else if (width > 0) {
      const Vector& source = column.ValueSource();
      const uint8_t* values =
          source.values_buffer()->data() + (source.offset() + column.ValueIndex(r)) * width;
      std::memcpy(out, values, static_cast<size_t>(width));
    }
    cursor[r] += 1 + static_cast<uint32_t>(width);
  }
}
}  // namespace

void RowKeyEncoder::Encode(std::span<const Vector> columns, int64_t rows,
                           std::vector<uint8_t>& bytes, std::vector<uint32_t>& offsets,
                           std::vector<uint8_t>* any_null) const {
  offsets.resize(static_cast<size_t>(rows) + 1);
  if (any_null != nullptr) {
    any_null->assign(static_cast<size_t>(rows), 0);
  }
  if (fixed_width_ >= 0) {
    for (int64_t r = 0; r <= rows; ++r) {
      offsets[static_cast<size_t>(r)] = static_cast<uint32_t>(r * fixed_width_);
    }
  } else {
    // Sizes first, so every row's key is contiguous.
    std::vector<uint32_t> sizes(static_cast<size_t>(rows), 0);
    for (size_t c = 0; c < columns.size(); ++c) {
      for (int64_t r = 0; r < rows; ++r) {
        uint32_t size = 1;
        if (widths_[c] >= 0) {
          size += static_cast<uint32_t>(widths_[c]);
        } else {
          size += 4;
          if (!columns[c].IsNull(r)) {
            size += static_cast<uint32_t>(columns[c].GetString(r).size());
          }
        }
        sizes[static_cast<size_t>(r)] += size;
      }
    }
    offsets[0] = 0;
    for (int64_t r = 0; r < rows; ++r) {
      offsets[static_cast<size_t>(r) + 1] =
          offsets[static_cast<size_t>(r)] + sizes[static_cast<size_t>(r)];
    }
  }
  bytes.resize(offsets[static_cast<size_t>(rows)]);
  std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (size_t c = 0; c < columns.size(); ++c) {
    EncodeColumn(columns[c], types_[c], widths_[c], rows, bytes.data(), cursor.data(),
                 any_null != nullptr ? any_null->data() : nullptr);
  }
}

Status RowKeyEncoder::Decode(const uint8_t* key, std::span<VectorBuilder> builders) const {
  for (size_t c = 0; c < types_.size(); ++c) {
    bool is_null = *key++ != 0;
    const int width = widths_[c];
    VectorBuilder& builder = builders[c];
    if (width < 0) {
      uint32_t length;
      std::memcpy(&length, key, 4);
      if (is_null) {
        FLOE_RETURN_NOT_OK(builder.AppendNull());
      } else {
        FLOE_RETURN_NOT_OK(
            builder.AppendString(std::string_view(reinterpret_cast<const char*>(key + 4), length)));
      }
      key += 4 + length;
      continue;
    }
    if (is_null) {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
    } else if (types_[c].id() == TypeId::kBoolean) {
      FLOE_RETURN_NOT_OK(builder.AppendBool(*key != 0));
    } else if (width > 0) {
      FLOE_RETURN_NOT_OK(AppendRaw(builder, key, width));
    } else {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
    }
    key += width;
  }
  return Status::OK();
}

namespace {
template <int kWidth>
Status AppendFixed(VectorBuilder& builder, const Vector& source, const uint32_t* rows,
                   int64_t first, int64_t count) {
  const Vector& values_source = source.ValueSource();
  const uint8_t* values = values_source.values_buffer()->data() + values_source.offset() * kWidth;
  FLOE_RETURN_NOT_OK(builder.Reserve(count));
  const bool may_have_nulls = source.MayHaveNulls();
  const bool is_flat = source.is_flat();
  for (int64_t i = 0; i < count; ++i) {
    int64_t row = rows != nullptr ? rows[i] : first + i;
    if (rows != nullptr && rows[i] == vector::SelectionVector::kNullRow) {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
      continue;
    }
    if (may_have_nulls && source.IsNull(row)) {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
      continue;
    }
    int64_t index = is_flat ? row : source.ValueIndex(row);
    FLOE_RETURN_NOT_OK(
        builder.Append(*reinterpret_cast<const RawValue<kWidth>*>(values + index * kWidth)));
  }
  return Status::OK();
}
}  // namespace

Status AppendRows(VectorBuilder& builder, const Vector& source, const uint32_t* rows, int64_t first,
                  int64_t count) {
  const LogicalType& type = source.type();
  switch (type.IsString() || type.IsNested() || type.id() == TypeId::kBoolean ||
                  type.id() == TypeId::kNull
              ? 0
              : type.PhysicalWidth()) {
    case 2:
      return AppendFixed<2>(builder, source, rows, first, count);
    case 4:
      return AppendFixed<4>(builder, source, rows, first, count);
    case 8:
      return AppendFixed<8>(builder, source, rows, first, count);
    case 16:
      return AppendFixed<16>(builder, source, rows, first, count);
    default:
      break;
  }
  FLOE_RETURN_NOT_OK(builder.Reserve(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t row = rows != nullptr ? rows[i] : first + i;
    if ((rows != nullptr && rows[i] == vector::SelectionVector::kNullRow) || source.IsNull(row)) {
      FLOE_RETURN_NOT_OK(builder.AppendNull());
    } else if (type.IsString()) {
      FLOE_RETURN_NOT_OK(builder.AppendString(source.GetString(row)));
    } else if (type.id() == TypeId::kBoolean) {
      FLOE_RETURN_NOT_OK(builder.AppendBool(source.GetBool(row)));
    } else {
      FLOE_ASSIGN_OR_RETURN(types::Value value, source.GetValue(row));
      FLOE_RETURN_NOT_OK(builder.AppendValue(value));
    }
  }
  return Status::OK();
}

Result<vector::Batch> ConcatenateBatches(const std::shared_ptr<const vector::Schema>& schema,
                                         std::span<const vector::Batch> batches,
                                         MemoryTracker* tracker) {
  if (batches.size() == 1) {
    return batches[0];
  }
  int64_t total = 0;
  for (const auto& batch : batches) {
    total += batch.num_rows();
  }
  std::vector<Vector> columns;
  for (int64_t c = 0; c < schema->num_fields(); ++c) {
    VectorBuilder builder(schema->field(c).type, tracker);
    FLOE_RETURN_NOT_OK(builder.Reserve(total));
    for (const auto& batch : batches) {
      FLOE_RETURN_NOT_OK(AppendRows(builder, batch.column(c), nullptr, 0, batch.num_rows()));
    }
    FLOE_ASSIGN_OR_RETURN(Vector column, builder.Finish());
    columns.push_back(std::move(column));
  }
  return vector::Batch::Make(schema, std::move(columns), total);
}

}  // namespace floe::sql::execution
