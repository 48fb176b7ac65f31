#include "format/avro/avro_schema.h"

#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

namespace floe::format::avro {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr int kMaxDepth = 64;

struct PrimitiveName {
  std::string_view name;
  AvroType type;
};

constexpr PrimitiveName kPrimitives[] = {
    {"null", AvroType::kNull},   {"boolean", AvroType::kBoolean}, {"int", AvroType::kInt},
    {"long", AvroType::kLong},   {"float", AvroType::kFloat},     {"double", AvroType::kDouble},
    {"bytes", AvroType::kBytes}, {"string", AvroType::kString},
};

std::optional<AvroType> PrimitiveOf(std::string_view name) {
  for (const auto& primitive : kPrimitives) {
    if (primitive.name == name) {
      return primitive.type;
    }
  }
  return std::nullopt;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status Invalid(std::string_view what) {
  return Status::Corruption("invalid Avro schema: {}", what);
}

std::string StringMember(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Converts JSON into schema nodes, remembering named types for later references by name.
class SchemaParser {
 public:
  Result<AvroSchema> Parse(const Json& json, const std::string& space, int depth);

 private:
  Result<AvroSchema> ParseName(const std::string& name, const std::string& space);
  Result<AvroSchema> ParseObject(const Json& json, const std::string& space, int depth);
  Status ParseRecord(const Json& json, AvroSchema& schema, int depth);
  Status ParseNamed(const Json& json, AvroSchema& schema, const std::string& space);

  std::map<std::string, AvroSchema, std::less<>> named_;
};

std::string FullName(const std::string& name, const std::string& space) {
  if (name.find('.') != std::string::npos || space.empty()) {
    return name;
  }
  return space + "." + name;
}

std::string NamespaceOf(const std::string& full_name) {
  size_t dot = full_name.rfind('.');
  return dot == std::string::npos ? std::string() : full_name.substr(0, dot);
}

Result<AvroSchema> SchemaParser::Parse(const Json& json, const std::string& space, int depth) {
  if (depth > kMaxDepth) {
    return Invalid("nested too deeply");
  }
  if (json.is_string()) {
    return ParseName(json.get<std::string>(), space);
  }
  if (json.is_array()) {
    AvroSchema schema = AvroSchema::Primitive(AvroType::kUnion);
    for (const Json& branch : json) {
      FLOE_ASSIGN_OR_RETURN(AvroSchema child, Parse(branch, space, depth + 1));
      if (child.type == AvroType::kUnion) {
        return Invalid("a union may not contain a union");
      }
      schema.children.push_back(std::move(child));
    }
    return schema;
  }
  if (json.is_object()) {
    return ParseObject(json, space, depth);
  }
  return Invalid("a schema must be a string, an array or an object");
}

Result<AvroSchema> SchemaParser::ParseName(const std::string& name, const std::string& space) {
  if (auto primitive = PrimitiveOf(name)) {
    return AvroSchema::Primitive(*primitive);
  }
  auto it = named_.find(FullName(name, space));
  if (it == named_.end()) {
    it = named_.find(name);
  }
  if (it == named_.end()) {
    return Invalid("unknown type name '" + name + "'");
  }
  return it->second;
}

Status SchemaParser::ParseNamed(const Json& json, AvroSchema& schema, const std::string& space) {
  std::string name = StringMember(json, "name");
  if (name.empty()) {
    return Invalid("a named type has no name");
  }
  std::string own_space = StringMember(json, "namespace");
  schema.name = FullName(name, own_space.empty() ? space : own_space);
  if (named_.contains(schema.name)) {
    return Invalid("type '" + schema.name + "' is defined twice");
  }
  return Status::OK();
}

// Attributes Avro itself defines; every other member of a schema object is kept verbatim.
bool IsReservedKey(std::string_view key) {
  for (std::string_view reserved : {"type", "name", "namespace", "doc", "aliases", "fields",
                                    "symbols", "items", "values", "size", "logicalType"}) {
    if (key == reserved) {
      return true;
    }
  }
  return false;
}

AvroAttributes AttributesOf(const Json& object, bool is_field) {
  AvroAttributes attributes;
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_field_key = it.key() == "default" || it.key() == "order";
    if ((is_field && (is_field_key || it.key() == "name" || it.key() == "type" ||
                      it.key() == "doc" || it.key() == "aliases")) ||
        (!is_field && IsReservedKey(it.key()))) {
      continue;
    }
    attributes.emplace_back(it.key(), Dump(it.value()));
  }
  return attributes;
}

Status SchemaParser::ParseRecord(const Json& json, AvroSchema& schema, int depth) {
  auto fields = json.find("fields");
  if (fields == json.end() || !fields->is_array()) {
    return Invalid("record '" + schema.name + "' has no fields array");
  }
  // The record's name is known before its fields, so fields could refer to it; such recursive
  // types cannot be expanded into a tree and are rejected when referenced.
  std::string space = NamespaceOf(schema.name);
  for (const Json& field : *fields) {
    if (!field.is_object() || !field.contains("type")) {
      return Invalid("record '" + schema.name + "' has a field without a type");
    }
    FLOE_ASSIGN_OR_RETURN(AvroSchema type, Parse(field["type"], space, depth + 1));
    AvroField& added = schema.AddField(StringMember(field, "name"), std::move(type));
    added.doc = StringMember(field, "doc");
    auto default_value = field.find("default");
    if (default_value != field.end()) {
      added.default_json = Dump(*default_value);
    }
    added.attributes = AttributesOf(field, /*is_field=*/true);
  }
  return Status::OK();
}

Result<AvroSchema> SchemaParser::ParseObject(const Json& json, const std::string& space,
                                             int depth) {
  auto type_member = json.find("type");
  if (type_member == json.end()) {
    return Invalid("an object schema has no type");
  }
  if (!type_member->is_string()) {
    return Parse(*type_member, space, depth + 1);
  }
  std::string type = type_member->get<std::string>();
  AvroSchema schema;
  if (auto primitive = PrimitiveOf(type)) {
    schema.type = *primitive;
  } else if (type == "record" || type == "error" || type == "enum" || type == "fixed") {
    FLOE_RETURN_NOT_OK(ParseNamed(json, schema, space));
    if (type == "enum") {
      schema.type = AvroType::kEnum;
      auto symbols = json.find("symbols");
      if (symbols == json.end() || !symbols->is_array()) {
        return Invalid("enum '" + schema.name + "' has no symbols");
      }
      for (const Json& symbol : *symbols) {
        if (!symbol.is_string()) {
          return Invalid("enum '" + schema.name + "' has a symbol that is not a string");
        }
        schema.symbols.push_back(symbol.get<std::string>());
      }
    } else if (type == "fixed") {
      schema.type = AvroType::kFixed;
      auto size = json.find("size");
      if (size == json.end() || !size->is_number_unsigned() || size->get<uint64_t>() > INT32_MAX) {
        return Invalid("fixed '" + schema.name + "' has no valid size");
      }
      schema.fixed_size = static_cast<int32_t>(size->get<uint64_t>());
    } else {
      schema.type = AvroType::kRecord;
      FLOE_RETURN_NOT_OK(ParseRecord(json, schema, depth));
    }
  } else if (type == "array" || type == "map") {
    schema.type = type == "array" ? AvroType::kArray : AvroType::kMap;
    auto child = json.find(type == "array" ? "items" : "values");
    if (child == json.end()) {
      return Invalid(type + " has no " + (type == "array" ? "items" : "values"));
    }
    FLOE_ASSIGN_OR_RETURN(AvroSchema element, Parse(*child, space, depth + 1));
    schema.children.push_back(std::move(element));
  } else {
    return ParseName(type, space);
  }
  schema.doc = StringMember(json, "doc");
  schema.logical_type = StringMember(json, "logicalType");
  schema.attributes = AttributesOf(json, /*is_field=*/false);
  if (!schema.name.empty()) {
    named_.emplace(schema.name, schema);
  }
  return schema;
}

OrderedJson AttributeValue(const std::string& json_text) {
  OrderedJson value = OrderedJson::parse(json_text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? OrderedJson(json_text) : value;
}

void AddAttributes(const AvroAttributes& attributes, OrderedJson& object) {
  for (const auto& [name, value] : attributes) {
    object[name] = AttributeValue(value);
  }
}

// Emits each named type in full at its first use and by name afterwards, as Avro requires:
// a name may be defined only once in a schema.
OrderedJson ToJson(const AvroSchema& schema, std::map<std::string, bool, std::less<>>& defined);

OrderedJson RecordToJson(const AvroSchema& schema,
                         std::map<std::string, bool, std::less<>>& defined) {
  OrderedJson object = OrderedJson::object();
  object["type"] = "record";
  object["name"] = schema.name;
  if (!schema.doc.empty()) {
    object["doc"] = schema.doc;
  }
  OrderedJson fields = OrderedJson::array();
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const AvroField& field = schema.fields[i];
    OrderedJson entry = OrderedJson::object();
    entry["name"] = field.name;
    entry["type"] = ToJson(schema.children[i], defined);
    if (!field.doc.empty()) {
      entry["doc"] = field.doc;
    }
    if (!field.default_json.empty()) {
      entry["default"] = AttributeValue(field.default_json);
    }
    AddAttributes(field.attributes, entry);
    fields.push_back(std::move(entry));
  }
  object["fields"] = std::move(fields);
  return object;
}

OrderedJson ToJson(const AvroSchema& schema, std::map<std::string, bool, std::less<>>& defined) {
  if (!schema.name.empty() && defined.contains(schema.name)) {
    return schema.name;
  }
  OrderedJson object = OrderedJson::object();
  switch (schema.type) {
    case AvroType::kRecord:
      defined.emplace(schema.name, true);
      object = RecordToJson(schema, defined);
      break;
    case AvroType::kUnion: {
      OrderedJson branches = OrderedJson::array();
      for (const AvroSchema& child : schema.children) {
        branches.push_back(ToJson(child, defined));
      }
      return branches;
    }
    case AvroType::kArray:
    case AvroType::kMap:
      object["type"] = AvroTypeName(schema.type);
      object[schema.type == AvroType::kArray ? "items" : "values"] =
          ToJson(schema.children.at(0), defined);
      break;
    case AvroType::kEnum:
      defined.emplace(schema.name, true);
      object["type"] = "enum";
      object["name"] = schema.name;
      object["symbols"] = schema.symbols;
      break;
    case AvroType::kFixed:
      defined.emplace(schema.name, true);
      object["type"] = "fixed";
      object["name"] = schema.name;
      object["size"] = schema.fixed_size;
      break;
    default:
      if (schema.logical_type.empty() && schema.attributes.empty()) {
        return AvroTypeName(schema.type);
      }
      object["type"] = AvroTypeName(schema.type);
  }
  if (!schema.logical_type.empty()) {
    object["logicalType"] = schema.logical_type;
  }
  AddAttributes(schema.attributes, object);
  return object;
}

}  // namespace

std::string_view AvroTypeName(AvroType type) {
  for (const auto& primitive : kPrimitives) {
    if (primitive.type == type) {
      return primitive.name;
    }
  }
  switch (type) {
    case AvroType::kRecord:
      return "record";
    case AvroType::kEnum:
      return "enum";
    case AvroType::kArray:
      return "array";
    case AvroType::kMap:
      return "map";
    case AvroType::kUnion:
      return "union";
    case AvroType::kFixed:
      return "fixed";
    default:
      return "unknown";
  }
}

std::optional<int32_t> IntAttribute(const AvroAttributes& attributes, std::string_view name) {
  for (const auto& [key, value] : attributes) {
    if (key != name) {
      continue;
    }
    int32_t number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size()) {
      return std::nullopt;
    }
    return number;
  }
  return std::nullopt;
}

