#include "server/pgwire/type_codec.h"

#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "types/decimal.h"
#include "types/int128.h"

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
    const LogicalType& element = type.element_type();
    return element.IsNested() ? oid::kText : ArrayOid(ScalarOid(element.id()));
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
      return Status::NotSupported("parameters of type OID {} are not supported", type_oid);
  }
}

std::string EncodeText(const Value& value) {
  return value.ToString();
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
      const LogicalType& element = value.type().element_type();
      if (element.IsNested()) {
        return Status::NotSupported("binary format of nested arrays; ask for text");
      }
      bool has_null = false;
      for (const Value& child : value.children()) {
        has_null = has_null || child.is_null();
      }
      PutInt32(out, 1);
      PutInt32(out, has_null ? 1 : 0);
      PutInt32(out, ScalarOid(element.id()));
      PutInt32(out, static_cast<int32_t>(value.children().size()));
      PutInt32(out, 1);
      for (const Value& child : value.children()) {
        if (child.is_null()) {
          PutInt32(out, -1);
          continue;
        }
        FLOE_ASSIGN_OR_RETURN(std::string bytes, EncodeBinary(child));
        PutInt32(out, static_cast<int32_t>(bytes.size()));
        out += bytes;
      }
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
    default:
      return Status::NotSupported("binary parameters of type {}", type.ToString());
  }
}

}  // namespace floe::server::pgwire
