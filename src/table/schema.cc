#include "table/schema.h"

#include <charconv>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "table/value_serialization.h"

namespace floe::table {

using Json = nlohmann::ordered_json;

namespace {

constexpr std::pair<std::string_view, TypeKind> kPrimitiveNames[] = {
    {"boolean", TypeKind::kBoolean},
    {"int", TypeKind::kInt},
    {"long", TypeKind::kLong},
    {"float", TypeKind::kFloat},
    {"double", TypeKind::kDouble},
    {"date", TypeKind::kDate},
    {"time", TypeKind::kTime},
    {"timestamp", TypeKind::kTimestamp},
    {"timestamptz", TypeKind::kTimestampTz},
    {"timestamp_ns", TypeKind::kTimestampNs},
    {"timestamptz_ns", TypeKind::kTimestampTzNs},
    {"string", TypeKind::kString},
    {"uuid", TypeKind::kUuid},
    {"binary", TypeKind::kBinary},
    {"unknown", TypeKind::kUnknown},
    {"variant", TypeKind::kVariant},
};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<int32_t> ParseInt(std::string_view text) {
  text = Trim(text);
  int32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::string FieldToString(const NestedField& field) {
  return fmt::format("{}: {}: {} {}", field.id, field.name,
                     field.is_required ? "required" : "optional", field.type.ToString());
}

}  // namespace

Result<Type> Type::Decimal(int precision, int scale) {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    return Status::InvalidArgument("invalid decimal precision and scale: decimal({},{})", precision,
                                   scale);
  }
  Type type(TypeKind::kDecimal);
  type.precision_ = static_cast<uint8_t>(precision);
  type.scale_ = static_cast<uint8_t>(scale);
  return type;
}

Result<Type> Type::Fixed(int32_t length) {
  if (length <= 0) {
    return Status::InvalidArgument("invalid fixed length: {}", length);
  }
  Type type(TypeKind::kFixed);
  type.length_ = length;
  return type;
}

Type Type::Struct(std::vector<NestedField> fields) {
  Type type(TypeKind::kStruct);
  type.children_ = std::make_shared<const std::vector<NestedField>>(std::move(fields));
  return type;
}

Type Type::List(int32_t element_id, Type element, bool is_element_required) {
  Type type(TypeKind::kList);
  std::vector<NestedField> children;
  children.push_back(NestedField{.id = element_id,
                                 .name = "element",
                                 .type = std::move(element),
                                 .is_required = is_element_required});
  type.children_ = std::make_shared<const std::vector<NestedField>>(std::move(children));
  return type;
}

Type Type::Map(int32_t key_id, Type key, int32_t value_id, Type value, bool is_value_required) {
  Type type(TypeKind::kMap);
  std::vector<NestedField> children;
  // Map keys are always required (spec: "Nested Types").
  children.push_back(
      NestedField{.id = key_id, .name = "key", .type = std::move(key), .is_required = true});
  children.push_back(NestedField{
      .id = value_id, .name = "value", .type = std::move(value), .is_required = is_value_required});
  type.children_ = std::make_shared<const std::vector<NestedField>>(std::move(children));
  return type;
}

Result<Type> Type::ParsePrimitive(std::string_view text) {
  for (const auto& [name, kind] : kPrimitiveNames) {
    if (text == name) {
      return Type(kind);
    }
  }
  if (text.starts_with("fixed[") && text.ends_with(']')) {
    std::optional<int32_t> length = ParseInt(text.substr(6, text.size() - 7));
    if (length.has_value()) {
      return Fixed(*length);
    }
  }
  if (text.starts_with("decimal(") && text.ends_with(')')) {
    std::string_view inner = text.substr(8, text.size() - 9);
    size_t comma = inner.find(',');
    if (comma != std::string_view::npos) {
      std::optional<int32_t> precision = ParseInt(inner.substr(0, comma));
      std::optional<int32_t> scale = ParseInt(inner.substr(comma + 1));
      if (precision.has_value() && scale.has_value()) {
        return Decimal(*precision, *scale);
      }
    }
  }
  if (text.starts_with("geometry") || text.starts_with("geography")) {
    return Status::NotSupported("Iceberg type {} (v3 geospatial types)", text);
  }
  return Status::InvalidArgument("unknown Iceberg type \"{}\"", text);
}

bool Type::IsPrimitive() const {
  return kind_ != TypeKind::kStruct && kind_ != TypeKind::kList && kind_ != TypeKind::kMap;
}

const std::vector<NestedField>& Type::fields() const {
  static const std::vector<NestedField> kEmpty;
  return children_ ? *children_ : kEmpty;
}

const NestedField& Type::element() const {
  return (*children_)[0];
}
const NestedField& Type::key() const {
  return (*children_)[0];
}
const NestedField& Type::value() const {
  return (*children_)[1];
}

std::string Type::ToString() const {
  for (const auto& [name, kind] : kPrimitiveNames) {
    if (kind == kind_) {
      return std::string(name);
    }
  }
  switch (kind_) {
    case TypeKind::kDecimal:
      return fmt::format("decimal({},{})", precision_, scale_);
    case TypeKind::kFixed:
      return fmt::format("fixed[{}]", length_);
    case TypeKind::kList:
      return fmt::format("list<{}>", element().type.ToString());
    case TypeKind::kMap:
      return fmt::format("map<{}, {}>", key().type.ToString(), value().type.ToString());
    default:
      break;
  }
  std::string text = "struct<";
  for (const NestedField& field : fields()) {
    text += (text.size() > 7 ? ", " : "") + FieldToString(field);
  }
  return text + ">";
}

bool operator==(const Type& a, const Type& b) {
  if (a.kind_ != b.kind_ || a.precision_ != b.precision_ || a.scale_ != b.scale_ ||
      a.length_ != b.length_) {
    return false;
  }
  return a.fields() == b.fields();
}

bool operator==(const NestedField& a, const NestedField& b) {
  return a.id == b.id && a.name == b.name && a.type == b.type && a.is_required == b.is_required &&
         a.doc == b.doc && a.initial_default == b.initial_default &&
         a.write_default == b.write_default;
}

Result<types::LogicalType> ToLogicalType(const Type& type) {
  using types::LogicalType;
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return LogicalType::Boolean();
    case TypeKind::kInt:
      return LogicalType::Integer();
    case TypeKind::kLong:
      return LogicalType::BigInt();
    case TypeKind::kFloat:
      return LogicalType::Real();
    case TypeKind::kDouble:
      return LogicalType::Double();
    case TypeKind::kDecimal:
      return LogicalType::Decimal(type.precision(), type.scale());
    case TypeKind::kDate:
      return LogicalType::Date();
    case TypeKind::kTime:
      return LogicalType::Time();
    case TypeKind::kTimestamp:
      return LogicalType::Timestamp();
    case TypeKind::kTimestampTz:
      return LogicalType::TimestampTz();
    case TypeKind::kString:
      return LogicalType::Varchar();
    case TypeKind::kUuid:
      return LogicalType::Uuid();
    case TypeKind::kFixed:
    case TypeKind::kBinary:
      return LogicalType::Bytea();
    case TypeKind::kList: {
      FLOE_ASSIGN_OR_RETURN(LogicalType element, ToLogicalType(type.element().type));
      return LogicalType::List(std::move(element));
    }
    case TypeKind::kMap: {
      FLOE_ASSIGN_OR_RETURN(LogicalType key, ToLogicalType(type.key().type));
      FLOE_ASSIGN_OR_RETURN(LogicalType value, ToLogicalType(type.value().type));
      return LogicalType::Map(std::move(key), std::move(value));
    }
    case TypeKind::kStruct: {
      std::vector<types::StructField> fields;
      for (const NestedField& field : type.fields()) {
        FLOE_ASSIGN_OR_RETURN(LogicalType child, ToLogicalType(field.type));
        fields.push_back({field.name, std::make_shared<const LogicalType>(std::move(child))});
      }
      return LogicalType::Struct(std::move(fields));
    }
    default:
      return Status::NotSupported("reading Iceberg type {} (a format version 3 type)",
                                  type.ToString());
  }
}