void SetIntAttribute(AvroAttributes& attributes, std::string_view name, int32_t value) {
  for (auto& [key, text] : attributes) {
    if (key == name) {
      text = std::to_string(value);
      return;
    }
  }
  attributes.emplace_back(std::string(name), std::to_string(value));
}

AvroSchema AvroSchema::Primitive(AvroType type) {
  AvroSchema schema;
  schema.type = type;
  return schema;
}

AvroSchema AvroSchema::Optional(AvroSchema value) {
  AvroSchema schema = Primitive(AvroType::kUnion);
  schema.children.push_back(Primitive(AvroType::kNull));
  schema.children.push_back(std::move(value));
  return schema;
}

AvroSchema AvroSchema::Array(AvroSchema items) {
  AvroSchema schema = Primitive(AvroType::kArray);
  schema.children.push_back(std::move(items));
  return schema;
}

AvroSchema AvroSchema::Map(AvroSchema values) {
  AvroSchema schema = Primitive(AvroType::kMap);
  schema.children.push_back(std::move(values));
  return schema;
}

AvroSchema AvroSchema::Record(std::string name) {
  AvroSchema schema = Primitive(AvroType::kRecord);
  schema.name = std::move(name);
  return schema;
}

AvroSchema AvroSchema::Fixed(std::string name, int32_t size) {
  AvroSchema schema = Primitive(AvroType::kFixed);
  schema.name = std::move(name);
  schema.fixed_size = size;
  return schema;
}

