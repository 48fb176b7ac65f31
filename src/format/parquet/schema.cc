#include "format/parquet/schema.h"

#include <utility>

#include "types/decimal.h"

namespace floe::format::parquet {
namespace {

using types::LogicalType;

// Deeper trees are not written by any engine; the bound keeps recursion safe on hostile input.
constexpr int kMaxDepth = 64;

// Leaf type and conversion for a primitive SchemaElement.
struct LeafMapping {
  LogicalType type;
  ValueConversion conversion = ValueConversion::kNone;
  bool has_signed_order = false;
  bool has_usable_statistics = true;
};

// Walks the flattened tree: the children of element i follow it depth-first.
class TreeMapper {
 public:
  TreeMapper(const FileMetaData& metadata, std::string_view file_path)
      : elements_(metadata.schema), file_path_(file_path) {}

  Status Run(vector::Schema& schema, std::vector<SchemaNode>& fields,
             std::vector<ColumnDescriptor>& columns);

 private:
  Status BuildChildren();
  Result<size_t> BuildSubtree(size_t index, int depth);
  Result<SchemaNode> MapField(size_t index, int16_t parent_definition, int16_t parent_repetition,
                              std::vector<std::string> path);
  Result<SchemaNode> MapRequiredRepeated(size_t index, int16_t definition, int16_t repetition,
                                         std::vector<std::string> path);
  Result<SchemaNode> MapGroupOrLeaf(size_t index, int16_t definition, int16_t repetition,
                                    std::vector<std::string> path);
  Result<SchemaNode> MapList(size_t index, SchemaNode node, std::vector<std::string> path);
  Result<SchemaNode> MapMap(size_t index, SchemaNode node, std::vector<std::string> path);
  Result<SchemaNode> MapStruct(size_t index, SchemaNode node, std::vector<std::string> path);
  Result<SchemaNode> MapLeaf(size_t index, SchemaNode node, std::vector<std::string> path);
  Result<LeafMapping> MapLeafType(const SchemaElement& element, const std::string& path);
  bool IsListAnnotated(const SchemaElement& element) const;
  bool IsMapAnnotated(const SchemaElement& element) const;
  Status Corrupt(std::string_view what, const std::string& path) const {
    return Status::Corruption("Parquet file {}: column {}: {}", file_path_, path, what);
  }
  Status Unsupported(std::string_view what, const std::string& path) const {
    return Status::NotSupported("Parquet file {}: column {}: {}", file_path_, path, what);
  }

