#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "types/fwd.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::server::pgwire {

/// PostgreSQL type OIDs (pg_type.oid) of the types Floe sends.
namespace oid {
inline constexpr int32_t kUnspecified = 0;
inline constexpr int32_t kBool = 16;
inline constexpr int32_t kBytea = 17;
inline constexpr int32_t kInt8 = 20;
inline constexpr int32_t kInt2 = 21;
inline constexpr int32_t kInt4 = 23;
inline constexpr int32_t kText = 25;
inline constexpr int32_t kFloat4 = 700;
inline constexpr int32_t kFloat8 = 701;
inline constexpr int32_t kUnknown = 705;
inline constexpr int32_t kVarchar = 1043;
inline constexpr int32_t kDate = 1082;
inline constexpr int32_t kTime = 1083;
inline constexpr int32_t kTimestamp = 1114;
inline constexpr int32_t kTimestampTz = 1184;
inline constexpr int32_t kInterval = 1186;
inline constexpr int32_t kNumeric = 1700;
inline constexpr int32_t kRecord = 2249;
inline constexpr int32_t kUuid = 2950;
}  // namespace oid

/// Returns the OID a column of `type` is described with in RowDescription: its PostgreSQL
/// type, the array type for a LIST of scalars, `record` for a STRUCT and `text` for a MAP.
int32_t TypeOidOf(const types::LogicalType& type);
/// Returns pg_type.typlen: the fixed size in bytes, or -1 for variable-length types.
int16_t TypeSizeOf(const types::LogicalType& type);
/// Returns the type modifier (atttypmod): ((precision << 16) | scale) + 4 for NUMERIC, else -1.
int32_t TypeModifierOf(const types::LogicalType& type);
/// Returns the Floe type of a parameter declared with `type_oid`, or NotSupported; 0 (and
/// unknown) mean "infer", returned as the NULL type.
Result<types::LogicalType> LogicalTypeOfOid(int32_t type_oid);

/// Returns a non-NULL value in PostgreSQL's text format, TIMESTAMPTZ in the session's `zone`
/// (UTC for the overload without one).
std::string EncodeText(const types::Value& value, const types::TimeZone& zone);
std::string EncodeText(const types::Value& value);
/// Returns a non-NULL value in PostgreSQL's binary format for its type (the one TypeOidOf
/// names); NotSupported for nested values other than one-dimensional arrays.
Result<std::string> EncodeBinary(const types::Value& value);
/// Decodes a parameter sent in binary for a parameter of `type`; InvalidArgument (22P03,
/// invalid_binary_representation) when the bytes do not fit the type.
Result<types::Value> DecodeBinary(const types::LogicalType& type, std::string_view bytes);

}  // namespace floe::server::pgwire