Result<Type> FromLogicalType(const types::LogicalType& type) {
  using types::TypeId;
  switch (type.id()) {
    case TypeId::kBoolean:
      return Type::Primitive(TypeKind::kBoolean);
    case TypeId::kSmallInt:
    case TypeId::kInteger:
      return Type::Primitive(TypeKind::kInt);
    case TypeId::kBigInt:
      return Type::Primitive(TypeKind::kLong);
    case TypeId::kReal:
      return Type::Primitive(TypeKind::kFloat);
    case TypeId::kDouble:
      return Type::Primitive(TypeKind::kDouble);
    case TypeId::kDecimal:
      return Type::Decimal(type.precision(), type.scale());
    case TypeId::kDate:
      return Type::Primitive(TypeKind::kDate);
    case TypeId::kTime:
      return Type::Primitive(TypeKind::kTime);
    case TypeId::kTimestamp:
      return Type::Primitive(TypeKind::kTimestamp);
    case TypeId::kTimestampTz:
      return Type::Primitive(TypeKind::kTimestampTz);
    case TypeId::kVarchar:
      return Type::Primitive(TypeKind::kString);
    case TypeId::kBytea:
      return Type::Primitive(TypeKind::kBinary);
    case TypeId::kUuid:
      return Type::Primitive(TypeKind::kUuid);
    default:
      return Status::NotSupported("type {} has no Iceberg equivalent", type.ToString());
  }
}

