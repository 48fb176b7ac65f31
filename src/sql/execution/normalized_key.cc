#include "sql/execution/normalized_key.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "types/int128.h"
#include "types/interval.h"
#include "types/uuid.h"

namespace floe::sql::execution {

using types::TypeId;
using vector::Vector;

namespace {
constexpr int kStringPrefix = 16;

// Bytes of a key's value in the normalized key (after its NULL marker byte); -1 when the type
// cannot be a sort key yet.
int NormalizedWidth(const types::LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return 0;
    case TypeId::kBoolean:
      return 1;
    case TypeId::kVarchar:
    case TypeId::kBytea:
      return kStringPrefix;
    case TypeId::kInterval:
      return 16;
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      return -1;
    default:
      return type.PhysicalWidth();
  }
}

void StoreBigEndian(uint64_t value, int bytes, uint8_t* out) {
  for (int i = 0; i < bytes; ++i) {
    out[i] = static_cast<uint8_t>(value >> (8 * (bytes - 1 - i)));
  }
}

void StoreSigned(int64_t value, int bytes, uint8_t* out) {
  uint64_t bits = static_cast<uint64_t>(value) ^ (uint64_t{1} << (8 * bytes - 1));
  StoreBigEndian(bits, bytes, out);
}

void StoreInt128(types::Int128 value, uint8_t* out) {
  auto bits = static_cast<unsigned __int128>(value) ^ (static_cast<unsigned __int128>(1) << 127);
  StoreBigEndian(static_cast<uint64_t>(bits >> 64), 8, out);
  StoreBigEndian(static_cast<uint64_t>(bits), 8, out + 8);
}

// IEEE bits ordered as numbers: negative values inverted, positive ones with the sign set.
// NaN sorts above every number and -0 equals 0, as in PostgreSQL.
void StoreDouble(double value, uint8_t* out) {
  if (std::isnan(value)) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else if (value == 0.0) {
    value = 0.0;
  }
  uint64_t bits;
  std::memcpy(&bits, &value, 8);
  bits = (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
  StoreBigEndian(bits, 8, out);
}

void StoreFloat(float value, uint8_t* out) {
  if (std::isnan(value)) {
    value = std::numeric_limits<float>::quiet_NaN();
  } else if (value == 0.0f) {
    value = 0.0f;
  }
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  bits = (bits >> 31) != 0 ? ~bits : bits | (uint32_t{1} << 31);
  StoreBigEndian(bits, 4, out);
}

void EncodeValue(const Vector& column, int64_t row, const types::LogicalType& type, int width,
                 uint8_t* out) {
  switch (type.id()) {
    case TypeId::kBoolean:
      out[0] = column.GetBool(row) ? 1 : 0;
      return;
    case TypeId::kSmallInt:
      StoreSigned(column.Get<int16_t>(row), 2, out);
      return;
    case TypeId::kInteger:
    case TypeId::kDate:
      StoreSigned(column.Get<int32_t>(row), 4, out);
      return;
    case TypeId::kBigInt:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      StoreSigned(column.Get<int64_t>(row), 8, out);
      return;
    case TypeId::kReal:
      StoreFloat(column.Get<float>(row), out);
      return;
    case TypeId::kDouble:
      StoreDouble(column.Get<double>(row), out);
      return;
    case TypeId::kDecimal:
      if (width == 8) {
        StoreSigned(column.Get<int64_t>(row), 8, out);
      } else {
        StoreInt128(column.Get<types::Int128>(row), out);
      }
      return;
    case TypeId::kInterval: {
      // PostgreSQL orders intervals by their length with 30-day months.
      auto interval = column.Get<types::Interval>(row);
      types::Int128 micros = (static_cast<types::Int128>(interval.months) * 30 + interval.days) *
                                 types::Int128{86'400'000'000} +
                             interval.micros;
      StoreInt128(micros, out);
      return;
    }
    case TypeId::kUuid: {
      auto uuid = column.Get<types::Uuid>(row);
      std::memcpy(out, uuid.bytes.data(), 16);
      return;
    }
    case TypeId::kVarchar:
    case TypeId::kBytea: {
      std::string_view text = column.GetString(row);
      size_t n = std::min<size_t>(text.size(), kStringPrefix);
      std::memcpy(out, text.data(), n);
      std::memset(out + n, 0, kStringPrefix - n);
      return;
    }
    default:
      return;
  }
}

}  // namespace

Result<NormalizedKeyEncoder> NormalizedKeyEncoder::Make(std::vector<NormalizedKeyColumn> columns) {
  NormalizedKeyEncoder encoder;
  for (size_t k = 0; k < columns.size(); ++k) {
    int width = NormalizedWidth(columns[k].type);
    if (width < 0) {
      return Status::NotSupported("ORDER BY a value of type {}", columns[k].type.ToString());
    }
    encoder.value_widths_.push_back(width);
    encoder.key_offsets_.push_back(static_cast<size_t>(encoder.width_));
    encoder.width_ += 1 + width;
    if (columns[k].type.IsString()) {
      encoder.string_columns_.push_back(k);
    }
  }
  encoder.columns_ = std::move(columns);
  return encoder;
}

void NormalizedKeyEncoder::Encode(std::span<const Vector> columns, int64_t begin, int64_t end,
                                  uint8_t* out) const {
  const size_t width = static_cast<size_t>(width_);
  size_t position = 0;
  for (size_t k = 0; k < columns_.size(); ++k) {
    const Vector& column = columns[k];
    const types::LogicalType& type = columns_[k].type;
    const int value_width = value_widths_[k];
    const bool nulls_first = columns_[k].nulls_first;
    const bool descending = columns_[k].is_descending;
    for (int64_t r = begin; r < end; ++r) {
      uint8_t* key = out + static_cast<size_t>(r) * width + position;
      if (column.IsNull(r)) {
        key[0] = nulls_first ? 0 : 2;
        std::memset(key + 1, 0, static_cast<size_t>(value_width));
        continue;
      }
      key[0] = 1;
      EncodeValue(column, r, type, value_width, key + 1);
      if (descending) {
        for (int i = 1; i <= value_width; ++i) {
          key[i] = static_cast<uint8_t>(~key[i]);
        }
      }
    }
    position += 1 + static_cast<size_t>(value_width);
  }
}

int NormalizedKeyEncoder::Compare(const uint8_t* keys, std::span<const Vector> columns, uint32_t a,
                                  uint32_t b) const {
  const size_t width = static_cast<size_t>(width_);
  const uint8_t* key_a = keys + a * width;
  const uint8_t* key_b = keys + b * width;
  if (string_columns_.empty()) {
    return width == 0 ? 0 : std::memcmp(key_a, key_b, width);
  }
  // Bytes after a string's prefix only count once the strings themselves tie: compare in one
  // memcmp up to the end of the first string's prefix, then key by key.
  const size_t first_string = string_columns_.front();
  const size_t prefix_end =
      key_offsets_[first_string] + 1 + static_cast<size_t>(value_widths_[first_string]);
  int c = std::memcmp(key_a, key_b, prefix_end);
  if (c != 0) {
    return c;
  }
  for (size_t k = first_string; k < columns_.size(); ++k) {
    const size_t begin = key_offsets_[k];
    const size_t length = 1 + static_cast<size_t>(value_widths_[k]);
    c = std::memcmp(key_a + begin, key_b + begin, length);
    if (c != 0) {
      return c;
    }
    if (!columns_[k].type.IsString() || columns[k].IsNull(a)) {
      continue;  // Equal bytes: equal values, or both NULL.
    }
    int order = columns[k].GetString(a).compare(columns[k].GetString(b));
    if (order != 0) {
      return columns_[k].is_descending ? -order : order;
    }
  }
  return 0;
}

}  // namespace floe::sql::execution