  const std::vector<SchemaElement>& elements_;
  std::string_view file_path_;
  std::vector<std::vector<size_t>> children_;
  std::vector<ColumnDescriptor>* columns_ = nullptr;
};

std::string JoinPath(const std::vector<std::string>& path) {
  std::string text;
  for (const std::string& part : path) {
    if (!text.empty()) {
      text += '.';
    }
    text += part;
  }
  return text;
}

bool IsRepeated(const SchemaElement& element) {
  return element.repetition_type == FieldRepetitionType::kRepeated;
}

bool IsGroup(const SchemaElement& element) {
  return element.num_children.has_value() && *element.num_children > 0;
}

Status TreeMapper::BuildChildren() {
  children_.assign(elements_.size(), {});
  FLOE_ASSIGN_OR_RETURN(size_t end, BuildSubtree(0, 0));
  if (end != elements_.size()) {
    return Corrupt(
        fmt::format("schema has {} elements but the tree ends after {}", elements_.size(), end),
        "<root>");
  }
  return Status::OK();
}

Result<size_t> TreeMapper::BuildSubtree(size_t index, int depth) {
  const SchemaElement& element = elements_[index];
  if (depth > kMaxDepth) {
    return Corrupt("schema nests deeper than 64 levels", element.name);
  }
  int64_t count = element.num_children.value_or(0);
  if (count < 0 || static_cast<uint64_t>(count) > elements_.size() - index - 1) {
    return Corrupt(fmt::format("num_children {} runs past the end of the schema", count),
                   element.name);
  }
  size_t next = index + 1;
  for (int64_t i = 0; i < count; ++i) {
    if (next >= elements_.size()) {
      return Corrupt("children run past the end of the schema", element.name);
    }
    children_[index].push_back(next);
    FLOE_ASSIGN_OR_RETURN(next, BuildSubtree(next, depth + 1));
  }
  return next;
}

Status TreeMapper::Run(vector::Schema& schema, std::vector<SchemaNode>& fields,
                       std::vector<ColumnDescriptor>& columns) {
  if (elements_.empty()) {
    return Corrupt("schema is empty", "<root>");
  }
  if (!IsGroup(elements_[0])) {
    return Corrupt("root of the schema is not a group", "<root>");
  }
  FLOE_RETURN_NOT_OK(BuildChildren());
  columns_ = &columns;
  std::vector<vector::Field> floe_fields;
  for (size_t child : children_[0]) {
    FLOE_ASSIGN_OR_RETURN(SchemaNode node, MapField(child, 0, 0, {}));
    floe_fields.push_back({.name = node.name, .type = node.type, .is_nullable = node.is_nullable});
    fields.push_back(std::move(node));
  }
  schema = vector::Schema(std::move(floe_fields));
  return Status::OK();
}

bool TreeMapper::IsListAnnotated(const SchemaElement& element) const {
  return (element.logical_type && element.logical_type->kind == LogicalTypeKind::kList) ||
         element.converted_type == ConvertedType::kList;
}

bool TreeMapper::IsMapAnnotated(const SchemaElement& element) const {
  return (element.logical_type && element.logical_type->kind == LogicalTypeKind::kMap) ||
         element.converted_type == ConvertedType::kMap ||
         element.converted_type == ConvertedType::kMapKeyValue;
}

Result<SchemaNode> TreeMapper::MapField(size_t index, int16_t parent_definition,
                                        int16_t parent_repetition, std::vector<std::string> path) {
  const SchemaElement& element = elements_[index];
  path.push_back(element.name);
  if (IsRepeated(element)) {
    // LogicalTypes.md, backward compatibility: a repeated field outside a LIST or MAP is a
    // required list of required elements of the field's type.
    SchemaNode list;
    list.kind = NodeKind::kList;
    list.name = element.name;
    list.field_id = element.field_id;
    list.is_nullable = false;
    list.definition_level = parent_definition;
    list.repetition_level = static_cast<int16_t>(parent_repetition + 1);
    list.element_definition_level = static_cast<int16_t>(parent_definition + 1);
    FLOE_ASSIGN_OR_RETURN(SchemaNode item, MapRequiredRepeated(index, list.element_definition_level,
                                                               list.repetition_level, path));
    list.type = LogicalType::List(item.type);
    list.children.push_back(std::move(item));
    return list;
  }
  bool is_optional = element.repetition_type != FieldRepetitionType::kRequired;
  int16_t definition = static_cast<int16_t>(parent_definition + (is_optional ? 1 : 0));
  FLOE_ASSIGN_OR_RETURN(SchemaNode node,
                        MapGroupOrLeaf(index, definition, parent_repetition, std::move(path)));
  node.is_nullable = is_optional;
  return node;
}

// Maps a repeated element as a required value at the levels of its repetition.
Result<SchemaNode> TreeMapper::MapRequiredRepeated(size_t index, int16_t definition,
                                                   int16_t repetition,
                                                   std::vector<std::string> path) {
  FLOE_ASSIGN_OR_RETURN(SchemaNode node,
                        MapGroupOrLeaf(index, definition, repetition, std::move(path)));
  node.is_nullable = false;
  return node;
}

Result<SchemaNode> TreeMapper::MapGroupOrLeaf(size_t index, int16_t definition, int16_t repetition,
                                              std::vector<std::string> path) {
  const SchemaElement& element = elements_[index];
  SchemaNode node;
  node.name = element.name;
  node.field_id = element.field_id;
  node.definition_level = definition;
  node.repetition_level = repetition;
  if (!IsGroup(element)) {
    if (!element.type.has_value()) {
      return Corrupt("group has no children", JoinPath(path));
    }
    return MapLeaf(index, std::move(node), std::move(path));
  }
  if (IsListAnnotated(element)) {
    return MapList(index, std::move(node), std::move(path));
  }
  if (IsMapAnnotated(element)) {
    return MapMap(index, std::move(node), std::move(path));
  }
  return MapStruct(index, std::move(node), std::move(path));
}

Result<SchemaNode> TreeMapper::MapList(size_t index, SchemaNode node,
                                       std::vector<std::string> path) {
  const SchemaElement& element = elements_[index];
  const std::vector<size_t>& children = children_[index];
  if (children.size() != 1 || !IsRepeated(elements_[children[0]])) {
    return Corrupt("LIST group must have exactly one repeated child", JoinPath(path));
  }
  size_t repeated_index = children[0];
  const SchemaElement& repeated = elements_[repeated_index];
  node.kind = NodeKind::kList;
  node.repetition_level = static_cast<int16_t>(node.repetition_level + 1);
  node.element_definition_level = static_cast<int16_t>(node.definition_level + 1);
  std::vector<std::string> repeated_path = path;
  repeated_path.push_back(repeated.name);
  const std::vector<size_t>& grandchildren = children_[repeated_index];
  // LogicalTypes.md, "Lists", backward-compatibility rules 1 to 3: in these two-level layouts
  // the repeated field itself is the (required) element.
  bool is_two_level = !IsGroup(repeated) || grandchildren.size() > 1 || repeated.name == "array" ||
                      repeated.name == element.name + "_tuple";
  SchemaNode item;
  if (is_two_level) {
    FLOE_ASSIGN_OR_RETURN(item, MapRequiredRepeated(repeated_index, node.element_definition_level,
                                                    node.repetition_level, repeated_path));
  } else {
    FLOE_ASSIGN_OR_RETURN(item, MapField(grandchildren[0], node.element_definition_level,
                                         node.repetition_level, repeated_path));
  }
  node.type = LogicalType::List(item.type);
  node.children.push_back(std::move(item));
  return node;
}

Result<SchemaNode> TreeMapper::MapMap(size_t index, SchemaNode node,
                                      std::vector<std::string> path) {
  const std::vector<size_t>& children = children_[index];
  std::string path_text = JoinPath(path);
  if (children.size() != 1 || !IsRepeated(elements_[children[0]]) ||
      !IsGroup(elements_[children[0]])) {
    return Corrupt("MAP group must have exactly one repeated group child", path_text);
  }
  size_t entries_index = children[0];
  const std::vector<size_t>& entries = children_[entries_index];
  if (entries.size() != 2) {
    return Unsupported(
        fmt::format("MAP entries must have a key and a value, found {} fields", entries.size()),
        path_text);
  }
  if (IsRepeated(elements_[entries[0]]) || IsRepeated(elements_[entries[1]])) {
    return Corrupt("MAP key or value is repeated", path_text);
  }
  node.kind = NodeKind::kMap;
  node.repetition_level = static_cast<int16_t>(node.repetition_level + 1);
  node.element_definition_level = static_cast<int16_t>(node.definition_level + 1);
  path.push_back(elements_[entries_index].name);
  FLOE_ASSIGN_OR_RETURN(SchemaNode key, MapField(entries[0], node.element_definition_level,
                                                 node.repetition_level, path));
  FLOE_ASSIGN_OR_RETURN(SchemaNode value, MapField(entries[1], node.element_definition_level,
                                                   node.repetition_level, path));
  node.type = LogicalType::Map(key.type, value.type);
  node.children.push_back(std::move(key));
  node.children.push_back(std::move(value));
  return node;
}

Result<SchemaNode> TreeMapper::MapStruct(size_t index, SchemaNode node,
                                         std::vector<std::string> path) {
  node.kind = NodeKind::kStruct;
  std::vector<types::StructField> fields;
  for (size_t child : children_[index]) {
    FLOE_ASSIGN_OR_RETURN(SchemaNode field,
                          MapField(child, node.definition_level, node.repetition_level, path));
    for (const types::StructField& existing : fields) {
      if (existing.name == field.name) {
        return Unsupported(fmt::format("duplicate struct field name \"{}\"", field.name),
                           JoinPath(path));
      }
    }
    fields.push_back({.name = field.name, .type = std::make_shared<LogicalType>(field.type)});
    node.children.push_back(std::move(field));
  }
  node.type = LogicalType::Struct(std::move(fields));
  return node;
}

Result<SchemaNode> TreeMapper::MapLeaf(size_t index, SchemaNode node,
                                       std::vector<std::string> path) {
  const SchemaElement& element = elements_[index];
  std::string path_text = JoinPath(path);
  FLOE_ASSIGN_OR_RETURN(LeafMapping mapping, MapLeafType(element, path_text));
  ColumnDescriptor column;
  column.column_index = static_cast<int32_t>(columns_->size());
  column.schema_index = static_cast<int32_t>(index);
  column.path = std::move(path);
  column.physical_type = *element.type;
  column.type_length = element.type_length.value_or(0);
  column.max_definition_level = node.definition_level;
  column.max_repetition_level = node.repetition_level;
  column.type = mapping.type;
  column.conversion = mapping.conversion;
  column.has_signed_order = mapping.has_signed_order;
  column.has_usable_statistics = mapping.has_usable_statistics;
  column.field_id = element.field_id;
  node.kind = NodeKind::kLeaf;
  node.type = mapping.type;
  node.leaf_index = column.column_index;
  columns_->push_back(std::move(column));
  return node;
}

// The spec's LogicalType, or the equivalent derived from a legacy ConvertedType.
std::optional<parquet::LogicalType> EffectiveLogicalType(const SchemaElement& element) {
  if (element.logical_type.has_value()) {
    return element.logical_type;
  }
  if (!element.converted_type.has_value()) {
    return std::nullopt;
  }
  parquet::LogicalType logical;
  auto integer = [&](int8_t bits, bool is_signed) {
    logical.kind = LogicalTypeKind::kInteger;
    logical.bit_width = bits;
    logical.is_signed = is_signed;
  };
  auto temporal = [&](LogicalTypeKind kind, TimeUnit unit) {
    logical.kind = kind;
    logical.unit = unit;
    // LogicalTypes.md: the legacy TIME_* and TIMESTAMP_* types are UTC-adjusted.
    logical.is_adjusted_to_utc = true;
  };
  switch (*element.converted_type) {
    case ConvertedType::kUtf8:
      logical.kind = LogicalTypeKind::kString;
      break;
    case ConvertedType::kEnum:
      logical.kind = LogicalTypeKind::kEnum;
      break;
    case ConvertedType::kJson:
      logical.kind = LogicalTypeKind::kJson;
      break;
    case ConvertedType::kBson:
      logical.kind = LogicalTypeKind::kBson;
      break;
    case ConvertedType::kDate:
      logical.kind = LogicalTypeKind::kDate;
      break;
    case ConvertedType::kDecimal:
      logical.kind = LogicalTypeKind::kDecimal;
      logical.precision = element.precision.value_or(0);
      logical.scale = element.scale.value_or(0);
      break;
    case ConvertedType::kTimeMillis:
      temporal(LogicalTypeKind::kTime, TimeUnit::kMillis);
      break;
    case ConvertedType::kTimeMicros:
      temporal(LogicalTypeKind::kTime, TimeUnit::kMicros);
      break;
    case ConvertedType::kTimestampMillis:
      temporal(LogicalTypeKind::kTimestamp, TimeUnit::kMillis);
      break;
    case ConvertedType::kTimestampMicros:
      temporal(LogicalTypeKind::kTimestamp, TimeUnit::kMicros);
      break;
    case ConvertedType::kInt8:
      integer(8, true);
      break;
    case ConvertedType::kInt16:
      integer(16, true);
      break;
    case ConvertedType::kInt32:
      integer(32, true);
      break;
    case ConvertedType::kInt64:
      integer(64, true);
      break;
    case ConvertedType::kUint8:
      integer(8, false);
      break;
    case ConvertedType::kUint16:
      integer(16, false);
      break;
    case ConvertedType::kUint32:
      integer(32, false);
      break;
    case ConvertedType::kUint64:
      integer(64, false);
      break;
    default:
      return std::nullopt;
  }
  return logical;
}

ValueConversion UnitConversion(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return ValueConversion::kMillisToMicros;
    case TimeUnit::kNanos:
      return ValueConversion::kNanosToMicros;
    case TimeUnit::kMicros:
      break;
  }
  return ValueConversion::kNone;
}

Result<LeafMapping> MapInteger(PhysicalType physical, const parquet::LogicalType& logical) {
  bool is_int32 = physical == PhysicalType::kInt32;
  if (logical.is_signed) {
    if (logical.bit_width <= 16 && is_int32) {
      return LeafMapping{LogicalType::SmallInt(), ValueConversion::kInt32ToSmallInt, true};
    }
    return LeafMapping{is_int32 ? LogicalType::Integer() : LogicalType::BigInt(),
                       ValueConversion::kNone, true};
  }
  if (is_int32) {
    if (logical.bit_width <= 8) {
      return LeafMapping{LogicalType::SmallInt(), ValueConversion::kInt32ToSmallInt};
    }
    if (logical.bit_width <= 16) {
      return LeafMapping{LogicalType::Integer()};
    }
    return LeafMapping{LogicalType::BigInt(), ValueConversion::kUint32ToBigInt};
  }
  if (logical.bit_width < 64) {
    return LeafMapping{LogicalType::BigInt()};
  }
  FLOE_ASSIGN_OR_RETURN(LogicalType decimal, LogicalType::Decimal(20, 0));
  return LeafMapping{decimal, ValueConversion::kUint64ToDecimal};
}

Result<LeafMapping> TreeMapper::MapLeafType(const SchemaElement& element, const std::string& path) {
  PhysicalType physical = *element.type;
  std::optional<parquet::LogicalType> logical = EffectiveLogicalType(element);
  if (logical.has_value() && logical->kind == LogicalTypeKind::kDecimal) {
    int precision = logical->precision;
    int scale = logical->scale;
    if (precision > LogicalType::kMaxDecimalPrecision) {
      return Unsupported(fmt::format("DECIMAL({},{}) is wider than 38 digits", precision, scale),
                         path);
    }
    auto decimal = LogicalType::Decimal(precision, scale);
    if (!decimal.ok()) {
      return Corrupt(fmt::format("invalid DECIMAL({},{})", precision, scale), path);
    }
    bool is_wide = precision > LogicalType::kMaxInt64DecimalPrecision;
    LeafMapping mapping{*decimal, ValueConversion::kNone, true};
    switch (physical) {
      case PhysicalType::kInt32:
        mapping.conversion = is_wide ? ValueConversion::kNone : ValueConversion::kInt32ToBigInt;
        if (is_wide) {
          return Corrupt("DECIMAL wider than 9 digits stored in INT32", path);
        }
        return mapping;
      case PhysicalType::kInt64:
        mapping.conversion = is_wide ? ValueConversion::kInt64ToDecimal128 : ValueConversion::kNone;
        return mapping;
      case PhysicalType::kFixedLenByteArray:
      case PhysicalType::kByteArray:
        mapping.conversion = ValueConversion::kBinaryToDecimal;
        return mapping;
      default:
        return Unsupported("DECIMAL on this physical type", path);
    }
  }
  LogicalTypeKind kind = logical.has_value() ? logical->kind : LogicalTypeKind::kUnknown;
  switch (physical) {
    case PhysicalType::kBoolean:
      return LeafMapping{LogicalType::Boolean(), ValueConversion::kNone, true};
    case PhysicalType::kInt32:
      if (kind == LogicalTypeKind::kInteger) {
        return MapInteger(physical, *logical);
      }
      if (kind == LogicalTypeKind::kDate) {
        return LeafMapping{LogicalType::Date(), ValueConversion::kNone, true};
      }
      if (kind == LogicalTypeKind::kTime) {
        return LeafMapping{LogicalType::Time(), ValueConversion::kInt32MillisToMicros, true};
      }
      return LeafMapping{LogicalType::Integer(), ValueConversion::kNone, true};
    case PhysicalType::kInt64:
      if (kind == LogicalTypeKind::kInteger) {
        return MapInteger(physical, *logical);
      }
      if (kind == LogicalTypeKind::kTime) {
        return LeafMapping{LogicalType::Time(), UnitConversion(logical->unit), true};
      }
      if (kind == LogicalTypeKind::kTimestamp) {
        return LeafMapping{
            logical->is_adjusted_to_utc ? LogicalType::TimestampTz() : LogicalType::Timestamp(),
            UnitConversion(logical->unit), true};
      }
      return LeafMapping{LogicalType::BigInt(), ValueConversion::kNone, true};
    case PhysicalType::kInt96:
      return LeafMapping{LogicalType::Timestamp(), ValueConversion::kInt96ToMicros, false, false};
    case PhysicalType::kFloat:
      return LeafMapping{LogicalType::Real(), ValueConversion::kNone, true};
    case PhysicalType::kDouble:
      return LeafMapping{LogicalType::Double(), ValueConversion::kNone, true};
    case PhysicalType::kByteArray:
      if (kind == LogicalTypeKind::kString || kind == LogicalTypeKind::kEnum ||
          kind == LogicalTypeKind::kJson) {
        return LeafMapping{LogicalType::Varchar()};
      }
      return LeafMapping{LogicalType::Bytea()};
    case PhysicalType::kFixedLenByteArray: {
      int32_t length = element.type_length.value_or(-1);
      if (length < 0) {
        return Corrupt("FIXED_LEN_BYTE_ARRAY without a valid type_length", path);
      }
      if (kind == LogicalTypeKind::kUuid) {
        if (length != 16) {
          return Corrupt(fmt::format("UUID of {} bytes", length), path);
        }
        return LeafMapping{LogicalType::Uuid()};
      }
      if (kind == LogicalTypeKind::kFloat16) {
        if (length != 2) {
          return Corrupt(fmt::format("FLOAT16 of {} bytes", length), path);
        }
        return LeafMapping{LogicalType::Real(), ValueConversion::kFloat16ToReal, false, false};
      }
      if (element.converted_type == ConvertedType::kInterval) {
        if (length != 12) {
          return Corrupt(fmt::format("INTERVAL of {} bytes", length), path);
        }
        return LeafMapping{LogicalType::Interval(), ValueConversion::kIntervalToInterval, false,
                           false};
      }
      return LeafMapping{LogicalType::Bytea()};
    }
  }
  return Unsupported(fmt::format("physical type {}", static_cast<int>(physical)), path);
}

void CollectFieldIds(const SchemaNode& node, FieldIds& ids) {
  ids.id = node.field_id;
  for (const SchemaNode& child : node.children) {
    CollectFieldIds(child, ids.children.emplace_back());
  }
}

// Writes the elements of one field (and its children) depth-first.
class SchemaWriter {
 public:
  explicit SchemaWriter(std::vector<SchemaElement>& elements) : elements_(elements) {}