// ---------------------------------------------------------------------------------------------
// Schema

struct Schema::Index {
  std::unordered_map<int32_t, const NestedField*> field_by_id;
  std::unordered_map<int32_t, std::string> name_by_id;
  std::unordered_map<std::string, int32_t> id_by_name;
  std::unordered_map<int32_t, std::vector<int>> struct_path_by_id;
};

namespace {

struct IndexBuilder {
  std::unordered_map<int32_t, const NestedField*>& field_by_id;
  std::unordered_map<int32_t, std::string>& name_by_id;
  std::unordered_map<std::string, int32_t>& id_by_name;
  std::unordered_map<int32_t, std::vector<int>>& struct_path_by_id;
  int32_t highest_id = 0;

  Status Add(const NestedField& field, const std::string& prefix, std::vector<int>* path) {
    if (field.id <= 0) {
      return Status::InvalidArgument("field {} has a non-positive id {}", field.name, field.id);
    }
    if (!field_by_id.emplace(field.id, &field).second) {
      return Status::InvalidArgument("field id {} is used twice (second: {})", field.id,
                                     prefix + field.name);
    }
    std::string name = prefix + field.name;
    name_by_id.emplace(field.id, name);
    id_by_name.emplace(name, field.id);
    highest_id = std::max(highest_id, field.id);
    if (path != nullptr) {
      struct_path_by_id.emplace(field.id, *path);
    }
    return AddChildren(field.type, name + ".",
                       field.type.kind() == TypeKind::kStruct ? path : nullptr);
  }

  Status AddChildren(const Type& type, const std::string& prefix, std::vector<int>* path) {
    std::unordered_set<std::string> names;
    const auto& children = type.fields();
    for (size_t i = 0; i < children.size(); ++i) {
      if (!names.insert(children[i].name).second) {
        return Status::InvalidArgument("field name {} is used twice", prefix + children[i].name);
      }
      if (path != nullptr) {
        path->push_back(static_cast<int>(i));
      }
      FLOE_RETURN_NOT_OK(Add(children[i], prefix, path));
      if (path != nullptr) {
        path->pop_back();
      }
    }
    return Status::OK();
  }
};

}  // namespace

