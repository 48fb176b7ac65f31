#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "table/schema.h"
#include "types/value.h"

namespace floe::table {

/// Encodes a non-NULL value of Iceberg type `type` with the spec's single-value binary
/// serialization (Appendix D), as used for lower and upper bounds in manifests: little-endian
/// ints, longs, floats and doubles; days and microseconds as int and long; UTF-8 strings;
/// 16 big-endian UUID bytes; raw fixed and binary bytes; decimals as the minimal big-endian
/// two's-complement unscaled integer. `value` is of the Floe type ToLogicalType(type) gives.
/// Errors: InvalidArgument for a NULL or mismatched value, NotSupported for nested types.
Result<std::string> SerializeValue(const Type& type, const types::Value& value);

/// Decodes Appendix D bytes into a value of Iceberg type `type`. Following the spec's type
/// promotion rules, 4 bytes are accepted for long (an int bound) and for double (a float
/// bound). Errors: Corruption when the length does not fit the type (naming it), NotSupported
/// for nested types and v3 types Floe cannot hold.
Result<types::Value> DeserializeValue(const Type& type, std::string_view bytes);

/// Writes a value in the spec's JSON single-value serialization (Appendix "JSON single-value
/// serialization"), as used for default values: numbers, strings for dates ("2017-11-16"),
/// times, timestamps ("2017-11-16T22:31:08.123456", "+00:00" for tz), decimals ("14.20"),
/// UUIDs, fixed and binary as hex, structs as objects keyed by field id, lists as arrays, maps
/// as {"keys": [...], "values": [...]}. A NULL writes `null`.
Result<std::string> ValueToJson(const Type& type, const types::Value& value);

/// Parses a JSON single-value serialization of type `type`. Errors: Corruption naming the
/// expected type when the JSON does not match it.
Result<types::Value> ValueFromJson(const Type& type, std::string_view json);

}  // namespace floe::table