  Status Write(const std::string& name, const LogicalType& type, FieldRepetitionType repetition,
               const FieldIds* ids, int depth);
  /// Returns the field whose ids did not match its type, or "".
  const std::string& mismatch() const { return mismatch_; }

 private:
  Status WriteGroup(SchemaElement element, const LogicalType& type, const FieldIds* ids, int depth);
  Status WriteLeaf(SchemaElement element, const LogicalType& type);
  const FieldIds* Child(const FieldIds* ids, size_t index, const std::string& name) {
    if (ids == nullptr || ids->children.empty()) {
      return nullptr;
    }
    if (index >= ids->children.size()) {
      mismatch_ = name;
      return nullptr;
    }
    return &ids->children[index];
  }

  std::vector<SchemaElement>& elements_;
  std::string mismatch_;
};

SchemaElement MakeGroup(std::string name, std::optional<FieldRepetitionType> repetition,
                        int32_t num_children) {
  SchemaElement element;
  element.name = std::move(name);
  element.repetition_type = repetition;
  element.num_children = num_children;
  return element;
}

parquet::LogicalType MakeLogical(LogicalTypeKind kind) {
  parquet::LogicalType logical;
  logical.kind = kind;
  return logical;
}

Status SchemaWriter::Write(const std::string& name, const LogicalType& type,
                           FieldRepetitionType repetition, const FieldIds* ids, int depth) {
  if (depth > kMaxDepth) {
    return Status::NotSupported("field {} nests deeper than 64 levels", name);
  }
  SchemaElement element;
  element.name = name;
  element.repetition_type = repetition;
  if (ids != nullptr) {
    element.field_id = ids->id;
  }
  if (type.IsNested()) {
    return WriteGroup(std::move(element), type, ids, depth);
  }
  return WriteLeaf(std::move(element), type);
}

Status SchemaWriter::WriteGroup(SchemaElement element, const LogicalType& type, const FieldIds* ids,
                                int depth) {
  std::string name = element.name;
  size_t group_index = elements_.size();
  switch (type.id()) {
    case types::TypeId::kList: {
      element.logical_type = MakeLogical(LogicalTypeKind::kList);
      element.converted_type = ConvertedType::kList;
      element.num_children = 1;
      elements_.push_back(std::move(element));
      elements_.push_back(MakeGroup("list", FieldRepetitionType::kRepeated, 1));
      return Write("element", type.element_type(), FieldRepetitionType::kOptional,
                   Child(ids, 0, name), depth + 1);
    }
    case types::TypeId::kMap: {
      element.logical_type = MakeLogical(LogicalTypeKind::kMap);
      element.converted_type = ConvertedType::kMap;
      element.num_children = 1;
      elements_.push_back(std::move(element));
      elements_.push_back(MakeGroup("key_value", FieldRepetitionType::kRepeated, 2));
      FLOE_RETURN_NOT_OK(Write("key", type.key_type(), FieldRepetitionType::kRequired,
                               Child(ids, 0, name), depth + 1));
      return Write("value", type.value_type(), FieldRepetitionType::kOptional, Child(ids, 1, name),
                   depth + 1);
    }
    default: {
      const std::vector<types::StructField>& fields = type.fields();
      element.num_children = static_cast<int32_t>(fields.size());
      elements_.push_back(std::move(element));
      for (size_t i = 0; i < fields.size(); ++i) {
        FLOE_RETURN_NOT_OK(Write(fields[i].name, *fields[i].type, FieldRepetitionType::kOptional,
                                 Child(ids, i, name), depth + 1));
      }
      if (fields.empty()) {
        return Status::NotSupported("Parquet cannot store the empty struct {}",
                                    elements_[group_index].name);
      }
      return Status::OK();
    }
  }
}

Status SchemaWriter::WriteLeaf(SchemaElement element, const LogicalType& type) {
  auto set = [&](PhysicalType physical, std::optional<LogicalTypeKind> kind,
                 std::optional<ConvertedType> converted) {
    element.type = physical;
    if (kind.has_value()) {
      element.logical_type = MakeLogical(*kind);
    }
    element.converted_type = converted;
  };
  auto set_temporal = [&](LogicalTypeKind kind, bool is_adjusted_to_utc) {
    set(PhysicalType::kInt64, kind,
        kind == LogicalTypeKind::kTime ? ConvertedType::kTimeMicros
                                       : ConvertedType::kTimestampMicros);
    element.logical_type->unit = TimeUnit::kMicros;
    element.logical_type->is_adjusted_to_utc = is_adjusted_to_utc;
    if (!is_adjusted_to_utc) {
      // LogicalTypes.md: the legacy converted types mean UTC-adjusted values only.
      element.converted_type.reset();
    }
  };
  switch (type.id()) {
    case types::TypeId::kBoolean:
      set(PhysicalType::kBoolean, {}, {});
      break;
    case types::TypeId::kSmallInt:
      set(PhysicalType::kInt32, LogicalTypeKind::kInteger, ConvertedType::kInt16);
      element.logical_type->bit_width = 16;
      element.logical_type->is_signed = true;
      break;
    case types::TypeId::kInteger:
      set(PhysicalType::kInt32, {}, {});
      break;
    case types::TypeId::kBigInt:
      set(PhysicalType::kInt64, {}, {});
      break;
    case types::TypeId::kReal:
      set(PhysicalType::kFloat, {}, {});
      break;
    case types::TypeId::kDouble:
      set(PhysicalType::kDouble, {}, {});
      break;
    case types::TypeId::kDecimal: {
      int precision = type.precision();
      if (precision <= 9) {
        set(PhysicalType::kInt32, LogicalTypeKind::kDecimal, ConvertedType::kDecimal);
      } else if (precision <= 18) {
        set(PhysicalType::kInt64, LogicalTypeKind::kDecimal, ConvertedType::kDecimal);
      } else {
        set(PhysicalType::kFixedLenByteArray, LogicalTypeKind::kDecimal, ConvertedType::kDecimal);
        element.type_length = DecimalByteWidth(precision);
      }
      element.logical_type->precision = precision;
      element.logical_type->scale = type.scale();
      element.precision = precision;
      element.scale = type.scale();
      break;
    }
    case types::TypeId::kDate:
      set(PhysicalType::kInt32, LogicalTypeKind::kDate, ConvertedType::kDate);
      break;
    case types::TypeId::kTime:
      set_temporal(LogicalTypeKind::kTime, false);
      break;
    case types::TypeId::kTimestamp:
      set_temporal(LogicalTypeKind::kTimestamp, false);
      break;
    case types::TypeId::kTimestampTz:
      set_temporal(LogicalTypeKind::kTimestamp, true);
      break;
    case types::TypeId::kVarchar:
      set(PhysicalType::kByteArray, LogicalTypeKind::kString, ConvertedType::kUtf8);
      break;
    case types::TypeId::kBytea:
      set(PhysicalType::kByteArray, {}, {});
      break;
    case types::TypeId::kUuid:
      set(PhysicalType::kFixedLenByteArray, LogicalTypeKind::kUuid, {});
      element.type_length = 16;
      break;
    default:
      return Status::NotSupported("Parquet cannot store column {} of type {}", element.name,
                                  type.ToString());
  }
  elements_.push_back(std::move(element));
  return Status::OK();
}

}  // namespace

