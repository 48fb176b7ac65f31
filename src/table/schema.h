#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"
#include "types/value.h"
#include "vector/schema.h"

namespace floe::table {

/// The Iceberg types (spec: "Schemas and Data Types"). The v3 types are parsed and kept so that
/// metadata round-trips; readers refuse them through ToLogicalType().
enum class TypeKind : uint8_t {
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,  // decimal(P,S), P <= 38.
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kTimestampNs,    // v3.
  kTimestampTzNs,  // v3.
  kString,
  kUuid,
  kFixed,  // fixed[L].
  kBinary,
  kUnknown,  // v3: always-null type.
  kVariant,  // v3.
  kStruct,
  kList,
  kMap,
};

struct NestedField;

/// An Iceberg type with its parameters. Nested types own their fields, which carry field ids:
/// a struct has its fields, a list one element field, a map a key then a value field. Cheap to
/// copy: nested parameters are shared and immutable.
class Type {
 public:
  Type() : Type(TypeKind::kBoolean) {}

  /// Returns a type without parameters; `kind` must not be decimal, fixed or nested.
  static Type Primitive(TypeKind kind) { return Type(kind); }
  /// Returns decimal(precision, scale), or InvalidArgument unless 1 <= precision <= 38 and
  /// 0 <= scale <= precision.
  static Result<Type> Decimal(int precision, int scale);
  /// Returns fixed[length], or InvalidArgument unless length > 0.
  static Result<Type> Fixed(int32_t length);
  static Type Struct(std::vector<NestedField> fields);
  /// A list whose element field has `element_id`.
  static Type List(int32_t element_id, Type element, bool is_element_required);
  static Type Map(int32_t key_id, Type key, int32_t value_id, Type value, bool is_value_required);

  /// Parses a primitive type name as written in schema JSON: "int", "decimal(9,2)",
  /// "fixed[16]", "timestamptz_ns". Errors: InvalidArgument naming the text.
  static Result<Type> ParsePrimitive(std::string_view text);

  TypeKind kind() const { return kind_; }
  int precision() const { return precision_; }
  int scale() const { return scale_; }
  int32_t length() const { return length_; }
  bool IsPrimitive() const;
  bool IsNested() const { return !IsPrimitive(); }

  /// The fields of a struct; the element of a list; the key and value of a map.
  const std::vector<NestedField>& fields() const;
  const NestedField& element() const;
  const NestedField& key() const;
  const NestedField& value() const;

  /// Returns the spec's name for primitives ("decimal(9,2)", "fixed[16]"); nested types print
  /// as "struct<1: a: required int>", "list<int>", "map<string, int>" for messages.
  std::string ToString() const;

  friend bool operator==(const Type& a, const Type& b);

 private:
  explicit Type(TypeKind kind) : kind_(kind) {}

  TypeKind kind_;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  int32_t length_ = 0;
  std::shared_ptr<const std::vector<NestedField>> children_;
};

/// One field of a struct, list element or map key/value: an id, a name and a type.
///
/// `initial_default` and `write_default` are v3 fields (spec: "Default values"): a reader must
/// fill `initial_default` for data files written before the field existed, so a reader that
/// cannot do that must refuse the table (see Schema::HasInitialDefaults()).
struct NestedField {
  int32_t id = 0;
  std::string name;
  Type type;
  bool is_required = false;
  std::string doc = {};  // Empty when absent.
  std::optional<types::Value> initial_default = {};
  std::optional<types::Value> write_default = {};

  friend bool operator==(const NestedField& a, const NestedField& b);
};

/// Returns the Floe type values of `type` are read as: int -> integer, long -> bigint,
/// float -> real, string -> varchar, fixed and binary -> bytea, struct/list/map nested alike.
/// Errors: NotSupported naming the type for the v3 types (nanosecond timestamps, unknown,
/// variant).
Result<types::LogicalType> ToLogicalType(const Type& type);

/// Returns the Iceberg type that stores values of the primitive Floe type `type`: smallint and
/// integer -> int, bigint -> long, real -> float, varchar -> string, bytea -> binary, the
/// others alike. Errors: NotSupported naming the type for nested types and for those Iceberg
/// has no type for (interval, unconstrained numeric).
Result<Type> FromLogicalType(const types::LogicalType& type);

/// An Iceberg schema: a struct of fields with unique ids, a schema id and the identifier fields.
/// Immutable once made; lookups by id and by dotted name are precomputed.
class Schema {
 public:
  Schema() = default;

  /// Returns a schema after checking that field ids are positive and unique, that names are
  /// unique within each struct, and that identifier fields exist and are required primitives
  /// (spec: "Identifier Field IDs"). Errors: InvalidArgument naming the field.
  static Result<Schema> Make(int32_t schema_id, std::vector<NestedField> fields,
                             std::vector<int32_t> identifier_field_ids = {});

  int32_t schema_id() const { return schema_id_; }
  const std::vector<NestedField>& fields() const;
  const std::vector<int32_t>& identifier_field_ids() const { return identifier_field_ids_; }
  /// Returns the schema as one struct type.
  Type AsStruct() const { return struct_type_; }

  /// Returns the field with `id` at any depth, or nullptr.
  const NestedField* FindField(int32_t id) const;
  /// Returns the field named by a dotted path ("location.lat"; list elements are "element",
  /// map keys and values "key" and "value"), or nullptr. Case-sensitive.
  const NestedField* FindField(std::string_view dotted_name) const;
  /// Returns the dotted name of the field with `id`, or nullopt.
  std::optional<std::string> FindColumnName(int32_t id) const;
  /// Returns the positions of the struct fields leading to `id` from the top-level struct,
  /// or nullopt when `id` is absent or inside a list or map.
  std::optional<std::vector<int>> FindStructPath(int32_t id) const;
  /// Returns the largest field id at any depth, 0 when empty.
  int32_t HighestFieldId() const { return highest_field_id_; }
  /// True when any field at any depth has an initial-default (a v3 feature).
  bool HasInitialDefaults() const;

  /// Returns the Floe batch schema of the top-level fields (required -> NOT NULL).
  /// Errors: as ToLogicalType().
  Result<vector::Schema> ToFloeSchema() const;
  /// The inverse for primitive columns: schema 0 with the columns of `schema` in order, field
  /// ids from 1, NOT NULL columns required. Errors: as FromLogicalType().
  static Result<Schema> FromFloeSchema(const vector::Schema& schema);

  friend bool operator==(const Schema& a, const Schema& b);

 private:
  struct Index;

  int32_t schema_id_ = 0;
  Type struct_type_ = Type::Struct({});
  std::vector<int32_t> identifier_field_ids_;
  int32_t highest_field_id_ = 0;
  // Lookups point into struct_type_'s shared fields, so copies share them safely.
  std::shared_ptr<const Index> index_;
};

/// Parses a schema object (spec Appendix C: "Schemas"). Errors: Corruption naming the key for
/// malformed JSON, InvalidArgument from Schema::Make.
Result<Schema> SchemaFromJson(std::string_view json);
/// Writes a schema object as Appendix C describes; SchemaFromJson reads it back equal.
std::string SchemaToJson(const Schema& schema);
/// Parses / writes one type in its Appendix C form ("int" or a nested object).
Result<Type> TypeFromJson(std::string_view json);
std::string TypeToJson(const Type& type);

}  // namespace floe::table
