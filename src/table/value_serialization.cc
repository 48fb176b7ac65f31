#include "table/value_serialization.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "table/value_internal.h"
#include "types/decimal.h"
#include "types/temporal.h"

namespace floe::table {

using Json = nlohmann::ordered_json;
using types::TypeId;
using types::Value;

namespace internal {

std::string EncodeLittleEndian(uint64_t bits, int width) {
  std::string bytes(static_cast<size_t>(width), '\0');
  for (int i = 0; i < width; ++i) {
    bytes[static_cast<size_t>(i)] = static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  return bytes;
}

std::string MinimalBigEndian(types::Int128 value) {
  auto bits = static_cast<types::UInt128>(value);
  std::string bytes;
  for (int i = 15; i >= 0; --i) {
    bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
  // A leading byte is redundant when it only repeats the sign bit of the byte after it.
  size_t start = 0;
  while (start + 1 < bytes.size()) {
    auto byte = static_cast<uint8_t>(bytes[start]);
    bool is_next_negative = (static_cast<uint8_t>(bytes[start + 1]) & 0x80) != 0;
    if ((byte == 0x00 && !is_next_negative) || (byte == 0xff && is_next_negative)) {
      ++start;
    } else {
      break;
    }
  }
  return bytes.substr(start);
}

Result<int64_t> IntegralOf(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kSmallInt:
      return int64_t{value.smallint_value()};
    case TypeId::kInteger:
    case TypeId::kDate:
      return int64_t{value.integer_value()};
    case TypeId::kBigInt:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return value.bigint_value();
    default:
      return Status::InvalidArgument("expected an integer or temporal value, got {}",
                                     value.type().ToString());
  }
}

}  // namespace internal

namespace {

uint64_t DecodeLittleEndian(std::string_view bytes) {
  uint64_t bits = 0;
  for (size_t i = bytes.size(); i > 0; --i) {
    bits = (bits << 8) | static_cast<uint8_t>(bytes[i - 1]);
  }
  return bits;
}

Status CheckMatches(const Type& type, const Value& value) {
  if (value.is_null()) {
    return Status::InvalidArgument("cannot serialize a NULL {}", type.ToString());
  }
  FLOE_ASSIGN_OR_RETURN(types::LogicalType expected, ToLogicalType(type));
  bool is_integer_family = expected.IsInteger() && value.type().IsInteger();
  if (expected.id() != value.type().id() && !is_integer_family) {
    return Status::InvalidArgument("value of type {} does not match Iceberg type {}",
                                   value.type().ToString(), type.ToString());
  }
  return Status::OK();
}

Status WrongLength(const Type& type, size_t length) {
  return Status::Corruption("a serialized {} value cannot be {} bytes long", type.ToString(),
                            length);
}

Result<Value> DecodeDecimal(const Type& type, std::string_view bytes) {
  if (bytes.empty() || bytes.size() > 16) {
    return WrongLength(type, bytes.size());
  }
  // Sign-extend the big-endian two's-complement bytes to 128 bits.
  types::UInt128 bits = (static_cast<uint8_t>(bytes[0]) & 0x80) ? ~types::UInt128{0} : 0;
  for (char byte : bytes) {
    bits = (bits << 8) | static_cast<uint8_t>(byte);
  }
  auto unscaled = static_cast<types::Int128>(bits);
  if (!types::FitsPrecision(unscaled, type.precision())) {
    return Status::Corruption("serialized value does not fit {}", type.ToString());
  }
  return Value::Decimal(unscaled, type.precision(), type.scale());
}

Result<Value> DecodeFixedWidth(const Type& type, std::string_view bytes) {
  uint64_t bits = DecodeLittleEndian(bytes);
  auto as_int = static_cast<int32_t>(static_cast<uint32_t>(bits));
  switch (type.kind()) {
    case TypeKind::kInt:
      return Value::Integer(as_int);
    case TypeKind::kDate:
      return Value::Date(as_int);
    case TypeKind::kLong:
      // An int column promoted to long keeps its 4-byte bounds (spec "Schema Evolution").
      return Value::BigInt(bytes.size() == 4 ? as_int : static_cast<int64_t>(bits));
    case TypeKind::kFloat:
      return Value::Real(std::bit_cast<float>(static_cast<uint32_t>(bits)));
    case TypeKind::kDouble:
      return Value::Double(
          bytes.size() == 4 ? static_cast<double>(std::bit_cast<float>(static_cast<uint32_t>(bits)))
                            : std::bit_cast<double>(bits));
    case TypeKind::kTime:
      return Value::Time(static_cast<int64_t>(bits));
    case TypeKind::kTimestamp:
      return Value::Timestamp(static_cast<int64_t>(bits));
    default:
      return Value::TimestampTz(static_cast<int64_t>(bits));
  }
}

size_t ExpectedWidth(const Type& type, size_t actual) {
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return 1;
    case TypeKind::kInt:
    case TypeKind::kDate:
    case TypeKind::kFloat:
      return 4;
    case TypeKind::kLong:
    case TypeKind::kDouble:
      return actual == 4 ? 4 : 8;
    default:
      return 8;
  }
}

}  // namespace

Result<std::string> SerializeValue(const Type& type, const Value& value) {
  FLOE_RETURN_NOT_OK(CheckMatches(type, value));
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return std::string(1, value.boolean_value() ? '\x01' : '\x00');
    case TypeKind::kInt:
    case TypeKind::kDate: {
      FLOE_ASSIGN_OR_RETURN(int64_t integral, internal::IntegralOf(value));
      return internal::EncodeLittleEndian(static_cast<uint32_t>(integral), 4);
    }
    case TypeKind::kLong:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: {
      FLOE_ASSIGN_OR_RETURN(int64_t integral, internal::IntegralOf(value));
      return internal::EncodeLittleEndian(static_cast<uint64_t>(integral), 8);
    }
    case TypeKind::kFloat:
      return internal::EncodeLittleEndian(std::bit_cast<uint32_t>(value.real_value()), 4);
    case TypeKind::kDouble:
      return internal::EncodeLittleEndian(std::bit_cast<uint64_t>(value.double_value()), 8);
    case TypeKind::kDecimal:
      return internal::MinimalBigEndian(value.decimal_value());
    case TypeKind::kUuid:
      return std::string(reinterpret_cast<const char*>(value.uuid_value().bytes.data()), 16);
    case TypeKind::kString:
    case TypeKind::kBinary:
      return value.string_value();
    case TypeKind::kFixed:
      if (value.string_value().size() != static_cast<size_t>(type.length())) {
        return Status::InvalidArgument("a {} value cannot be {} bytes long", type.ToString(),
                                       value.string_value().size());
      }
      return value.string_value();
    default:
      return Status::NotSupported("binary serialization of {} values", type.ToString());
  }
}

