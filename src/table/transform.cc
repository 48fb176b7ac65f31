#include "table/transform.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

#include <fmt/core.h>

#include "table/value_internal.h"
#include "types/temporal.h"
#include "vector/vector_builder.h"

namespace floe::table {
namespace {

using types::TypeId;
using types::Value;

uint32_t RotateLeft(uint32_t value, int bits) {
  return (value << bits) | (value >> (32 - bits));
}

uint32_t MixKey(uint32_t key) {
  key *= 0xcc9e2d51U;
  key = RotateLeft(key, 15);
  return key * 0x1b873593U;
}

uint32_t FinalMix(uint32_t hash) {
  hash ^= hash >> 16;
  hash *= 0x85ebca6bU;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35U;
  return hash ^ (hash >> 16);
}

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

// Spec "Truncate Transform Details": v - (((v % W) + W) % W), which floors towards -infinity.
template <typename T>
T TruncateInteger(T value, T width) {
  return value - (((value % width) + width) % width);
}

// Truncates a UTF-8 string to `width` code points (spec: strings truncate by code points).
std::string TruncateUtf8(const std::string& text, int32_t width) {
  int32_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool is_lead_byte = (static_cast<uint8_t>(text[i]) & 0xc0) != 0x80;
    if (is_lead_byte && points++ == width) {
      return text.substr(0, i);
    }
  }
  return text;
}

bool IsTimestampKind(TypeKind kind) {
  return kind == TypeKind::kTimestamp || kind == TypeKind::kTimestampTz ||
         kind == TypeKind::kTimestampNs || kind == TypeKind::kTimestampTzNs;
}

bool IsBucketable(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
    case TypeKind::kLong:
    case TypeKind::kDecimal:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kString:
    case TypeKind::kUuid:
    case TypeKind::kFixed:
    case TypeKind::kBinary:
      return true;
    default:
      return IsTimestampKind(kind);
  }
}

bool IsTruncatable(TypeKind kind) {
  return kind == TypeKind::kInt || kind == TypeKind::kLong || kind == TypeKind::kDecimal ||
         kind == TypeKind::kString || kind == TypeKind::kBinary;
}

Result<int32_t> ParseParameter(std::string_view text, std::string_view whole) {
  int32_t parameter = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parameter);
  if (error != std::errc() || end != text.data() + text.size() || parameter <= 0) {
    return Status::InvalidArgument("invalid transform parameter in \"{}\"", whole);
  }
  return parameter;
}

/// Returns the time unit a temporal transform of `kind` counts in micros since the epoch:
/// years and months go through the calendar, days and hours are fixed lengths.
Result<int32_t> TemporalOrdinal(TransformKind kind, const Value& value) {
  int64_t micros = 0;
  if (value.type().id() == TypeId::kDate) {
    micros = int64_t{value.date_value()} * types::kMicrosPerDay;
  } else {
    FLOE_ASSIGN_OR_RETURN(micros, internal::IntegralOf(value));
  }
  int64_t days = FloorDivide(micros, types::kMicrosPerDay);
  types::CivilDate date = types::CivilFromDays(days);
  switch (kind) {
    case TransformKind::kYear:
      return static_cast<int32_t>(date.year - 1970);
    case TransformKind::kMonth:
      return static_cast<int32_t>((date.year - 1970) * 12 + (date.month - 1));
    case TransformKind::kDay:
      return static_cast<int32_t>(days);
    default:
      return static_cast<int32_t>(FloorDivide(micros, types::kMicrosPerHour));
  }
}

}  // namespace

int32_t Murmur3Hash32(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t length = bytes.size();
  uint32_t hash = 0;
  size_t blocks = length / 4;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t key = uint32_t{data[4 * i]} | (uint32_t{data[4 * i + 1]} << 8) |
                   (uint32_t{data[4 * i + 2]} << 16) | (uint32_t{data[4 * i + 3]} << 24);
    hash ^= MixKey(key);
    hash = RotateLeft(hash, 13) * 5 + 0xe6546b64U;
  }
  uint32_t tail = 0;
  for (size_t i = length & 3; i > 0; --i) {
    tail = (tail << 8) | data[blocks * 4 + i - 1];
  }
  if ((length & 3) != 0) {
    hash ^= MixKey(tail);
  }
  hash ^= static_cast<uint32_t>(length);
  return static_cast<int32_t>(FinalMix(hash));
}