AvroField& AvroSchema::AddField(std::string field_name, AvroSchema field_type) {
  children.push_back(std::move(field_type));
  AvroField field;
  field.name = std::move(field_name);
  fields.push_back(std::move(field));
  return fields.back();
}

int AvroSchema::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int AvroSchema::OptionalBranch() const {
  if (type != AvroType::kUnion || children.size() != 2) {
    return -1;
  }
  if (children[0].type == AvroType::kNull) {
    return 1;
  }
  return children[1].type == AvroType::kNull ? 0 : -1;
}

bool AvroSchema::IsZeroWidth() const {
  switch (type) {
    case AvroType::kNull:
      return true;
    case AvroType::kFixed:
      return fixed_size == 0;
    case AvroType::kRecord:
      for (const AvroSchema& child : children) {
        if (!child.IsZeroWidth()) {
          return false;
        }
      }
      return true;
    default:
      return false;
  }
}

Result<AvroSchema> ParseAvroSchema(std::string_view json) {
  Json parsed = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Invalid("not valid JSON");
  }
  SchemaParser parser;
  return parser.Parse(parsed, std::string(), 0);
}

std::string AvroSchemaToJson(const AvroSchema& schema) {
  std::map<std::string, bool, std::less<>> defined;
  return ToJson(schema, defined).dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace floe::format::avro