Result<Schema> Schema::Make(int32_t schema_id, std::vector<NestedField> fields,
                            std::vector<int32_t> identifier_field_ids) {
  Schema schema;
  schema.schema_id_ = schema_id;
  schema.struct_type_ = Type::Struct(std::move(fields));
  schema.identifier_field_ids_ = std::move(identifier_field_ids);
  auto index = std::make_shared<Index>();
  IndexBuilder builder{index->field_by_id, index->name_by_id, index->id_by_name,
                       index->struct_path_by_id};
  std::vector<int> path;
  FLOE_RETURN_NOT_OK(builder.AddChildren(schema.struct_type_, "", &path));
  schema.highest_field_id_ = builder.highest_id;
  schema.index_ = std::move(index);
  for (int32_t id : schema.identifier_field_ids_) {
    const NestedField* field = schema.FindField(id);
    if (field == nullptr) {
      return Status::InvalidArgument("identifier field id {} is not in the schema", id);
    }
    // Spec "Identifier Field IDs": required primitives, not float or double, not in a list/map.
    bool is_float =
        field->type.kind() == TypeKind::kFloat || field->type.kind() == TypeKind::kDouble;
    if (!field->is_required || !field->type.IsPrimitive() || is_float ||
        !schema.FindStructPath(id).has_value()) {
      return Status::InvalidArgument(
          "identifier field {} must be a required primitive outside lists and maps, not float "
          "or double",
          *schema.FindColumnName(id));
    }
  }
  return schema;
}

const std::vector<NestedField>& Schema::fields() const {
  return struct_type_.fields();
}

const NestedField* Schema::FindField(int32_t id) const {
  if (index_ == nullptr) {
    return nullptr;
  }
  auto it = index_->field_by_id.find(id);
  return it == index_->field_by_id.end() ? nullptr : it->second;
}

const NestedField* Schema::FindField(std::string_view dotted_name) const {
  if (index_ == nullptr) {
    return nullptr;
  }
  auto it = index_->id_by_name.find(std::string(dotted_name));
  return it == index_->id_by_name.end() ? nullptr : FindField(it->second);
}

std::optional<std::string> Schema::FindColumnName(int32_t id) const {
  if (index_ == nullptr) {
    return std::nullopt;
  }
  auto it = index_->name_by_id.find(id);
  return it == index_->name_by_id.end() ? std::nullopt : std::optional(it->second);
}

std::optional<std::vector<int>> Schema::FindStructPath(int32_t id) const {
  if (index_ == nullptr) {
    return std::nullopt;
  }
  auto it = index_->struct_path_by_id.find(id);
  return it == index_->struct_path_by_id.end() ? std::nullopt : std::optional(it->second);
}

bool Schema::HasInitialDefaults() const {
  if (index_ == nullptr) {
    return false;
  }
  for (const auto& [id, field] : index_->field_by_id) {
    if (field->initial_default.has_value() && !field->initial_default->is_null()) {
      return true;
    }
  }
  return false;
}

Result<Schema> Schema::FromFloeSchema(const vector::Schema& schema) {
  std::vector<NestedField> fields;
  int32_t id = 1;
  for (const vector::Field& field : schema.fields()) {
    FLOE_ASSIGN_OR_RETURN(Type type, FromLogicalType(field.type));
    fields.push_back(NestedField{id++, field.name, std::move(type), !field.is_nullable});
  }
  return Make(0, std::move(fields));
}

Result<vector::Schema> Schema::ToFloeSchema() const {
  std::vector<vector::Field> columns;
  for (const NestedField& field : fields()) {
    FLOE_ASSIGN_OR_RETURN(types::LogicalType type, ToLogicalType(field.type));
    columns.push_back({field.name, std::move(type), !field.is_required});
  }
  return vector::Schema(std::move(columns));
}

bool operator==(const Schema& a, const Schema& b) {
  return a.schema_id_ == b.schema_id_ && a.struct_type_ == b.struct_type_ &&
         a.identifier_field_ids_ == b.identifier_field_ids_;
}

