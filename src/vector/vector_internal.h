#pragma once

#include <cstdint>
#include <vector>

#include "types/logical_type.h"

namespace floe::vector::internal {

/// The shape of a type's buffers, which is all that builders, slicing and gathering look at.
enum class PhysicalKind : uint8_t {
  kNull,    // Validity only.
  kBits,    // BOOLEAN: bit-packed values.
  kFixed,   // PhysicalWidth() bytes per row.
  kString,  // Int32 offsets + bytes.
  kList,    // Int32 offsets + one child (LIST, MAP).
  kStruct,  // One child per field.
};

/// Returns the buffer shape of `type`.
PhysicalKind PhysicalKindOf(const types::LogicalType& type);

/// Returns the types of the children of a flat vector of `type`: LIST its element, MAP a STRUCT
/// of "key" and "value", STRUCT its fields; none for other types.
std::vector<types::LogicalType> ChildTypesOf(const types::LogicalType& type);

/// Largest offset an int32 offsets buffer can hold.
inline constexpr int64_t kMaxOffset = INT32_MAX;

}  // namespace floe::vector::internal