int32_t DecimalByteWidth(int precision) {
  // The smallest two's complement width whose range holds 10^precision - 1.
  int32_t bytes = 1;
  while (bytes < 16 && types::PowerOfTen(precision) > (types::Int128{1} << (8 * bytes - 1))) {
    ++bytes;
  }
  return bytes;
}

Result<std::vector<SchemaElement>> ToParquetSchema(const vector::Schema& schema,
                                                   std::span<const FieldIds> field_ids) {
  if (!field_ids.empty() && field_ids.size() != static_cast<size_t>(schema.num_fields())) {
    return Status::InvalidArgument("{} field ids given for {} fields", field_ids.size(),
                                   schema.num_fields());
  }
  std::vector<SchemaElement> elements;
  elements.push_back(MakeGroup("schema", std::nullopt, static_cast<int32_t>(schema.num_fields())));
  SchemaWriter writer(elements);
  for (int64_t i = 0; i < schema.num_fields(); ++i) {
    const vector::Field& field = schema.field(i);
    FLOE_RETURN_NOT_OK(writer.Write(
        field.name, field.type,
        field.is_nullable ? FieldRepetitionType::kOptional : FieldRepetitionType::kRequired,
        field_ids.empty() ? nullptr : &field_ids[static_cast<size_t>(i)], 0));
  }
  if (!writer.mismatch().empty()) {
    return Status::InvalidArgument("field ids of {} do not match its type", writer.mismatch());
  }
  return elements;
}

