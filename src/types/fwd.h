#pragma once

#include <cstdint>

/// Forward declarations of the types layer, for headers that only name its types.
namespace floe::types {

enum class TypeId : uint8_t;
class LogicalType;
struct StructField;
struct Interval;
struct Uuid;
class Value;
class TimeZone;

}  // namespace floe::types