Result<Value> DeserializeValue(const Type& type, std::string_view bytes) {
  switch (type.kind()) {
    case TypeKind::kString:
      return Value::Varchar(std::string(bytes));
    case TypeKind::kBinary:
      return Value::Bytea(std::string(bytes));
    case TypeKind::kFixed:
      if (bytes.size() != static_cast<size_t>(type.length())) {
        return WrongLength(type, bytes.size());
      }
      return Value::Bytea(std::string(bytes));
    case TypeKind::kUuid: {
      if (bytes.size() != 16) {
        return WrongLength(type, bytes.size());
      }
      types::Uuid uuid;
      std::memcpy(uuid.bytes.data(), bytes.data(), 16);
      return Value::Uuid(uuid);
    }
    case TypeKind::kDecimal:
      return DecodeDecimal(type, bytes);
    case TypeKind::kBoolean:
      if (bytes.size() != 1) {
        return WrongLength(type, bytes.size());
      }
      return Value::Boolean(bytes[0] != 0);
    default:
      break;
  }
  if (!type.IsPrimitive() || !ToLogicalType(type).ok()) {
    return Status::NotSupported("binary serialization of {} values", type.ToString());
  }
  if (bytes.size() != ExpectedWidth(type, bytes.size())) {
    return WrongLength(type, bytes.size());
  }
  return DecodeFixedWidth(type, bytes);
}

// ---------------------------------------------------------------------------------------------
// JSON single-value serialization (spec Appendix D).