Result<int32_t> HashValue(const Type& type, const Value& value) {
  if (value.is_null()) {
    return Status::InvalidArgument("cannot hash a NULL {}", type.ToString());
  }
  switch (type.kind()) {
    case TypeKind::kDecimal:
      return Murmur3Hash32(internal::MinimalBigEndian(value.decimal_value()));
    case TypeKind::kString:
    case TypeKind::kFixed:
    case TypeKind::kBinary:
      return Murmur3Hash32(value.string_value());
    case TypeKind::kUuid: {
      const auto& bytes = value.uuid_value().bytes;
      return Murmur3Hash32(std::string_view(reinterpret_cast<const char*>(bytes.data()), 16));
    }
    default:
      break;
  }
  if (!IsBucketable(type.kind())) {
    return Status::InvalidArgument("type {} cannot be hashed for bucketing", type.ToString());
  }
  // Appendix B: int, long, date, time and timestamps all hash as an 8-byte little-endian long.
  FLOE_ASSIGN_OR_RETURN(int64_t integral, internal::IntegralOf(value));
  return Murmur3Hash32(internal::EncodeLittleEndian(static_cast<uint64_t>(integral), 8));
}

Result<Transform> Transform::Bucket(int32_t num_buckets) {
  if (num_buckets <= 0) {
    return Status::InvalidArgument("number of buckets must be positive: {}", num_buckets);
  }
  return Transform(TransformKind::kBucket, num_buckets);
}

Result<Transform> Transform::Truncate(int32_t width) {
  if (width <= 0) {
    return Status::InvalidArgument("truncate width must be positive: {}", width);
  }
  return Transform(TransformKind::kTruncate, width);
}

Result<Transform> Transform::Parse(std::string_view text) {
  static constexpr std::pair<std::string_view, TransformKind> kSimple[] = {
      {"identity", TransformKind::kIdentity}, {"year", TransformKind::kYear},
      {"month", TransformKind::kMonth},       {"day", TransformKind::kDay},
      {"hour", TransformKind::kHour},         {"void", TransformKind::kVoid}};
  for (const auto& [name, kind] : kSimple) {
    if (text == name) {
      return Transform(kind, 0);
    }
  }
  for (auto [prefix, kind] : {std::pair{std::string_view("bucket["), TransformKind::kBucket},
                              std::pair{std::string_view("truncate["), TransformKind::kTruncate}}) {
    if (text.starts_with(prefix) && text.ends_with(']')) {
      std::string_view digits = text.substr(prefix.size(), text.size() - prefix.size() - 1);
      FLOE_ASSIGN_OR_RETURN(int32_t parameter, ParseParameter(digits, text));
      return Transform(kind, parameter);
    }
  }
  if (text.empty()) {
    return Status::InvalidArgument("empty transform name");
  }
  Transform unknown(TransformKind::kUnknown, 0);
  unknown.unknown_text_ = std::string(text);
  return unknown;
}

std::string Transform::ToString() const {
  switch (kind_) {
    case TransformKind::kIdentity:
      return "identity";
    case TransformKind::kBucket:
      return fmt::format("bucket[{}]", parameter_);
    case TransformKind::kTruncate:
      return fmt::format("truncate[{}]", parameter_);
    case TransformKind::kYear:
      return "year";
    case TransformKind::kMonth:
      return "month";
    case TransformKind::kDay:
      return "day";
    case TransformKind::kHour:
      return "hour";
    case TransformKind::kVoid:
      return "void";
    case TransformKind::kUnknown:
      break;
  }
  return unknown_text_;
}

bool Transform::CanTransform(const Type& source) const {
  TypeKind kind = source.kind();
  switch (kind_) {
    case TransformKind::kIdentity:
      return source.IsPrimitive() && kind != TypeKind::kVariant && kind != TypeKind::kUnknown;
    case TransformKind::kBucket:
      return IsBucketable(kind);
    case TransformKind::kTruncate:
      return IsTruncatable(kind);
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kDay:
      return kind == TypeKind::kDate || IsTimestampKind(kind);
    case TransformKind::kHour:
      return IsTimestampKind(kind);
    case TransformKind::kVoid:
      return true;
    case TransformKind::kUnknown:
      break;
  }
  return false;
}

Result<Type> Transform::ResultType(const Type& source) const {
  if (kind_ == TransformKind::kUnknown) {
    return Status::NotSupported("unknown transform \"{}\"", unknown_text_);
  }
  if (!CanTransform(source)) {
    return Status::InvalidArgument("transform {} cannot be applied to type {}", ToString(),
                                   source.ToString());
  }
  switch (kind_) {
    case TransformKind::kBucket:
    case TransformKind::kYear:
    case TransformKind::kMonth:
    case TransformKind::kDay:
    case TransformKind::kHour:
      return Type::Primitive(TypeKind::kInt);
    default:
      return source;
  }
}

