#include "server/pgwire/type_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "types/decimal.h"
#include "types/int128.h"
#include "types/temporal.h"
#include "types/time_zone.h"

namespace floe::server::pgwire {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;

// PostgreSQL's binary dates and timestamps count from 2000-01-01.
constexpr int32_t kPostgresEpochDays = 10957;
constexpr int64_t kPostgresEpochMicros = int64_t{kPostgresEpochDays} * 86'400'000'000;

// A binary date or timestamp counts from PostgreSQL's epoch (2000-01-01), Floe's from 1970: a
// client's value near the type's limit does not fit once shifted.
Result<int64_t> FromPostgresEpoch(int64_t value, int64_t epoch, int64_t min, int64_t max,
                                  std::string_view type) {
  int64_t shifted = 0;
  if (__builtin_add_overflow(value, epoch, &shifted) || shifted < min || shifted > max) {
    return Status::InvalidArgument("{} out of range", type).WithSqlState("22008");
  }
  return shifted;
}

void PutInt16(std::string& out, int16_t value) {
  auto bits = static_cast<uint16_t>(value);
  out.push_back(static_cast<char>(bits >> 8));
  out.push_back(static_cast<char>(bits & 0xff));
}

void PutInt32(std::string& out, int32_t value) {
  auto bits = static_cast<uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

void PutInt64(std::string& out, int64_t value) {
  auto bits = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

uint64_t GetBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) {
    value = (value << 8) | static_cast<unsigned char>(c);
  }
  return value;
}

Status BadBinary(const LogicalType& type, size_t size) {
  return Status::InvalidArgument("invalid binary value of {} bytes for type {}", size,
                                 type.ToString())
      .WithSqlState("22P03");
}

int32_t ScalarOid(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return oid::kBool;
    case TypeId::kSmallInt:
      return oid::kInt2;
    case TypeId::kInteger:
      return oid::kInt4;
    case TypeId::kBigInt:
      return oid::kInt8;
    case TypeId::kReal:
      return oid::kFloat4;
    case TypeId::kDouble:
      return oid::kFloat8;
    case TypeId::kDecimal:
      return oid::kNumeric;
    case TypeId::kDate:
      return oid::kDate;
    case TypeId::kTime:
      return oid::kTime;
    case TypeId::kTimestamp:
      return oid::kTimestamp;
    case TypeId::kTimestampTz:
      return oid::kTimestampTz;
    case TypeId::kInterval:
      return oid::kInterval;
    case TypeId::kVarchar:
      return oid::kVarchar;
    case TypeId::kBytea:
      return oid::kBytea;
    case TypeId::kUuid:
      return oid::kUuid;
    case TypeId::kStruct:
      return oid::kRecord;
    default:
      return oid::kText;
  }
}

int32_t ArrayOid(int32_t element) {
  switch (element) {
    case oid::kBool:
      return 1000;
    case oid::kBytea:
      return 1001;
    case oid::kInt2:
      return 1005;
    case oid::kInt4:
      return 1007;
    case oid::kText:
      return 1009;
    case oid::kVarchar:
      return 1015;
    case oid::kInt8:
      return 1016;
    case oid::kFloat4:
      return 1021;
    case oid::kFloat8:
      return 1022;
    case oid::kTimestamp:
      return 1115;
    case oid::kDate:
      return 1182;
    case oid::kTime:
      return 1183;
    case oid::kTimestampTz:
      return 1185;
    case oid::kInterval:
      return 1187;
    case oid::kNumeric:
      return 1231;
    case oid::kUuid:
      return 2951;
    default:
      return oid::kText;
  }
}

// The innermost element type of a (multidimensional) array, or null when it is not a scalar.
const LogicalType* ArrayScalarElement(const LogicalType& type) {
  const LogicalType* element = &type.element_type();
  while (element->id() == TypeId::kList) {
    element = &element->element_type();
  }
  return element->IsNested() ? nullptr : element;
}

// The lengths of each dimension of a multidimensional array value, outermost first; an error
// for one that is not rectangular (LISTs from files may be ragged), which has no binary form.
Result<std::vector<int32_t>> ArrayDimensions(const Value& value) {
  std::vector<int32_t> lengths;
  const Value* current = &value;
  while (true) {
    lengths.push_back(static_cast<int32_t>(current->children().size()));
    if (current->type().element_type().id() != TypeId::kList || current->children().empty()) {
      break;
    }
    current = &current->children()[0];
    if (current->is_null()) {
      return Status::NotSupported("binary format of an array with a NULL sub-array; ask for text");
    }
  }
  return lengths;
}

