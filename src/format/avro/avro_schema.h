#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe::format::avro {

/// The Avro types (Apache Avro specification, "Schema Declaration").
enum class AvroType : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

/// Returns the type's name as Avro schemas spell it ("long", "record").
std::string_view AvroTypeName(AvroType type);

/// Attributes beyond those Avro defines, as name and JSON text, in the order written. Iceberg
/// relies on "field-id" (on record fields), "element-id" (on arrays) and "key-id" / "value-id"
/// (on maps) to resolve columns by id rather than by name.
using AvroAttributes = std::vector<std::pair<std::string, std::string>>;

/// Returns the integer value of attribute `name`, or nothing when it is absent or not an integer.
std::optional<int32_t> IntAttribute(const AvroAttributes& attributes, std::string_view name);
/// Sets attribute `name` to the integer `value`, replacing an earlier value.
void SetIntAttribute(AvroAttributes& attributes, std::string_view name, int32_t value);

/// Describes one field of a record; its type is the record node's child at the same index.
struct AvroField {
  std::string name;
  std::string doc;
  /// The default as JSON text, or empty when the field has none.
  std::string default_json;
  AvroAttributes attributes;

  std::optional<int32_t> field_id() const { return IntAttribute(attributes, "field-id"); }
};

/// One node of an Avro schema: a primitive, or a named or nested type with its children.
///
/// Children hold record field types (one per field), the array item type, the map value type,
/// or the union branches. Named types referenced again by name are expanded into copies, so a
/// schema is a tree; recursive schemas are NotSupported. A value type: cheap enough to copy for
/// the schemas Floe writes, immutable once built.
struct AvroSchema {
  AvroType type = AvroType::kNull;
  /// Full name of a record, enum or fixed ("namespace.name" when a namespace applies).
  std::string name;
  std::string doc;
  /// The "logicalType" attribute, empty when absent ("map" marks Iceberg's int-keyed maps).
  std::string logical_type;
  std::vector<AvroField> fields;
  std::vector<std::string> symbols;
  int32_t fixed_size = 0;
  std::vector<AvroSchema> children;
  /// Attributes of the node other than those above ("element-id", "key-id", "value-id").
  AvroAttributes attributes;

  static AvroSchema Primitive(AvroType type);
  /// Returns a union of "null" and `value`, in that order, as Iceberg writes optional fields.
  static AvroSchema Optional(AvroSchema value);
  static AvroSchema Array(AvroSchema items);
  static AvroSchema Map(AvroSchema values);
  static AvroSchema Record(std::string name);
  static AvroSchema Fixed(std::string name, int32_t size);

  /// Appends a field to a record; returns it so callers may add attributes.
  AvroField& AddField(std::string field_name, AvroSchema field_type);

  /// Returns the index of the field named `field_name`, or -1.
  int FieldIndex(std::string_view field_name) const;
  /// For a union of null and one other type: the index of the other branch, else -1.
  int OptionalBranch() const;
  /// Returns whether a value of this type encodes to zero bytes (null, empty records...).
  bool IsZeroWidth() const;
};

/// Parses an Avro schema from its JSON text. Errors are Corruption ("invalid Avro schema: ...");
/// nesting deeper than 64 levels is Corruption too, so hostile schemas cannot exhaust the stack.
Result<AvroSchema> ParseAvroSchema(std::string_view json);

/// Returns the schema as JSON text, with every attribute, in the form ParseAvroSchema reads.
std::string AvroSchemaToJson(const AvroSchema& schema);

}  // namespace floe::format::avro
