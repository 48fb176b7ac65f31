#include "table/sort_order.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace floe::table {

using Json = nlohmann::ordered_json;

Status SortOrder::Validate(const Schema& schema) const {
  if (order_id == 0 && !fields.empty()) {
    return Status::InvalidArgument("sort order id 0 is reserved for the unsorted order");
  }
  for (const SortField& field : fields) {
    const NestedField* source = schema.FindField(field.source_id());
    if (source == nullptr) {
      return Status::InvalidArgument("sort field refers to missing column id {}",
                                     field.source_id());
    }
    if (field.transform.kind() != TransformKind::kUnknown &&
        !field.transform.CanTransform(source->type)) {
      return Status::InvalidArgument("sort transform {} cannot apply to {} ({})",
                                     field.transform.ToString(), source->name,
                                     source->type.ToString());
    }
  }
  return Status::OK();
}

namespace {

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed sort order JSON: {}", what);
}

std::optional<std::string> StringMember(const Json& node, const char* key) {
  auto it = node.find(key);
  if (it == node.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

Result<std::vector<int32_t>> SourceIds(const Json& node) {
  std::vector<int32_t> ids;
  auto list = node.find("source-ids");
  auto single = node.find("source-id");
  if (list != node.end() && list->is_array()) {
    for (const Json& id : *list) {
      if (!id.is_number_integer()) {
        return Malformed("non-integer in \"source-ids\"");
      }
      ids.push_back(static_cast<int32_t>(id.get<int64_t>()));
    }
  } else if (single != node.end() && single->is_number_integer()) {
    ids.push_back(static_cast<int32_t>(single->get<int64_t>()));
  }
  if (ids.empty()) {
    return Malformed("sort field without \"source-id\"");
  }
  return ids;
}

Result<SortField> ParseField(const Json& node) {
  if (!node.is_object()) {
    return Malformed("a sort field is not an object");
  }
  SortField field;
  FLOE_ASSIGN_OR_RETURN(field.source_ids, SourceIds(node));
  std::optional<std::string> transform = StringMember(node, "transform");
  std::optional<std::string> direction = StringMember(node, "direction");
  std::optional<std::string> null_order = StringMember(node, "null-order");
  if (!transform || !direction || !null_order) {
    return Malformed("sort field without \"transform\", \"direction\" or \"null-order\"");
  }
  Result<Transform> parsed = Transform::Parse(*transform);
  if (!parsed.ok()) {
    return Malformed(parsed.status().message());
  }
  field.transform = *parsed;
  if (*direction != "asc" && *direction != "desc") {
    return Malformed(fmt::format("unknown direction \"{}\"", *direction));
  }
  field.direction = *direction == "asc" ? SortDirection::kAscending : SortDirection::kDescending;
  if (*null_order != "nulls-first" && *null_order != "nulls-last") {
    return Malformed(fmt::format("unknown null-order \"{}\"", *null_order));
  }
  field.null_order = *null_order == "nulls-first" ? NullOrder::kNullsFirst : NullOrder::kNullsLast;
  return field;
}

}  // namespace

Result<SortOrder> SortOrderFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded() || !node.is_object()) {
    return Malformed("not a JSON object");
  }
  auto id = node.find("order-id");
  auto fields = node.find("fields");
  if (id == node.end() || !id->is_number_integer() || fields == node.end() || !fields->is_array()) {
    return Malformed("missing \"order-id\" or \"fields\"");
  }
  SortOrder order{.order_id = static_cast<int32_t>(id->get<int64_t>()), .fields = {}};
  for (const Json& child : *fields) {
    FLOE_ASSIGN_OR_RETURN(SortField field, ParseField(child));
    order.fields.push_back(std::move(field));
  }
  return order;
}

std::string SortOrderToJson(const SortOrder& order) {
  Json node = Json::object();
  node["order-id"] = order.order_id;
  node["fields"] = Json::array();
  for (const SortField& field : order.fields) {
    Json child = Json::object();
    child["transform"] = field.transform.ToString();
    // Appendix C: source-id for single-argument transforms, source-ids otherwise.
    if (field.source_ids.size() == 1) {
      child["source-id"] = field.source_id();
    } else {
      child["source-ids"] = field.source_ids;
    }
    child["direction"] = field.direction == SortDirection::kAscending ? "asc" : "desc";
    child["null-order"] = field.null_order == NullOrder::kNullsFirst ? "nulls-first" : "nulls-last";
    node["fields"].push_back(std::move(child));
  }
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace floe::table