std::string ColumnDescriptor::PathString() const {
  return JoinPath(path);
}

int32_t SchemaNode::FirstLeaf() const {
  const SchemaNode* node = this;
  while (node->kind != NodeKind::kLeaf) {
    node = &node->children.front();
  }
  return node->leaf_index;
}

Result<FileSchema> FileSchema::Make(const FileMetaData& metadata, std::string_view file_path) {
  FileSchema schema;
  TreeMapper mapper(metadata, file_path);
  FLOE_RETURN_NOT_OK(mapper.Run(schema.schema_, schema.fields_, schema.columns_));
  if (schema.columns_.empty()) {
    return Status::Corruption("Parquet file {}: schema has no columns", file_path);
  }
  return schema;
}

std::vector<FieldIds> FileSchema::field_ids() const {
  std::vector<FieldIds> ids(fields_.size());
  for (size_t i = 0; i < fields_.size(); ++i) {
    CollectFieldIds(fields_[i], ids[i]);
  }
  return ids;
}

std::optional<int64_t> FileSchema::FieldIndexById(int32_t field_id) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].field_id == field_id) {
      return static_cast<int64_t>(i);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> FileSchema::FieldIndexByName(std::string_view name) const {
  return schema_.IndexOf(name);
}

Result<vector::Schema> ToFloeSchema(const FileMetaData& metadata) {
  FLOE_ASSIGN_OR_RETURN(FileSchema schema, FileSchema::Make(metadata));
  return schema.schema();
}

}  // namespace floe::format::parquet