Status AppendArrayElements(const Value& value, const std::vector<int32_t>& lengths, size_t depth,
                           std::string& out);

// NUMERIC's binary form: base-10000 digits with a weight (the power of 10000 of the first
// digit), a sign and the display scale.
std::string EncodeNumeric(types::Int128 unscaled, int scale) {
  bool is_negative = unscaled < 0;
  std::string digits = types::Int128ToString(unscaled);
  if (is_negative) {
    digits.erase(0, 1);
  }
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
  }
  std::string integer = digits.substr(0, digits.size() - static_cast<size_t>(scale));
  std::string fraction = digits.substr(digits.size() - static_cast<size_t>(scale));
  integer.insert(0, (4 - integer.size() % 4) % 4, '0');
  fraction.append((4 - fraction.size() % 4) % 4, '0');
  std::vector<int16_t> groups;
  for (size_t index = 0; index < integer.size(); index += 4) {
    groups.push_back(static_cast<int16_t>(std::stoi(integer.substr(index, 4))));
  }
  int weight = static_cast<int>(groups.size()) - 1;
  for (size_t index = 0; index < fraction.size(); index += 4) {
    groups.push_back(static_cast<int16_t>(std::stoi(fraction.substr(index, 4))));
  }
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) {
    --last;
  }
  std::string out;
  if (first == last) {
    weight = 0;
  }
  PutInt16(out, static_cast<int16_t>(last - first));
  PutInt16(out, static_cast<int16_t>(weight));
  PutInt16(out, static_cast<int16_t>(is_negative && first != last ? 0x4000 : 0));
  PutInt16(out, static_cast<int16_t>(scale));
  for (size_t index = first; index < last; ++index) {
    PutInt16(out, groups[index]);
  }
  return out;
}

Result<Value> DecodeNumeric(const LogicalType& type, std::string_view bytes) {
  if (bytes.size() < 8) {
    return BadBinary(type, bytes.size());
  }
  auto count = static_cast<int16_t>(GetBigEndian(bytes.substr(0, 2)));
  auto weight = static_cast<int16_t>(GetBigEndian(bytes.substr(2, 2)));
  auto sign = static_cast<uint16_t>(GetBigEndian(bytes.substr(4, 2)));
  auto scale = static_cast<int16_t>(GetBigEndian(bytes.substr(6, 2)));
  if (count < 0 || bytes.size() != 8 + 2 * static_cast<size_t>(count) || scale < 0 ||
      scale > types::LogicalType::kMaxDecimalPrecision || (sign != 0 && sign != 0x4000) ||
      weight > 40 || weight < -40) {
    return BadBinary(type, bytes.size());
  }
  // Rebuild the decimal text and parse it, so that range checks stay in one place.
  std::string integer;
  std::string fraction;
  for (int group = 0; group < count; ++group) {
    auto digit = static_cast<int>(GetBigEndian(bytes.substr(8 + 2 * group, 2)));
    if (digit < 0 || digit > 9999) {
      return BadBinary(type, bytes.size());
    }
    int power = weight - group;
    std::string text = fmt::format("{:04d}", digit);
    if (power >= 0) {
      integer += text;
      if (group == count - 1) {
        integer.append(4 * static_cast<size_t>(power), '0');
      }
    } else {
      if (fraction.empty()) {
        fraction.append(4 * static_cast<size_t>(-power - 1), '0');
      }
      fraction += text;
    }
  }
  if (integer.empty()) {
    integer = "0";
  }
  fraction.resize(static_cast<size_t>(scale), '0');
  std::string text = (sign == 0x4000 ? "-" : "") + integer;
  if (!fraction.empty()) {
    text += "." + fraction;
  }
  int target_scale = type.id() == TypeId::kDecimal ? type.scale() : scale;
  int target_precision =
      type.id() == TypeId::kDecimal ? type.precision() : types::LogicalType::kMaxDecimalPrecision;
  FLOE_ASSIGN_OR_RETURN(types::Int128 unscaled,
                        types::ParseDecimal(text, target_precision, target_scale));
  return Value::Decimal(unscaled, target_precision, target_scale);
}

}  // namespace

int32_t TypeOidOf(const LogicalType& type) {
  if (type.id() == TypeId::kList) {
    // A multidimensional array has its element's array type, as in PostgreSQL.
    const LogicalType* element = ArrayScalarElement(type);
    return element == nullptr ? oid::kText : ArrayOid(ScalarOid(element->id()));
  }
  return ScalarOid(type.id());
}