Result<Value> Transform::Apply(const Type& source, const Value& value) const {
  FLOE_ASSIGN_OR_RETURN(Type result_type, ResultType(source));
  if (value.is_null() || kind_ == TransformKind::kVoid) {
    FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(result_type));
    return Value::Null(logical);
  }
  switch (kind_) {
    case TransformKind::kIdentity:
      return value;
    case TransformKind::kBucket: {
      FLOE_ASSIGN_OR_RETURN(int32_t hash, HashValue(source, value));
      return Value::Integer((hash & 0x7fffffff) % parameter_);
    }
    case TransformKind::kTruncate:
      break;
    default: {
      FLOE_ASSIGN_OR_RETURN(int32_t ordinal, TemporalOrdinal(kind_, value));
      return Value::Integer(ordinal);
    }
  }
  switch (value.type().id()) {
    case TypeId::kInteger:
      return Value::Integer(TruncateInteger<int64_t>(value.integer_value(), parameter_));
    case TypeId::kBigInt:
      return Value::BigInt(TruncateInteger<int64_t>(value.bigint_value(), parameter_));
    case TypeId::kDecimal:
      return Value::Decimal(TruncateInteger<types::Int128>(value.decimal_value(), parameter_),
                            value.type().precision(), value.type().scale());
    case TypeId::kVarchar:
      return Value::Varchar(TruncateUtf8(value.string_value(), parameter_));
    case TypeId::kBytea:
      return Value::Bytea(value.string_value().substr(0, static_cast<size_t>(parameter_)));
    default:
      return Status::InvalidArgument("truncate cannot be applied to {}", value.type().ToString());
  }
}

Result<vector::Vector> Transform::Apply(const Type& source, const vector::Vector& input) const {
  FLOE_ASSIGN_OR_RETURN(Type result_type, ResultType(source));
  FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(result_type));
  vector::VectorBuilder builder(logical);
  FLOE_RETURN_NOT_OK(builder.Reserve(input.length()));
  for (int64_t row = 0; row < input.length(); ++row) {
    FLOE_ASSIGN_OR_RETURN(Value value, input.GetValue(row));
    FLOE_ASSIGN_OR_RETURN(Value result, Apply(source, value));
    FLOE_RETURN_NOT_OK(builder.AppendValue(result));
  }
  return builder.Finish();
}

bool Transform::PreservesOrder() const {
  return kind_ != TransformKind::kBucket && kind_ != TransformKind::kUnknown;
}

std::string Transform::ToHumanString(const Type& source, const Value& result) const {
  if (result.is_null()) {
    return "null";
  }
  bool is_temporal = kind_ == TransformKind::kYear || kind_ == TransformKind::kMonth ||
                     kind_ == TransformKind::kDay || kind_ == TransformKind::kHour;
  if (!is_temporal) {
    if (source.kind() == TypeKind::kFixed || source.kind() == TypeKind::kBinary) {
      // Binary partition values print as base64 in other engines; hex keeps paths ASCII.
      std::string hex;
      for (unsigned char byte : result.string_value()) {
        hex += fmt::format("{:02x}", byte);
      }
      return hex;
    }
    if (source.kind() == TypeKind::kTimestamp || source.kind() == TypeKind::kTimestampTz) {
      std::string text = types::FormatTimestamp(result.timestamp_value());
      std::replace(text.begin(), text.end(), ' ', 'T');
      return source.kind() == TypeKind::kTimestampTz ? text + "Z" : text;
    }
    return result.ToString();
  }
  int64_t ordinal = result.integer_value();
  switch (kind_) {
    case TransformKind::kYear:
      return fmt::format("{:04d}", 1970 + ordinal);
    case TransformKind::kMonth: {
      int64_t years = FloorDivide(ordinal, 12);
      return fmt::format("{:04d}-{:02d}", 1970 + years, ordinal - years * 12 + 1);
    }
    case TransformKind::kDay:
      return types::FormatDate(static_cast<int32_t>(ordinal));
    default: {
      int64_t days = FloorDivide(ordinal, 24);
      return fmt::format("{}-{:02d}", types::FormatDate(static_cast<int32_t>(days)),
                         ordinal - days * 24);
    }
  }
}

}  // namespace floe::table