namespace {

std::string Hex(std::string_view bytes) {
  std::string text;
  for (unsigned char byte : bytes) {
    text += fmt::format("{:02x}", byte);
  }
  return text;
}

Result<std::string> Unhex(std::string_view text) {
  if (text.size() % 2 != 0) {
    return Status::Corruption("odd-length hexadecimal value \"{}\"", text);
  }
  std::string bytes;
  for (size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    for (char digit : text.substr(i, 2)) {
      int nibble = std::isdigit(static_cast<unsigned char>(digit)) ? digit - '0'
                   : (digit >= 'a' && digit <= 'f')                ? digit - 'a' + 10
                   : (digit >= 'A' && digit <= 'F')                ? digit - 'A' + 10
                                                                   : -1;
      if (nibble < 0) {
        return Status::Corruption("invalid hexadecimal value \"{}\"", text);
      }
      value = value * 16 + static_cast<unsigned>(nibble);
    }
    bytes.push_back(static_cast<char>(value));
  }
  return bytes;
}

// The spec asks for microsecond precision: always six fraction digits.
std::string TimeText(int64_t micros) {
  int64_t seconds = micros / types::kMicrosPerSecond;
  return fmt::format("{:02d}:{:02d}:{:02d}.{:06d}", seconds / 3600, seconds / 60 % 60, seconds % 60,
                     micros % types::kMicrosPerSecond);
}

std::string TimestampText(int64_t micros) {
  int32_t days = types::TimestampToDate(micros);
  return types::FormatDate(days) + "T" + TimeText(types::TimestampToTime(micros));
}

Result<Json> ToJsonNode(const Type& type, const Value& value);

Result<Json> NestedToJson(const Type& type, const Value& value) {
  if (type.kind() == TypeKind::kStruct) {
    Json node = Json::object();
    for (size_t i = 0; i < type.fields().size(); ++i) {
      const NestedField& field = type.fields()[i];
      FLOE_ASSIGN_OR_RETURN(node[std::to_string(field.id)],
                            ToJsonNode(field.type, value.children()[i]));
    }
    return node;
  }
  if (type.kind() == TypeKind::kList) {
    Json node = Json::array();
    for (const Value& element : value.children()) {
      FLOE_ASSIGN_OR_RETURN(Json child, ToJsonNode(type.element().type, element));
      node.push_back(std::move(child));
    }
    return node;
  }
  Json keys = Json::array();
  Json values = Json::array();
  for (size_t i = 0; i < value.map_size(); ++i) {
    FLOE_ASSIGN_OR_RETURN(Json key, ToJsonNode(type.key().type, value.map_key(i)));
    FLOE_ASSIGN_OR_RETURN(Json item, ToJsonNode(type.value().type, value.map_value(i)));
    keys.push_back(std::move(key));
    values.push_back(std::move(item));
  }
  return Json{{"keys", std::move(keys)}, {"values", std::move(values)}};
}

Result<Json> ToJsonNode(const Type& type, const Value& value) {
  if (value.is_null()) {
    return Json();
  }
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return Json(value.boolean_value());
    case TypeKind::kInt:
    case TypeKind::kLong: {
      FLOE_ASSIGN_OR_RETURN(int64_t integral, internal::IntegralOf(value));
      return Json(integral);
    }
    case TypeKind::kFloat:
      return Json(value.real_value());
    case TypeKind::kDouble:
      return Json(value.double_value());
    case TypeKind::kDecimal:
      return Json(types::FormatDecimal(value.decimal_value(), type.scale()));
    case TypeKind::kDate:
      return Json(types::FormatDate(value.date_value()));
    case TypeKind::kTime:
      return Json(TimeText(value.time_value()));
    case TypeKind::kTimestamp:
      return Json(TimestampText(value.timestamp_value()));
    case TypeKind::kTimestampTz:
      return Json(TimestampText(value.timestamp_value()) + "+00:00");
    case TypeKind::kString:
      return Json(value.string_value());
    case TypeKind::kUuid:
      return Json(types::FormatUuid(value.uuid_value()));
    case TypeKind::kFixed:
    case TypeKind::kBinary:
      return Json(Hex(value.string_value()));
    case TypeKind::kStruct:
    case TypeKind::kList:
    case TypeKind::kMap:
      return NestedToJson(type, value);
    default:
      return Status::NotSupported("JSON serialization of {} values", type.ToString());
  }
}

Status Mismatch(const Type& type, const Json& node) {
  return Status::Corruption("JSON value {} is not a valid {}",
                            node.dump(-1, ' ', false, Json::error_handler_t::replace),
                            type.ToString());
}

Result<Value> FromJsonNode(const Type& type, const Json& node);

Result<Value> StructFromJson(const Type& type, const Json& node) {
  if (!node.is_object()) {
    return Mismatch(type, node);
  }
  std::vector<Value> children;
  for (const NestedField& field : type.fields()) {
    auto it = node.find(std::to_string(field.id));
    FLOE_ASSIGN_OR_RETURN(Value child, FromJsonNode(field.type, it == node.end() ? Json() : *it));
    children.push_back(std::move(child));
  }
  FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(type));
  return Value::Struct(std::move(logical), std::move(children));
}

Result<Value> ListFromJson(const Type& type, const Json& node) {
  if (!node.is_array()) {
    return Mismatch(type, node);
  }
  std::vector<Value> elements;
  for (const Json& child : node) {
    FLOE_ASSIGN_OR_RETURN(Value element, FromJsonNode(type.element().type, child));
    elements.push_back(std::move(element));
  }
  FLOE_ASSIGN_OR_RETURN(types::LogicalType element_type, ToLogicalType(type.element().type));
  return Value::List(std::move(element_type), std::move(elements));
}