int16_t TypeSizeOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInteger:
    case TypeId::kReal:
    case TypeId::kDate:
      return 4;
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kInterval:
    case TypeId::kUuid:
      return 16;
    default:
      return -1;
  }
}

int32_t TypeModifierOf(const LogicalType& type) {
  if (type.id() == TypeId::kDecimal) {
    return ((type.precision() << 16) | type.scale()) + 4;
  }
  return -1;
}

Result<LogicalType> LogicalTypeOfOid(int32_t type_oid) {
  switch (type_oid) {
    case oid::kUnspecified:
    case oid::kUnknown:
      return LogicalType::Null();
    case oid::kBool:
      return LogicalType::Boolean();
    case oid::kBytea:
      return LogicalType::Bytea();
    case oid::kInt2:
      return LogicalType::SmallInt();
    case oid::kInt4:
      return LogicalType::Integer();
    case oid::kInt8:
      return LogicalType::BigInt();
    case oid::kText:
    case oid::kVarchar:
    case 1042:  // bpchar
      return LogicalType::Varchar();
    case oid::kFloat4:
      return LogicalType::Real();
    case oid::kFloat8:
      return LogicalType::Double();
    case oid::kDate:
      return LogicalType::Date();
    case oid::kTime:
      return LogicalType::Time();
    case oid::kTimestamp:
      return LogicalType::Timestamp();
    case oid::kTimestampTz:
      return LogicalType::TimestampTz();
    case oid::kInterval:
      return LogicalType::Interval();
    case oid::kNumeric:
      return types::LogicalType::Decimal(38, 10);
    case oid::kUuid:
      return LogicalType::Uuid();
    default:
      // An array type: a LIST of its element.
      for (int32_t element :
           {oid::kBool, oid::kBytea, oid::kInt2, oid::kInt4, oid::kText, oid::kVarchar, oid::kInt8,
            oid::kFloat4, oid::kFloat8, oid::kTimestamp, oid::kDate, oid::kTime, oid::kTimestampTz,
            oid::kInterval, oid::kNumeric, oid::kUuid}) {
        if (ArrayOid(element) == type_oid) {
          FLOE_ASSIGN_OR_RETURN(LogicalType element_type, LogicalTypeOfOid(element));
          return LogicalType::List(element_type);
        }
      }
      return Status::NotSupported("parameters of type OID {} are not supported", type_oid);
  }
}

std::string EncodeText(const Value& value, const types::TimeZone& zone) {
  if (value.type().id() == TypeId::kTimestampTz) {
    return types::FormatTimestampTz(value.timestamp_value(), zone);
  }
  return value.ToString();
}

std::string EncodeText(const Value& value) {
  return EncodeText(value, types::TimeZone::Utc());
}

Result<std::string> EncodeBinary(const Value& value) {
  std::string out;
  switch (value.type().id()) {
    case TypeId::kBoolean:
      out.push_back(value.boolean_value() ? 1 : 0);
      return out;
    case TypeId::kSmallInt:
      PutInt16(out, value.smallint_value());
      return out;
    case TypeId::kInteger:
      PutInt32(out, value.integer_value());
      return out;
    case TypeId::kBigInt:
      PutInt64(out, value.bigint_value());
      return out;
    case TypeId::kReal:
      PutInt32(out, std::bit_cast<int32_t>(value.real_value()));
      return out;
    case TypeId::kDouble:
      PutInt64(out, std::bit_cast<int64_t>(value.double_value()));
      return out;
    case TypeId::kDecimal:
      return EncodeNumeric(value.decimal_value(), value.type().scale());
    case TypeId::kDate:
      PutInt32(out, value.date_value() - kPostgresEpochDays);
      return out;
    case TypeId::kTime:
      PutInt64(out, value.time_value());
      return out;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      PutInt64(out, value.timestamp_value() - kPostgresEpochMicros);
      return out;
    case TypeId::kInterval:
      PutInt64(out, value.interval_value().micros);
      PutInt32(out, value.interval_value().days);
      PutInt32(out, value.interval_value().months);
      return out;
    case TypeId::kVarchar:
    case TypeId::kBytea:
      return value.string_value();
    case TypeId::kUuid:
      out.assign(reinterpret_cast<const char*>(value.uuid_value().bytes.data()), 16);
      return out;
    case TypeId::kList: {
      // docs/protocols/pgwire.md: dimensions, has-NULL flag, element OID, (length, lower
      // bound 1) per dimension, then each element as length and bytes (-1 for NULL).
      const LogicalType* element = ArrayScalarElement(value.type());
      if (element == nullptr) {
        return Status::NotSupported("binary format of arrays of nested types; ask for text");
      }
      FLOE_ASSIGN_OR_RETURN(std::vector<int32_t> lengths, ArrayDimensions(value));
      bool is_empty = std::find(lengths.begin(), lengths.end(), 0) != lengths.end();
      std::string elements;
      if (!is_empty) {
        FLOE_RETURN_NOT_OK(AppendArrayElements(value, lengths, 0, elements));
      }
      bool has_null = false;
      std::vector<const Value*> pending = {&value};
      while (!pending.empty() && !has_null) {
        const Value* current = pending.back();
        pending.pop_back();
        for (const Value& child : current->children()) {
          has_null = has_null || child.is_null();
          if (!child.is_null() && child.type().id() == TypeId::kList) {
            pending.push_back(&child);
          }
        }
      }
      // PostgreSQL sends an empty array with no dimensions.
      PutInt32(out, is_empty ? 0 : static_cast<int32_t>(lengths.size()));
      PutInt32(out, has_null ? 1 : 0);
      PutInt32(out, ScalarOid(element->id()));
      if (!is_empty) {
        for (int32_t length : lengths) {
          PutInt32(out, length);
          PutInt32(out, 1);
        }
      }
      out += elements;
      return out;
    }
    case TypeId::kNull:
    case TypeId::kMap:
      return value.ToString();  // Described as text.
    default:
      return Status::NotSupported("binary format of type {}; ask for text",
                                  value.type().ToString());
  }
}

