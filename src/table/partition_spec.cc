#include "table/partition_spec.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace floe::table {

using Json = nlohmann::ordered_json;

bool PartitionSpec::IsUnpartitioned() const {
  return std::all_of(fields_.begin(), fields_.end(), [](const PartitionField& field) {
    return field.transform.kind() == TransformKind::kVoid;
  });
}

int32_t PartitionSpec::HighestFieldId() const {
  int32_t highest = kNoPartitionFieldId;
  for (const PartitionField& field : fields_) {
    highest = std::max(highest, field.field_id);
  }
  return highest;
}

Status PartitionSpec::Validate(const Schema& schema) const {
  std::set<int32_t> ids;
  std::set<std::string> names;
  for (const PartitionField& field : fields_) {
    if (!ids.insert(field.field_id).second || !names.insert(field.name).second) {
      return Status::InvalidArgument("partition field {} (id {}) is defined twice", field.name,
                                     field.field_id);
    }
    if (field.source_ids.empty()) {
      return Status::InvalidArgument("partition field {} has no source column", field.name);
    }
    const NestedField* source = schema.FindField(field.source_id());
    if (source == nullptr) {
      return Status::InvalidArgument("partition field {} refers to missing column id {}",
                                     field.name, field.source_id());
    }
    if (field.transform.kind() != TransformKind::kUnknown &&
        !field.transform.CanTransform(source->type)) {
      return Status::InvalidArgument("partition field {}: transform {} cannot apply to {} ({})",
                                     field.name, field.transform.ToString(), source->name,
                                     source->type.ToString());
    }
    // Spec "Partitioning": a partition name may only equal a column name for identity of it.
    const NestedField* same_name = schema.FindField(field.name);
    bool is_identity_of_it = same_name != nullptr && same_name->id == field.source_id() &&
                             field.transform.kind() == TransformKind::kIdentity;
    if (same_name != nullptr && !is_identity_of_it) {
      return Status::InvalidArgument("partition field name {} collides with a column", field.name);
    }
  }
  return Status::OK();
}

Result<Type> PartitionSpec::PartitionType(const Schema& schema) const {
  std::vector<NestedField> fields;
  for (const PartitionField& field : fields_) {
    const NestedField* source = schema.FindField(field.source_id());
    if (source == nullptr) {
      return Status::InvalidArgument("partition field {} refers to missing column id {}",
                                     field.name, field.source_id());
    }
    FLOE_ASSIGN_OR_RETURN(Type type, field.transform.ResultType(source->type));
    fields.push_back(NestedField{.id = field.field_id, .name = field.name, .type = type});
  }
  return Type::Struct(std::move(fields));
}

Result<std::vector<types::Value>> PartitionSpec::PartitionTuple(const Schema& schema,
                                                                const types::Value& row) const {
  std::vector<types::Value> tuple;
  for (const PartitionField& field : fields_) {
    std::optional<std::vector<int>> path = schema.FindStructPath(field.source_id());
    if (!path.has_value()) {
      return Status::InvalidArgument("partition source id {} is not a struct field",
                                     field.source_id());
    }
    const types::Value* value = &row;
    for (int position : *path) {
      if (value->is_null()) {
        break;
      }
      value = &value->children()[static_cast<size_t>(position)];
    }
    const NestedField* source = schema.FindField(field.source_id());
    types::Value input = value->is_null() ? types::Value::Null(value->type()) : *value;
    FLOE_ASSIGN_OR_RETURN(types::Value result, field.transform.Apply(source->type, input));
    tuple.push_back(std::move(result));
  }
  return tuple;
}

std::string EscapePartitionPathSegment(std::string_view text) {
  // Form encoding as other engines write partition paths: letters, digits and ".-*_" stay,
  // a space becomes '+', every other byte of the UTF-8 text becomes %XX.
  std::string escaped;
  for (unsigned char byte : text) {
    if (std::isalnum(byte) || byte == '.' || byte == '-' || byte == '*' || byte == '_') {
      escaped.push_back(static_cast<char>(byte));
    } else if (byte == ' ') {
      escaped.push_back('+');
    } else {
      escaped += fmt::format("%{:02X}", byte);
    }
  }
  return escaped;
}

Result<std::string> PartitionSpec::PartitionPath(const Schema& schema,
                                                 const std::vector<types::Value>& tuple) const {
  if (tuple.size() != fields_.size()) {
    return Status::InvalidArgument("partition tuple has {} values for {} fields", tuple.size(),
                                   fields_.size());
  }
  std::string path;
  for (size_t i = 0; i < fields_.size(); ++i) {
    const NestedField* source = schema.FindField(fields_[i].source_id());
    if (source == nullptr) {
      return Status::InvalidArgument("partition field {} refers to missing column id {}",
                                     fields_[i].name, fields_[i].source_id());
    }
    std::string text = fields_[i].transform.ToHumanString(source->type, tuple[i]);
    path += (i == 0 ? "" : "/") + EscapePartitionPathSegment(fields_[i].name) + "=" +
            EscapePartitionPathSegment(text);
  }
  return path;
}

