#include "types/value.h"

#include <cmath>
#include <functional>
#include <type_traits>

#include "common/check.h"
#include "types/bytea.h"
#include "types/decimal.h"
#include "types/numeric_text.h"
#include "types/temporal.h"
#include "types/text_internal.h"

namespace floe::types {
namespace {

using internal::IsSpace;

bool EqualsNullWord(std::string_view text) {
  return text.size() == 4 && (text[0] == 'N' || text[0] == 'n') &&
         (text[1] == 'U' || text[1] == 'u') && (text[2] == 'L' || text[2] == 'l') &&
         (text[3] == 'L' || text[3] == 'l');
}

// PostgreSQL's array_out quotes an element that is empty, reads as NULL, or holds a character
// with meaning in array syntax, and escapes quotes and backslashes with a backslash.
std::string QuoteArrayElement(const std::string& text) {
  bool needs_quotes = text.empty() || EqualsNullWord(text);
  for (char ch : text) {
    needs_quotes |= ch == '"' || ch == '\\' || ch == '{' || ch == '}' || ch == ',' || IsSpace(ch);
  }
  if (!needs_quotes) {
    return text;
  }
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      quoted.push_back('\\');
    }
    quoted.push_back(ch);
  }
  return quoted + "\"";
}

// PostgreSQL's record_out quotes a field that is empty or holds a character with meaning in
// row syntax, and doubles quotes and backslashes.
std::string QuoteRecordField(const std::string& text) {
  bool needs_quotes = text.empty();
  for (char ch : text) {
    needs_quotes |= ch == '"' || ch == '\\' || ch == '(' || ch == ')' || ch == ',' || IsSpace(ch);
  }
  if (!needs_quotes) {
    return text;
  }
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') {
      quoted.push_back(ch);
    }
    quoted.push_back(ch);
  }
  return quoted + "\"";
}

std::string ListToString(const std::vector<Value>& elements) {
  std::string text = "{";
  for (size_t index = 0; index < elements.size(); ++index) {
    const Value& element = elements[index];
    text += index == 0 ? "" : ",";
    if (element.is_null()) {
      text += "NULL";
    } else if (element.type().id() == TypeId::kList) {
      text += element.ToString();
    } else {
      text += QuoteArrayElement(element.ToString());
    }
  }
  return text + "}";
}

std::string StructToString(const std::vector<Value>& fields) {
  std::string text = "(";
  for (size_t index = 0; index < fields.size(); ++index) {
    text += index == 0 ? "" : ",";
    if (!fields[index].is_null()) {
      text += QuoteRecordField(fields[index].ToString());
    }
  }
  return text + ")";
}

std::string MapToString(const Value& map) {
  std::string text = "{";
  for (size_t index = 0; index < map.map_size(); ++index) {
    text += index == 0 ? "" : ", ";
    text += map.map_key(index).ToString() + "=" + map.map_value(index).ToString();
  }
  return text + "}";
}