namespace {

Status AppendArrayElements(const Value& value, const std::vector<int32_t>& lengths, size_t depth,
                           std::string& out) {
  if (static_cast<int32_t>(value.children().size()) != lengths[depth]) {
    return Status::NotSupported("binary format of a ragged multidimensional array; ask for text");
  }
  for (const Value& child : value.children()) {
    if (depth + 1 < lengths.size()) {
      if (child.is_null()) {
        return Status::NotSupported(
            "binary format of an array with a NULL sub-array; ask for text");
      }
      FLOE_RETURN_NOT_OK(AppendArrayElements(child, lengths, depth + 1, out));
      continue;
    }
    if (child.is_null()) {
      PutInt32(out, -1);
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::string bytes, EncodeBinary(child));
    PutInt32(out, static_cast<int32_t>(bytes.size()));
    out += bytes;
  }
  return Status::OK();
}

// Reads `lengths[depth]` elements (sub-arrays below the last dimension) of `type` from `bytes`
// at `offset`.
Result<Value> DecodeArrayLevel(const LogicalType& type, const std::vector<int32_t>& lengths,
                               size_t depth, std::string_view bytes, size_t& offset) {
  const LogicalType& element = type.element_type();
  std::vector<Value> children;
  for (int32_t index = 0; index < lengths[depth]; ++index) {
    if (depth + 1 < lengths.size()) {
      FLOE_ASSIGN_OR_RETURN(Value child,
                            DecodeArrayLevel(element, lengths, depth + 1, bytes, offset));
      children.push_back(std::move(child));
      continue;
    }
    if (bytes.size() - offset < 4) {
      return BadBinary(type, bytes.size());
    }
    auto size = static_cast<int32_t>(GetBigEndian(bytes.substr(offset, 4)));
    offset += 4;
    if (size < 0) {
      children.push_back(Value::Null(element));
      continue;
    }
    if (bytes.size() - offset < static_cast<size_t>(size)) {
      return BadBinary(type, bytes.size());
    }
    FLOE_ASSIGN_OR_RETURN(Value child, DecodeBinary(element, bytes.substr(offset, size)));
    offset += static_cast<size_t>(size);
    children.push_back(std::move(child));
  }
  return Value::List(element, std::move(children));
}

// The binary array format (see EncodeBinary). The lower bounds are not kept: Floe's arrays
// start at 1.
Result<Value> DecodeArray(const LogicalType& type, std::string_view bytes) {
  if (bytes.size() < 12) {
    return BadBinary(type, bytes.size());
  }
  auto dimensions = static_cast<int32_t>(GetBigEndian(bytes.substr(0, 4)));
  int expected = 0;
  for (const LogicalType* level = &type; level->id() == TypeId::kList;
       level = &level->element_type()) {
    ++expected;
  }
  if (dimensions == 0) {
    return Value::List(type.element_type(), {});
  }
  if (dimensions != expected || bytes.size() < 12 + 8 * static_cast<size_t>(dimensions)) {
    return Status::InvalidArgument("binary array parameter has {} dimensions where {} are expected",
                                   dimensions, expected)
        .WithSqlState("22P03");
  }
  std::vector<int32_t> lengths;
  for (int32_t d = 0; d < dimensions; ++d) {
    auto length = static_cast<int32_t>(GetBigEndian(bytes.substr(12 + 8 * d, 4)));
    if (length < 0) {
      return BadBinary(type, bytes.size());
    }
    lengths.push_back(length);
  }
  size_t offset = 12 + 8 * static_cast<size_t>(dimensions);
  FLOE_ASSIGN_OR_RETURN(Value array, DecodeArrayLevel(type, lengths, 0, bytes, offset));
  if (offset != bytes.size()) {
    return BadBinary(type, bytes.size());
  }
  return array;
}

}  // namespace