namespace {

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed partition spec JSON: {}", what);
}

Result<int32_t> IntMember(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) {
    return Malformed(fmt::format("missing or non-integer \"{}\"", key));
  }
  return static_cast<int32_t>(it->get<int64_t>());
}

Result<PartitionField> ParseField(const Json& node, int32_t default_id) {
  if (!node.is_object()) {
    return Malformed("a partition field is not an object");
  }
  PartitionField field;
  auto ids = node.find("source-ids");
  if (ids != node.end() && ids->is_array()) {
    for (const Json& id : *ids) {
      if (!id.is_number_integer()) {
        return Malformed("non-integer in \"source-ids\"");
      }
      field.source_ids.push_back(static_cast<int32_t>(id.get<int64_t>()));
    }
  } else {
    FLOE_ASSIGN_OR_RETURN(int32_t source_id, IntMember(node, "source-id"));
    field.source_ids.push_back(source_id);
  }
  if (field.source_ids.empty()) {
    return Malformed("empty \"source-ids\"");
  }
  // v1 fields may lack field-id: ids were assigned from 1000 in order (Appendix C).
  field.field_id = default_id;
  if (node.contains("field-id")) {
    FLOE_ASSIGN_OR_RETURN(field.field_id, IntMember(node, "field-id"));
  }
  auto name = node.find("name");
  auto transform = node.find("transform");
  if (name == node.end() || !name->is_string() || transform == node.end() ||
      !transform->is_string()) {
    return Malformed("partition field without \"name\" or \"transform\"");
  }
  field.name = name->get<std::string>();
  Result<Transform> parsed = Transform::Parse(transform->get<std::string>());
  if (!parsed.ok()) {
    return Malformed(parsed.status().message());
  }
  field.transform = *parsed;
  return field;
}

}  // namespace

Result<std::vector<PartitionField>> PartitionFieldsFromJsonArray(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded() || !node.is_array()) {
    return Malformed("partition fields are not a JSON list");
  }
  std::vector<PartitionField> fields;
  for (const Json& child : node) {
    FLOE_ASSIGN_OR_RETURN(
        PartitionField field,
        ParseField(child, kFirstPartitionFieldId + static_cast<int32_t>(fields.size())));
    fields.push_back(std::move(field));
  }
  return fields;
}

Result<PartitionSpec> PartitionSpecFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded() || !node.is_object()) {
    return Malformed("not a JSON object");
  }
  FLOE_ASSIGN_OR_RETURN(int32_t spec_id, IntMember(node, "spec-id"));
  auto fields = node.find("fields");
  if (fields == node.end() || !fields->is_array()) {
    return Malformed("missing \"fields\" list");
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<PartitionField> parsed,
                        PartitionFieldsFromJsonArray(fields->dump()));
  return PartitionSpec(spec_id, std::move(parsed));
}

std::string PartitionFieldsToJsonArray(const std::vector<PartitionField>& fields) {
  Json list = Json::array();
  for (const PartitionField& field : fields) {
    Json node = Json::object();
    node["name"] = field.name;
    node["transform"] = field.transform.ToString();
    // Appendix C: source-id for single-argument transforms, source-ids otherwise.
    if (field.source_ids.size() == 1) {
      node["source-id"] = field.source_id();
    } else {
      node["source-ids"] = field.source_ids;
    }
    node["field-id"] = field.field_id;
    list.push_back(std::move(node));
  }
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string PartitionSpecToJson(const PartitionSpec& spec) {
  Json node = Json::object();
  node["spec-id"] = spec.spec_id();
  node["fields"] = Json::parse(PartitionFieldsToJsonArray(spec.fields()), nullptr, false);
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<PartitionSpec> EvolvePartitionSpec(const Schema& schema,
                                          const std::vector<PartitionSpec>& previous_specs,
                                          std::vector<PartitionField> fields,
                                          int32_t& last_partition_id) {
  int32_t next_spec_id = 0;
  for (const PartitionSpec& spec : previous_specs) {
    next_spec_id = std::max(next_spec_id, spec.spec_id() + 1);
  }
  int32_t next_field_id = std::max(last_partition_id, kNoPartitionFieldId) + 1;
  for (PartitionField& field : fields) {
    // Spec "Partition Evolution": an unchanged field keeps its id so manifests stay comparable.
    field.field_id = 0;
    for (const PartitionSpec& spec : previous_specs) {
      for (const PartitionField& old : spec.fields()) {
        if (old.source_ids == field.source_ids && old.transform == field.transform) {
          field.field_id = old.field_id;
        }
      }
    }
    if (field.field_id == 0) {
      field.field_id = next_field_id++;
    }
  }
  PartitionSpec spec(next_spec_id, std::move(fields));
  FLOE_RETURN_NOT_OK(spec.Validate(schema));
  last_partition_id = std::max(last_partition_id, spec.HighestFieldId());
  return spec;
}

}  // namespace floe::table