template <typename T>
int CompareOrdered(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// NaN sorts above every number and equals itself; -0 equals 0.
template <typename Float>
int CompareFloats(Float a, Float b) {
  if (std::isnan(a) || std::isnan(b)) {
    return std::isnan(a) ? (std::isnan(b) ? 0 : 1) : -1;
  }
  return CompareOrdered(a, b);
}

// Compares unscaled decimals of different scales by bringing the smaller scale up; a value that
// overflows on the way exceeds every value of the other scale.
int CompareDecimals(Int128 a, int a_scale, Int128 b, int b_scale) {
  if (a_scale < b_scale) {
    return -CompareDecimals(b, b_scale, a, a_scale);
  }
  std::optional<Int128> scaled = CheckedMultiply(b, PowerOfTen(a_scale - b_scale));
  if (!scaled) {
    return b < 0 ? 1 : -1;
  }
  return CompareOrdered(a, *scaled);
}

int CompareChildren(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (size_t index = 0; index < a.size() && index < b.size(); ++index) {
    if (int order = a[index].Compare(b[index]); order != 0) {
      return order;
    }
  }
  return CompareOrdered(a.size(), b.size());
}

size_t CombineHashes(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

template <typename Float>
size_t HashFloat(Float value) {
  if (std::isnan(value)) {
    return 0x7ff8000000000000ULL;
  }
  // -0 and 0 compare equal, so they must hash alike.
  return std::hash<double>()(value == 0 ? 0.0 : static_cast<double>(value));
}

size_t HashInt128(Int128 value) {
  auto bits = static_cast<UInt128>(value);
  return CombineHashes(std::hash<uint64_t>()(static_cast<uint64_t>(bits)),
                       std::hash<uint64_t>()(static_cast<uint64_t>(bits >> 64)));
}

}  // namespace

Value Value::Null(LogicalType type) {
  return Value(std::move(type), std::monostate());
}
Value Value::Boolean(bool value) {
  return Value(LogicalType::Boolean(), Payload(std::in_place_type<bool>, value));
}
Value Value::SmallInt(int16_t value) {
  return Value(LogicalType::SmallInt(), Payload(std::in_place_type<int16_t>, value));
}
Value Value::Integer(int32_t value) {
  return Value(LogicalType::Integer(), Payload(std::in_place_type<int32_t>, value));
}
Value Value::BigInt(int64_t value) {
  return Value(LogicalType::BigInt(), Payload(std::in_place_type<int64_t>, value));
}
Value Value::Real(float value) {
  return Value(LogicalType::Real(), Payload(std::in_place_type<float>, value));
}
Value Value::Double(double value) {
  return Value(LogicalType::Double(), Payload(std::in_place_type<double>, value));
}

Value Value::Decimal(Int128 unscaled, int precision, int scale) {
  Result<LogicalType> type = LogicalType::Decimal(precision, scale);
  FLOE_CHECK(type.ok() && FitsPrecision(unscaled, precision));
  return Value(std::move(type).value(), Payload(std::in_place_type<Int128>, unscaled));
}

Value Value::Date(int32_t days) {
  return Value(LogicalType::Date(), Payload(std::in_place_type<int32_t>, days));
}
Value Value::Time(int64_t micros) {
  return Value(LogicalType::Time(), Payload(std::in_place_type<int64_t>, micros));
}
Value Value::Timestamp(int64_t micros) {
  return Value(LogicalType::Timestamp(), Payload(std::in_place_type<int64_t>, micros));
}
Value Value::TimestampTz(int64_t micros) {
  return Value(LogicalType::TimestampTz(), Payload(std::in_place_type<int64_t>, micros));
}
Value Value::Interval(types::Interval value) {
  return Value(LogicalType::Interval(), Payload(std::in_place_type<types::Interval>, value));
}
Value Value::Varchar(std::string value) {
  return Value(LogicalType::Varchar(), Payload(std::in_place_type<std::string>, std::move(value)));
}
Value Value::Bytea(std::string bytes) {
  return Value(LogicalType::Bytea(), Payload(std::in_place_type<std::string>, std::move(bytes)));
}
Value Value::Uuid(types::Uuid value) {
  return Value(LogicalType::Uuid(), Payload(std::in_place_type<types::Uuid>, value));
}

Value Value::List(LogicalType element_type, std::vector<Value> elements) {
  return Value(LogicalType::List(std::move(element_type)),
               Payload(std::in_place_type<std::vector<Value>>, std::move(elements)));
}

Value Value::Struct(LogicalType type, std::vector<Value> fields) {
  FLOE_CHECK(type.id() == TypeId::kStruct && type.fields().size() == fields.size());
  return Value(std::move(type), Payload(std::in_place_type<std::vector<Value>>, std::move(fields)));
}

Value Value::Map(LogicalType type, std::vector<std::pair<Value, Value>> entries) {
  FLOE_CHECK(type.id() == TypeId::kMap);
  std::vector<Value> children;
  children.reserve(entries.size() * 2);
  for (auto& [key, value] : entries) {
    children.push_back(std::move(key));
    children.push_back(std::move(value));
  }
  return Value(std::move(type),
               Payload(std::in_place_type<std::vector<Value>>, std::move(children)));
}

std::string Value::ToString() const {
  if (is_null()) {
    return "NULL";
  }
  switch (type_.id()) {
    case TypeId::kNull:
      return "NULL";
    case TypeId::kBoolean:
      return FormatBoolean(boolean_value());
    case TypeId::kSmallInt:
      return std::to_string(smallint_value());
    case TypeId::kInteger:
      return std::to_string(integer_value());
    case TypeId::kBigInt:
      return std::to_string(bigint_value());
    case TypeId::kReal:
      return FormatReal(real_value());
    case TypeId::kDouble:
      return FormatDouble(double_value());
    case TypeId::kDecimal:
      return FormatDecimal(decimal_value(), type_.scale());
    case TypeId::kDate:
      return FormatDate(date_value());
    case TypeId::kTime:
      return FormatTime(time_value());
    case TypeId::kTimestamp:
      return FormatTimestamp(timestamp_value());
    case TypeId::kTimestampTz:
      return FormatTimestampTz(timestamp_value());
    case TypeId::kInterval:
      return FormatInterval(interval_value());
    case TypeId::kVarchar:
      return string_value();
    case TypeId::kBytea:
      return FormatBytea(string_value());
    case TypeId::kUuid:
      return FormatUuid(uuid_value());
    case TypeId::kList:
      return ListToString(children());
    case TypeId::kStruct:
      return StructToString(children());
    case TypeId::kMap:
      return MapToString(*this);
  }
  return "NULL";
}

int Value::Compare(const Value& other) const {
  if (type_.id() != other.type_.id()) {
    return CompareOrdered(type_.id(), other.type_.id());
  }
  if (is_null() || other.is_null()) {
    return CompareOrdered(is_null(), other.is_null());
  }
  switch (type_.id()) {
    case TypeId::kReal:
      return CompareFloats(real_value(), other.real_value());
    case TypeId::kDouble:
      return CompareFloats(double_value(), other.double_value());
    case TypeId::kDecimal:
      return CompareDecimals(decimal_value(), type_.scale(), other.decimal_value(),
                             other.type_.scale());
    case TypeId::kInterval:
      return CompareIntervals(interval_value(), other.interval_value());
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      return CompareChildren(children(), other.children());
    default:
      return std::visit(
          [&other](const auto& left) -> int {
            using T = std::decay_t<decltype(left)>;
            if constexpr (std::is_integral_v<T> || std::is_same_v<T, std::string> ||
                          std::is_same_v<T, types::Uuid>) {
              return CompareOrdered(left, std::get<T>(other.payload_));
            } else {
              return 0;
            }
          },
          payload_);
  }
}

size_t Value::Hash() const {
  size_t hash = std::hash<int>()(static_cast<int>(type_.id()));
  if (is_null()) {
    return CombineHashes(hash, 0x6e756c6cULL);
  }
  switch (type_.id()) {
    case TypeId::kReal:
      return CombineHashes(hash, HashFloat(real_value()));
    case TypeId::kDouble:
      return CombineHashes(hash, HashFloat(double_value()));
    case TypeId::kDecimal:
      return CombineHashes(hash, HashInt128(decimal_value()));
    case TypeId::kInterval: {
      // Equal intervals may differ in their fields ('1 mon' = '30 days'): hash the total span.
      const types::Interval& interval = interval_value();
      Int128 span = Int128{interval.micros} +
                    (Int128{interval.days} + Int128{interval.months} * 30) * kMicrosPerDay;
      return CombineHashes(hash, HashInt128(span));
    }
    case TypeId::kUuid:
      return CombineHashes(hash, std::hash<std::string_view>()(std::string_view(
                                     reinterpret_cast<const char*>(uuid_value().bytes.data()),
                                     uuid_value().bytes.size())));
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      for (const Value& child : children()) {
        hash = CombineHashes(hash, child.Hash());
      }
      return hash;
    default:
      return CombineHashes(
          hash, std::visit(
                    [](const auto& payload) -> size_t {
                      using T = std::decay_t<decltype(payload)>;
                      if constexpr (std::is_integral_v<T> || std::is_same_v<T, std::string>) {
                        return std::hash<T>()(payload);
                      } else {
                        return 0;
                      }
                    },
                    payload_));
  }
}

bool operator==(const Value& a, const Value& b) {
  return a.type_ == b.type_ && a.Compare(b) == 0;
}

}  // namespace floe::types