// ---------------------------------------------------------------------------------------------
// JSON (spec Appendix C). nlohmann's throwing accessors are never used: every access checks
// the node's type first, and parsing uses the non-throwing overload.

namespace {

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed schema JSON: {}", what);
}

Result<int32_t> IntMember(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) {
    return Malformed(fmt::format("missing or non-integer \"{}\"", key));
  }
  return static_cast<int32_t>(it->get<int64_t>());
}

Result<bool> BoolMember(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) {
    return Malformed(fmt::format("missing or non-boolean \"{}\"", key));
  }
  return it->get<bool>();
}

Result<Type> ParseType(const Json& node);

Result<std::optional<types::Value>> ParseDefault(const Json& object, const char* key,
                                                 const Type& type) {
  auto it = object.find(key);
  if (it == object.end()) {
    return std::optional<types::Value>();
  }
  FLOE_ASSIGN_OR_RETURN(types::Value value, ValueFromJson(type, it->dump()));
  return std::optional<types::Value>(std::move(value));
}

Result<NestedField> ParseField(const Json& node) {
  if (!node.is_object()) {
    return Malformed("a struct field is not an object");
  }
  NestedField field;
  FLOE_ASSIGN_OR_RETURN(field.id, IntMember(node, "id"));
  auto name = node.find("name");
  if (name == node.end() || !name->is_string()) {
    return Malformed(fmt::format("field {} has no \"name\"", field.id));
  }
  field.name = name->get<std::string>();
  FLOE_ASSIGN_OR_RETURN(field.is_required, BoolMember(node, "required"));
  auto type = node.find("type");
  if (type == node.end()) {
    return Malformed(fmt::format("field {} has no \"type\"", field.name));
  }
  FLOE_ASSIGN_OR_RETURN(field.type, ParseType(*type));
  auto doc = node.find("doc");
  if (doc != node.end() && doc->is_string()) {
    field.doc = doc->get<std::string>();
  }
  FLOE_ASSIGN_OR_RETURN(field.initial_default, ParseDefault(node, "initial-default", field.type));
  FLOE_ASSIGN_OR_RETURN(field.write_default, ParseDefault(node, "write-default", field.type));
  return field;
}

Result<Type> ParseStruct(const Json& node) {
  auto fields = node.find("fields");
  if (fields == node.end() || !fields->is_array()) {
    return Malformed("struct without a \"fields\" list");
  }
  std::vector<NestedField> children;
  for (const Json& child : *fields) {
    FLOE_ASSIGN_OR_RETURN(NestedField field, ParseField(child));
    children.push_back(std::move(field));
  }
  return Type::Struct(std::move(children));
}

Result<Type> ParseNested(const Json& node) {
  auto kind = node.find("type");
  if (kind == node.end() || !kind->is_string()) {
    return Malformed("nested type without a \"type\" name");
  }
  std::string name = kind->get<std::string>();
  if (name == "struct") {
    return ParseStruct(node);
  }
  if (name == "list") {
    FLOE_ASSIGN_OR_RETURN(int32_t element_id, IntMember(node, "element-id"));
    FLOE_ASSIGN_OR_RETURN(bool is_required, BoolMember(node, "element-required"));
    auto element = node.find("element");
    if (element == node.end()) {
      return Malformed("list without \"element\"");
    }
    FLOE_ASSIGN_OR_RETURN(Type element_type, ParseType(*element));
    return Type::List(element_id, std::move(element_type), is_required);
  }
  if (name == "map") {
    FLOE_ASSIGN_OR_RETURN(int32_t key_id, IntMember(node, "key-id"));
    FLOE_ASSIGN_OR_RETURN(int32_t value_id, IntMember(node, "value-id"));
    FLOE_ASSIGN_OR_RETURN(bool is_required, BoolMember(node, "value-required"));
    auto key = node.find("key");
    auto value = node.find("value");
    if (key == node.end() || value == node.end()) {
      return Malformed("map without \"key\" or \"value\"");
    }
    FLOE_ASSIGN_OR_RETURN(Type key_type, ParseType(*key));
    FLOE_ASSIGN_OR_RETURN(Type value_type, ParseType(*value));
    return Type::Map(key_id, std::move(key_type), value_id, std::move(value_type), is_required);
  }
  return Malformed(fmt::format("unknown nested type \"{}\"", name));
}