Result<Value> MapFromJson(const Type& type, const Json& node) {
  auto keys = node.is_object() ? node.find("keys") : node.end();
  auto values = node.is_object() ? node.find("values") : node.end();
  if (!node.is_object() || keys == node.end() || values == node.end() || !keys->is_array() ||
      !values->is_array() || keys->size() != values->size()) {
    return Mismatch(type, node);
  }
  std::vector<std::pair<Value, Value>> entries;
  for (size_t i = 0; i < keys->size(); ++i) {
    FLOE_ASSIGN_OR_RETURN(Value key, FromJsonNode(type.key().type, (*keys)[i]));
    FLOE_ASSIGN_OR_RETURN(Value item, FromJsonNode(type.value().type, (*values)[i]));
    entries.emplace_back(std::move(key), std::move(item));
  }
  FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(type));
  return Value::Map(std::move(logical), std::move(entries));
}

Result<Value> NumberFromJson(const Type& type, const Json& node) {
  bool is_integer = node.is_number_integer();
  switch (type.kind()) {
    case TypeKind::kInt:
      if (!is_integer || (node.is_number_unsigned() && node.get<uint64_t>() > INT32_MAX) ||
          node.get<int64_t>() != static_cast<int32_t>(node.get<int64_t>())) {
        return Mismatch(type, node);
      }
      return Value::Integer(static_cast<int32_t>(node.get<int64_t>()));
    case TypeKind::kLong:
      if (!is_integer ||
          (node.is_number_unsigned() && node.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
        return Mismatch(type, node);
      }
      return Value::BigInt(node.get<int64_t>());
    case TypeKind::kFloat:
      return Value::Real(node.get<float>());
    default:
      return Value::Double(node.get<double>());
  }
}

Result<Value> TextFromJson(const Type& type, const std::string& text) {
  switch (type.kind()) {
    case TypeKind::kDecimal: {
      FLOE_ASSIGN_OR_RETURN(types::Int128 unscaled,
                            types::ParseDecimal(text, type.precision(), type.scale()));
      return Value::Decimal(unscaled, type.precision(), type.scale());
    }
    case TypeKind::kDate: {
      FLOE_ASSIGN_OR_RETURN(int32_t days, types::ParseDate(text));
      return Value::Date(days);
    }
    case TypeKind::kTime: {
      FLOE_ASSIGN_OR_RETURN(int64_t micros, types::ParseTime(text));
      return Value::Time(micros);
    }
    case TypeKind::kTimestamp: {
      FLOE_ASSIGN_OR_RETURN(int64_t micros, types::ParseTimestamp(text));
      return Value::Timestamp(micros);
    }
    case TypeKind::kTimestampTz: {
      FLOE_ASSIGN_OR_RETURN(int64_t micros, types::ParseTimestampTz(text));
      return Value::TimestampTz(micros);
    }
    case TypeKind::kString:
      return Value::Varchar(text);
    case TypeKind::kUuid: {
      FLOE_ASSIGN_OR_RETURN(types::Uuid uuid, types::ParseUuid(text));
      return Value::Uuid(uuid);
    }
    default: {
      FLOE_ASSIGN_OR_RETURN(std::string bytes, Unhex(text));
      if (type.kind() == TypeKind::kFixed && bytes.size() != static_cast<size_t>(type.length())) {
        return Status::Corruption("JSON value \"{}\" is not a valid {}", text, type.ToString());
      }
      return Value::Bytea(std::move(bytes));
    }
  }
}

Result<Value> FromJsonNode(const Type& type, const Json& node) {
  if (node.is_null()) {
    FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(type));
    return Value::Null(std::move(logical));
  }
  switch (type.kind()) {
    case TypeKind::kStruct:
      return StructFromJson(type, node);
    case TypeKind::kList:
      return ListFromJson(type, node);
    case TypeKind::kMap:
      return MapFromJson(type, node);
    case TypeKind::kBoolean:
      if (!node.is_boolean()) {
        return Mismatch(type, node);
      }
      return Value::Boolean(node.get<bool>());
    case TypeKind::kInt:
    case TypeKind::kLong:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      if (!node.is_number()) {
        return Mismatch(type, node);
      }
      return NumberFromJson(type, node);
    default:
      break;
  }
  FLOE_RETURN_NOT_OK(ToLogicalType(type).status());
  if (!node.is_string()) {
    return Mismatch(type, node);
  }
  Result<Value> value = TextFromJson(type, node.get<std::string>());
  if (!value.ok() && value.status().code() != StatusCode::kNotSupported) {
    return Status::Corruption("JSON value {} is not a valid {}: {}", node.dump(), type.ToString(),
                              value.status().message());
  }
  return value;
}

}  // namespace

Result<std::string> ValueToJson(const Type& type, const Value& value) {
  FLOE_ASSIGN_OR_RETURN(Json node, ToJsonNode(type, value));
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Value> ValueFromJson(const Type& type, std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded()) {
    return Status::Corruption("invalid JSON for a {} value: {}", type.ToString(), json);
  }
  return FromJsonNode(type, node);
}

}  // namespace floe::table