Result<Value> DecodeBinary(const LogicalType& type, std::string_view bytes) {
  auto fixed = [&](size_t size) -> Status {
    return bytes.size() == size ? Status::OK() : BadBinary(type, bytes.size());
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      FLOE_RETURN_NOT_OK(fixed(1));
      return Value::Boolean(bytes[0] != 0);
    case TypeId::kSmallInt:
      FLOE_RETURN_NOT_OK(fixed(2));
      return Value::SmallInt(static_cast<int16_t>(GetBigEndian(bytes)));
    case TypeId::kInteger:
      FLOE_RETURN_NOT_OK(fixed(4));
      return Value::Integer(static_cast<int32_t>(GetBigEndian(bytes)));
    case TypeId::kBigInt:
      FLOE_RETURN_NOT_OK(fixed(8));
      return Value::BigInt(static_cast<int64_t>(GetBigEndian(bytes)));
    case TypeId::kReal:
      FLOE_RETURN_NOT_OK(fixed(4));
      return Value::Real(std::bit_cast<float>(static_cast<uint32_t>(GetBigEndian(bytes))));
    case TypeId::kDouble:
      FLOE_RETURN_NOT_OK(fixed(8));
      return Value::Double(std::bit_cast<double>(GetBigEndian(bytes)));
    case TypeId::kDecimal:
      return DecodeNumeric(type, bytes);
    case TypeId::kDate: {
      FLOE_RETURN_NOT_OK(fixed(4));
      FLOE_ASSIGN_OR_RETURN(
          int64_t days, FromPostgresEpoch(static_cast<int32_t>(GetBigEndian(bytes)),
                                          kPostgresEpochDays, std::numeric_limits<int32_t>::min(),
                                          std::numeric_limits<int32_t>::max(), "date"));
      return Value::Date(static_cast<int32_t>(days));
    }
    case TypeId::kTime:
      FLOE_RETURN_NOT_OK(fixed(8));
      return Value::Time(static_cast<int64_t>(GetBigEndian(bytes)));
    case TypeId::kTimestamp: {
      FLOE_RETURN_NOT_OK(fixed(8));
      FLOE_ASSIGN_OR_RETURN(
          int64_t micros,
          FromPostgresEpoch(static_cast<int64_t>(GetBigEndian(bytes)), kPostgresEpochMicros,
                            std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), "timestamp"));
      return Value::Timestamp(micros);
    }
    case TypeId::kTimestampTz: {
      FLOE_RETURN_NOT_OK(fixed(8));
      FLOE_ASSIGN_OR_RETURN(
          int64_t micros,
          FromPostgresEpoch(static_cast<int64_t>(GetBigEndian(bytes)), kPostgresEpochMicros,
                            std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(), "timestamp"));
      return Value::TimestampTz(micros);
    }
    case TypeId::kInterval: {
      FLOE_RETURN_NOT_OK(fixed(16));
      types::Interval interval;
      interval.micros = static_cast<int64_t>(GetBigEndian(bytes.substr(0, 8)));
      interval.days = static_cast<int32_t>(GetBigEndian(bytes.substr(8, 4)));
      interval.months = static_cast<int32_t>(GetBigEndian(bytes.substr(12, 4)));
      return Value::Interval(interval);
    }
    case TypeId::kVarchar:
    case TypeId::kNull:
      return Value::Varchar(std::string(bytes));
    case TypeId::kBytea:
      return Value::Bytea(std::string(bytes));
    case TypeId::kUuid: {
      FLOE_RETURN_NOT_OK(fixed(16));
      types::Uuid uuid;
      std::memcpy(uuid.bytes.data(), bytes.data(), 16);
      return Value::Uuid(uuid);
    }
    case TypeId::kList:
      return DecodeArray(type, bytes);
    default:
      return Status::NotSupported("binary parameters of type {}", type.ToString());
  }
}

}  // namespace floe::server::pgwire