Result<Type> ParseType(const Json& node) {
  if (node.is_string()) {
    Result<Type> type = Type::ParsePrimitive(node.get<std::string>());
    if (!type.ok() && type.status().code() == StatusCode::kInvalidArgument) {
      return Malformed(type.status().message());
    }
    return type;
  }
  if (node.is_object()) {
    return ParseNested(node);
  }
  return Malformed("a type is neither a string nor an object");
}

Json DefaultToJson(const Type& type, const types::Value& value) {
  Result<std::string> text = ValueToJson(type, value);
  return text.ok() ? Json::parse(*text, nullptr, false) : Json();
}

Json TypeJson(const Type& type);

Json FieldJson(const NestedField& field) {
  Json node = Json::object();
  node["id"] = field.id;
  node["name"] = field.name;
  node["required"] = field.is_required;
  node["type"] = TypeJson(field.type);
  if (!field.doc.empty()) {
    node["doc"] = field.doc;
  }
  if (field.initial_default.has_value()) {
    node["initial-default"] = DefaultToJson(field.type, *field.initial_default);
  }
  if (field.write_default.has_value()) {
    node["write-default"] = DefaultToJson(field.type, *field.write_default);
  }
  return node;
}

Json TypeJson(const Type& type) {
  Json node = Json::object();
  switch (type.kind()) {
    case TypeKind::kStruct: {
      node["type"] = "struct";
      node["fields"] = Json::array();
      for (const NestedField& field : type.fields()) {
        node["fields"].push_back(FieldJson(field));
      }
      return node;
    }
    case TypeKind::kList:
      node["type"] = "list";
      node["element-id"] = type.element().id;
      node["element"] = TypeJson(type.element().type);
      node["element-required"] = type.element().is_required;
      return node;
    case TypeKind::kMap:
      node["type"] = "map";
      node["key-id"] = type.key().id;
      node["key"] = TypeJson(type.key().type);
      node["value-id"] = type.value().id;
      node["value"] = TypeJson(type.value().type);
      node["value-required"] = type.value().is_required;
      return node;
    default:
      return type.ToString();
  }
}

std::string Dump(const Json& node) {
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Result<Schema> SchemaFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded() || !node.is_object()) {
    return Malformed("not a JSON object");
  }
  FLOE_ASSIGN_OR_RETURN(Type type, ParseStruct(node));
  // v1 schemas may omit schema-id (spec Appendix C); 0 is the implied id.
  int32_t schema_id = 0;
  if (node.contains("schema-id")) {
    FLOE_ASSIGN_OR_RETURN(schema_id, IntMember(node, "schema-id"));
  }
  std::vector<int32_t> identifiers;
  auto ids = node.find("identifier-field-ids");
  if (ids != node.end() && ids->is_array()) {
    for (const Json& id : *ids) {
      if (!id.is_number_integer()) {
        return Malformed("non-integer in \"identifier-field-ids\"");
      }
      identifiers.push_back(static_cast<int32_t>(id.get<int64_t>()));
    }
  }
  return Schema::Make(schema_id, type.fields(), std::move(identifiers));
}

std::string SchemaToJson(const Schema& schema) {
  Json node = Json::object();
  node["type"] = "struct";
  node["schema-id"] = schema.schema_id();
  if (!schema.identifier_field_ids().empty()) {
    node["identifier-field-ids"] = schema.identifier_field_ids();
  }
  node["fields"] = TypeJson(schema.AsStruct())["fields"];
  return Dump(node);
}

Result<Type> TypeFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded()) {
    return Malformed("not JSON");
  }
  return ParseType(node);
}

std::string TypeToJson(const Type& type) {
  return Dump(TypeJson(type));
}

}  // namespace floe::table
