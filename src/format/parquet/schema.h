#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "format/parquet/metadata.h"
#include "types/logical_type.h"
#include "vector/schema.h"

/// The mapping between a Parquet schema (the flattened SchemaElement tree of a footer) and Floe's
/// LogicalTypes, in both directions, with the field ids Iceberg matches columns by. The rules are
/// in docs/formats/parquet.md ("Types").
namespace floe::format::parquet {

/// The field id of one field and of every field nested in it, in the shape of its type: a LIST
/// has one child (the element), a MAP two (key, value), a STRUCT one per field. Scalars have
/// none. A missing id is nullopt (files written without Iceberg).
struct FieldIds {
  std::optional<int32_t> id;
  std::vector<FieldIds> children;
  friend bool operator==(const FieldIds&, const FieldIds&) = default;
};

/// How a leaf's stored (physical) values become the values of its Floe type.
enum class ValueConversion : uint8_t {
  kNone,                 // Same bits: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, strings, UUID.
  kInt32ToSmallInt,      // INT(8/16, signed) and UINT(8) in INT32.
  kUint32ToBigInt,       // UINT(32): zero-extended.
  kInt32ToBigInt,        // DECIMAL in INT32 stored as int64.
  kUint64ToDecimal,      // UINT(64) -> DECIMAL(20,0) as Int128.
  kInt32MillisToMicros,  // TIME(MILLIS) in INT32 -> int64 micros.
  kMillisToMicros,       // INT64 TIME/TIMESTAMP in milliseconds.
  kNanosToMicros,        // INT64 TIME/TIMESTAMP in nanoseconds, truncated toward the past.
  kInt96ToMicros,        // INT96 Julian day + nanoseconds of day -> TIMESTAMP micros.
  kBinaryToDecimal,      // Big-endian two's complement in BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY.
  kInt64ToDecimal128,    // DECIMAL in INT64 read into an Int128 (precision > 18).
  kFloat16ToReal,        // FIXED_LEN_BYTE_ARRAY(2) FLOAT16 -> float.
  kIntervalToInterval,   // FIXED_LEN_BYTE_ARRAY(12) INTERVAL: months, days, milliseconds.
};

/// One leaf (primitive) column of a file, in the order the row groups list column chunks.
struct ColumnDescriptor {
  int32_t column_index = 0;       // Position among the leaves and in RowGroup::columns.
  int32_t schema_index = 0;       // Position of the leaf in FileMetaData::schema.
  std::vector<std::string> path;  // path_in_schema: names from the root's child to the leaf.
  PhysicalType physical_type = PhysicalType::kBoolean;
  int32_t type_length = 0;  // Bytes of a FIXED_LEN_BYTE_ARRAY, else 0.
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  types::LogicalType type;  // Floe type of the leaf's values.
  ValueConversion conversion = ValueConversion::kNone;
  /// True when the min/max statistics of this column order as the spec's "signed" order, so the
  /// deprecated Statistics.min/max fields are valid for it too.
  bool has_signed_order = false;
  /// True when min_value/max_value order matches Floe's order of `type` (false for INT96,
  /// INTERVAL-like and unsigned-compare cases Floe cannot use for pruning).
  bool has_usable_statistics = false;
  std::optional<int32_t> field_id;

  /// Returns the dotted path ("a.list.element") for messages.
  std::string PathString() const;
};

/// Which shape a node of the mapped schema tree has.
enum class NodeKind : uint8_t { kLeaf, kStruct, kList, kMap };

/// One field of the mapped schema tree: a top-level column or a field nested in one.
///
/// Levels follow the Dremel encoding the spec describes: `definition_level` is the definition
/// level at which this field's value is present (not NULL); a LIST or MAP also records the
/// repetition level of its repeated group (`repetition_level`) and the definition level at
/// which it holds at least one element (`element_definition_level`). A LIST's child is the
/// element, a MAP's children are key and value, a STRUCT's its fields.
struct SchemaNode {
  NodeKind kind = NodeKind::kLeaf;
  std::string name;
  std::optional<int32_t> field_id;
  types::LogicalType type;
  bool is_nullable = true;
  int16_t definition_level = 0;
  int16_t repetition_level = 0;
  int16_t element_definition_level = 0;
  int32_t leaf_index = -1;  // Leaves: the ColumnDescriptor's column_index.
  std::vector<SchemaNode> children;

  /// Returns the index of the first leaf under this node (itself for a leaf).
  int32_t FirstLeaf() const;
};

/// The Floe view of a Parquet file's schema: top-level fields as a vector::Schema, their trees
/// with levels and field ids, and the leaf columns. Immutable; cheap to share.
class FileSchema {
 public:
  /// Maps the schema of `metadata`. `file_path` only names the file in errors: Corruption for a
  /// malformed tree (children counts past the end, a group without children, a leaf without
  /// type, repetition on the root), NotSupported naming column and construct for types Floe
  /// cannot represent (unknown logical types, decimals wider than 38 digits, a MAP without
  /// values).
  static Result<FileSchema> Make(const FileMetaData& metadata, std::string_view file_path = {});

  const vector::Schema& schema() const { return schema_; }
  /// Returns the tree of each top-level field, in schema order.
  const std::vector<SchemaNode>& fields() const { return fields_; }
  /// Returns every leaf column, in column chunk order.
  const std::vector<ColumnDescriptor>& columns() const { return columns_; }
  /// Returns the field ids of each top-level field, in the shape of its type.
  std::vector<FieldIds> field_ids() const;

  /// Returns the index of the top-level field with this id or this name, or nullopt.
  std::optional<int64_t> FieldIndexById(int32_t field_id) const;
  std::optional<int64_t> FieldIndexByName(std::string_view name) const;

 private:
  vector::Schema schema_;
  std::vector<SchemaNode> fields_;
  std::vector<ColumnDescriptor> columns_;
};

/// Returns the Floe schema of a file's top-level fields (see FileSchema::Make for errors).
Result<vector::Schema> ToFloeSchema(const FileMetaData& metadata);

/// Returns the bytes of the smallest FIXED_LEN_BYTE_ARRAY holding every DECIMAL(precision, s)
/// value in two's complement (precision 1 to 38).
int32_t DecimalByteWidth(int precision);

/// Returns the Parquet schema (root first, depth-first, as FileMetaData::schema holds it) that
/// stores `schema`, with `field_ids` (one per field, or empty for none) written as field_id.
/// Uses the spec's current forms: three-level LIST ("list"/"element"), MAP with a repeated
/// "key_value" group of a required "key" and a "value", LogicalType annotations plus the
/// matching ConvertedType for old readers; TIME and TIMESTAMP in INT64 microseconds (TIMESTAMPTZ
/// with isAdjustedToUTC), DECIMAL in INT32 (p <= 9), INT64 (p <= 18) or the smallest
/// FIXED_LEN_BYTE_ARRAY, UUID in FIXED_LEN_BYTE_ARRAY(16), SMALLINT as INT(16) in INT32.
/// NotSupported for INTERVAL and NULL types; InvalidArgument when field_ids does not match.
Result<std::vector<SchemaElement>> ToParquetSchema(const vector::Schema& schema,
                                                   std::span<const FieldIds> field_ids = {});

}  // namespace floe::format::parquet
