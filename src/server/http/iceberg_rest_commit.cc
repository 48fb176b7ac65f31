#include "server/http/iceberg_rest_commit.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "table/id_generator.h"
#include "table/partition_spec.h"
#include "table/schema.h"
#include "table/sort_order.h"

namespace floe::server::http {

Result<const nlohmann::json*> RequireMember(const nlohmann::json& object, std::string_view action,
                                            const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    return Status::InvalidArgument("{} needs \"{}\"", action, key);
  }
  return &*found;
}

Result<int64_t> RequireLong(const nlohmann::json& object, std::string_view action,
                            const char* key) {
  FLOE_ASSIGN_OR_RETURN(const nlohmann::json* value, RequireMember(object, action, key));
  if (!value->is_number_integer()) {
    return Status::InvalidArgument("{}: \"{}\" must be an integer", action, key);
  }
  return value->get<int64_t>();
}

Result<std::string> RequireString(const nlohmann::json& object, std::string_view action,
                                  const char* key) {
  FLOE_ASSIGN_OR_RETURN(const nlohmann::json* value, RequireMember(object, action, key));
  if (!value->is_string()) {
    return Status::InvalidArgument("{}: \"{}\" must be a string", action, key);
  }
  return value->get<std::string>();
}

Status ApplySetProperties(const nlohmann::json& update,
                          std::map<std::string, std::string>& properties) {
  FLOE_ASSIGN_OR_RETURN(const nlohmann::json* updates,
                        RequireMember(update, "set-properties", "updates"));
  if (!updates->is_object()) {
    return Status::InvalidArgument("set-properties: \"updates\" must be an object of strings");
  }
  for (const auto& [key, value] : updates->items()) {
    if (!value.is_string()) {
      return Status::InvalidArgument("set-properties: the value of {} must be a string", key);
    }
    properties[key] = value.get<std::string>();
  }
  return Status::OK();
}

Status ApplyRemoveProperties(const nlohmann::json& update,
                             std::map<std::string, std::string>& properties) {
  FLOE_ASSIGN_OR_RETURN(const nlohmann::json* removals,
                        RequireMember(update, "remove-properties", "removals"));
  if (!removals->is_array()) {
    return Status::InvalidArgument("remove-properties: \"removals\" must be an array of strings");
  }
  for (const nlohmann::json& key : *removals) {
    if (!key.is_string()) {
      return Status::InvalidArgument("remove-properties: \"removals\" must be an array of strings");
    }
    properties.erase(key.get<std::string>());
  }
  return Status::OK();
}

namespace {

using Json = nlohmann::json;
using table::TableMetadata;

// The parsers of table/ report malformed JSON as Corruption (stored data); here the JSON came
// from the client, so the same error is the client's.
Status AsBadRequest(const Status& status, std::string_view what) {
  if (status.ok()) {
    return status;
  }
  if (status.code() == StatusCode::kCorruption || status.code() == StatusCode::kInvalidArgument) {
    return Status::InvalidArgument("{}: {}", what, status.message());
  }
  return status;
}

Status ExpectEqual(std::string_view what, int64_t expected, int64_t actual) {
  if (expected != actual) {
    return Status::Conflict("requirement failed: {} has changed: expected {} != {}", what, expected,
                            actual);
  }
  return Status::OK();
}

Status CheckRefRequirement(const Json& requirement, const TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(std::string ref,
                        RequireString(requirement, "assert-ref-snapshot-id", "ref"));
  auto expected = requirement.find("snapshot-id");
  auto current = metadata.refs.find(ref);
  bool expects_none = expected == requirement.end() || expected->is_null();
  if (expects_none) {
    if (current != metadata.refs.end()) {
      return Status::Conflict("requirement failed: branch or tag {} was created concurrently", ref);
    }
    return Status::OK();
  }
  if (!expected->is_number_integer()) {
    return Status::InvalidArgument("assert-ref-snapshot-id: \"snapshot-id\" must be an integer");
  }
  if (current == metadata.refs.end()) {
    return Status::Conflict("requirement failed: branch or tag {} is missing, expected {}", ref,
                            expected->get<int64_t>());
  }
  return ExpectEqual(fmt::format("snapshot id of {}", ref), expected->get<int64_t>(),
                     current->second.snapshot_id);
}

Status CheckRequirement(const Json& requirement, const TableMetadata& metadata) {
  if (!requirement.is_object()) {
    return Status::InvalidArgument("a requirement must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(std::string type, RequireString(requirement, "a requirement", "type"));
  if (type == "assert-create") {
    // Checked against an existing table: a commit that creates one skips this requirement.
    return Status::Conflict("requirement failed: table already exists");
  }
  if (type == "assert-table-uuid") {
    FLOE_ASSIGN_OR_RETURN(std::string uuid, RequireString(requirement, type, "uuid"));
    if (uuid != metadata.table_uuid) {
      return Status::Conflict("requirement failed: table uuid {} does not match {}",
                              metadata.table_uuid, uuid);
    }
    return Status::OK();
  }
  if (type == "assert-ref-snapshot-id") {
    return CheckRefRequirement(requirement, metadata);
  }
  struct IdRequirement {
    const char* type;
    const char* key;
    int64_t actual;
  };
  const IdRequirement ids[] = {
      {"assert-last-assigned-field-id", "last-assigned-field-id", metadata.last_column_id},
      {"assert-current-schema-id", "current-schema-id", metadata.current_schema_id},
      {"assert-last-assigned-partition-id", "last-assigned-partition-id",
       metadata.last_partition_id},
      {"assert-default-spec-id", "default-spec-id", metadata.default_spec_id},
      {"assert-default-sort-order-id", "default-sort-order-id", metadata.default_sort_order_id},
  };
  for (const IdRequirement& id : ids) {
    if (type == id.type) {
      FLOE_ASSIGN_OR_RETURN(int64_t expected, RequireLong(requirement, type, id.key));
      return ExpectEqual(id.key, expected, id.actual);
    }
  }
  return Status::InvalidArgument("unknown requirement type \"{}\"", type);
}

// Returns the largest field id in a schema's JSON, nested ones included.
int32_t HighestFieldId(const Json& node) {
  int32_t highest = 0;
  if (node.is_object()) {
    for (const char* key : {"id", "element-id", "key-id", "value-id"}) {
      auto found = node.find(key);
      if (found != node.end() && found->is_number_integer()) {
        highest = std::max(highest, found->get<int32_t>());
      }
    }
    for (const auto& [key, value] : node.items()) {
      if (value.is_structured()) {
        highest = std::max(highest, HighestFieldId(value));
      }
    }
  } else if (node.is_array()) {
    for (const Json& value : node) {
      highest = std::max(highest, HighestFieldId(value));
    }
  }
  return highest;
}

// What the updates of one request added, for the -1 ids that mean "the one just added".
struct Added {
  std::optional<int32_t> schema_id;
  std::optional<int32_t> spec_id;
  std::optional<int32_t> sort_order_id;
};

Status AddSchema(const Json& update, TableMetadata& metadata, Added& added) {
  FLOE_ASSIGN_OR_RETURN(const Json* node, RequireMember(update, "add-schema", "schema"));
  Result<table::Schema> parsed = table::SchemaFromJson(node->dump());
  FLOE_RETURN_NOT_OK(AsBadRequest(parsed.status(), "add-schema"));
  int32_t last_column_id = HighestFieldId(*node);
  if (auto given = update.find("last-column-id"); given != update.end() && given->is_number()) {
    last_column_id = std::max(last_column_id, given->get<int32_t>());
  }
  for (const table::Schema& existing : metadata.schemas) {
    if (existing.fields() == parsed->fields() &&
        existing.identifier_field_ids() == parsed->identifier_field_ids()) {
      added.schema_id = existing.schema_id();
      metadata.last_column_id = std::max(metadata.last_column_id, last_column_id);
      return Status::OK();
    }
  }
  int32_t schema_id = 0;
  for (const table::Schema& existing : metadata.schemas) {
    schema_id = std::max(schema_id, existing.schema_id() + 1);
  }
  Result<table::Schema> schema =
      table::Schema::Make(schema_id, parsed->fields(), parsed->identifier_field_ids());
  FLOE_RETURN_NOT_OK(AsBadRequest(schema.status(), "add-schema"));
  metadata.schemas.push_back(std::move(*schema));
  metadata.last_column_id = std::max(metadata.last_column_id, last_column_id);
  added.schema_id = schema_id;
  return Status::OK();
}

Result<int32_t> ResolveAddedId(int64_t id, const std::optional<int32_t>& last_added,
                               std::string_view action) {
  if (id != -1) {
    return static_cast<int32_t>(id);
  }
  if (!last_added.has_value()) {
    return Status::InvalidArgument("{}: -1 refers to the last one added, but none was added",
                                   action);
  }
  return *last_added;
}

Status AddSpec(const Json& update, TableMetadata& metadata, Added& added) {
  FLOE_ASSIGN_OR_RETURN(const Json* node, RequireMember(update, "add-spec", "spec"));
  Json spec_json = *node;
  if (!spec_json.is_object()) {
    return Status::InvalidArgument("add-spec: \"spec\" must be an object");
  }
  spec_json["spec-id"] = 0;  // The catalog assigns spec ids.
  Result<table::PartitionSpec> parsed = table::PartitionSpecFromJson(spec_json.dump());
  FLOE_RETURN_NOT_OK(AsBadRequest(parsed.status(), "add-spec"));
  const table::Schema* schema = metadata.CurrentSchema();
  if (schema != nullptr) {
    FLOE_RETURN_NOT_OK(AsBadRequest(parsed->Validate(*schema), "add-spec"));
  }
  for (const table::PartitionSpec& existing : metadata.partition_specs) {
    if (existing.fields() == parsed->fields()) {
      added.spec_id = existing.spec_id();
      return Status::OK();
    }
  }
  int32_t spec_id = 0;
  for (const table::PartitionSpec& existing : metadata.partition_specs) {
    spec_id = std::max(spec_id, existing.spec_id() + 1);
  }
  metadata.last_partition_id = std::max(metadata.last_partition_id, parsed->HighestFieldId());
  metadata.partition_specs.emplace_back(spec_id, parsed->fields());
  added.spec_id = spec_id;
  return Status::OK();
}

Status AddSortOrder(const Json& update, TableMetadata& metadata, Added& added) {
  FLOE_ASSIGN_OR_RETURN(const Json* node, RequireMember(update, "add-sort-order", "sort-order"));
  Result<table::SortOrder> parsed = table::SortOrderFromJson(node->dump());
  FLOE_RETURN_NOT_OK(AsBadRequest(parsed.status(), "add-sort-order"));
  for (const table::SortOrder& existing : metadata.sort_orders) {
    if (existing.fields == parsed->fields) {
      added.sort_order_id = existing.order_id;
      return Status::OK();
    }
  }
  // Order id 0 is reserved for the unsorted order (spec: "Sort Orders").
  int32_t order_id = 1;
  for (const table::SortOrder& existing : metadata.sort_orders) {
    order_id = std::max(order_id, existing.order_id + 1);
  }
  parsed->order_id = parsed->IsUnsorted() ? 0 : order_id;
  const table::Schema* schema = metadata.CurrentSchema();
  if (schema != nullptr) {
    FLOE_RETURN_NOT_OK(AsBadRequest(parsed->Validate(*schema), "add-sort-order"));
  }
  added.sort_order_id = parsed->order_id;
  metadata.sort_orders.push_back(std::move(*parsed));
  return Status::OK();
}

// Snapshots are parsed by the table metadata parser, so that a snapshot added here reads
// exactly as one loaded from a metadata file.
Status AddSnapshot(const Json& update, TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(const Json* node, RequireMember(update, "add-snapshot", "snapshot"));
  if (!node->is_object()) {
    return Status::InvalidArgument("add-snapshot: \"snapshot\" must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(int64_t snapshot_id, RequireLong(*node, "add-snapshot", "snapshot-id"));
  if (metadata.FindSnapshot(snapshot_id) != nullptr) {
    return Status::InvalidArgument("add-snapshot: snapshot {} already exists", snapshot_id);
  }
  Json document = Json::parse(table::TableMetadataToJson(metadata));
  document["snapshots"].push_back(*node);
  auto sequence = node->find("sequence-number");
  if (sequence != node->end() && sequence->is_number_integer()) {
    int64_t number = sequence->get<int64_t>();
    if (metadata.format_version >= 2 && number <= metadata.last_sequence_number &&
        node->contains("parent-snapshot-id")) {
      return Status::InvalidArgument(
          "add-snapshot: sequence number {} is not after the last sequence number {}", number,
          metadata.last_sequence_number);
    }
    document["last-sequence-number"] = std::max(number, metadata.last_sequence_number);
  }
  Result<TableMetadata> parsed = table::TableMetadataFromJson(document.dump());
  FLOE_RETURN_NOT_OK(AsBadRequest(parsed.status(), "add-snapshot"));
  metadata = std::move(*parsed);
  return Status::OK();
}

Status SetSnapshotRef(const Json& update, TableMetadata& metadata) {
  const char* action = "set-snapshot-ref";
  FLOE_ASSIGN_OR_RETURN(std::string name, RequireString(update, action, "ref-name"));
  FLOE_ASSIGN_OR_RETURN(int64_t snapshot_id, RequireLong(update, action, "snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(std::string type, RequireString(update, action, "type"));
  if (type != "branch" && type != "tag") {
    return Status::InvalidArgument("{}: unknown ref type \"{}\"", action, type);
  }
  const table::Snapshot* snapshot = metadata.FindSnapshot(snapshot_id);
  if (snapshot == nullptr) {
    return Status::InvalidArgument("{}: snapshot {} does not exist", action, snapshot_id);
  }
  table::SnapshotRef ref;
  ref.snapshot_id = snapshot_id;
  ref.type = type == "branch" ? table::SnapshotRefType::kBranch : table::SnapshotRefType::kTag;
  if (auto value = update.find("min-snapshots-to-keep");
      value != update.end() && value->is_number_integer()) {
    ref.min_snapshots_to_keep = value->get<int32_t>();
  }
  if (auto value = update.find("max-snapshot-age-ms");
      value != update.end() && value->is_number_integer()) {
    ref.max_snapshot_age_ms = value->get<int64_t>();
  }
  if (auto value = update.find("max-ref-age-ms");
      value != update.end() && value->is_number_integer()) {
    ref.max_ref_age_ms = value->get<int64_t>();
  }
  if (name == "main") {
    if (ref.type != table::SnapshotRefType::kBranch) {
      return Status::InvalidArgument("{}: main must be a branch", action);
    }
    if (metadata.current_snapshot_id != snapshot_id) {
      metadata.current_snapshot_id = snapshot_id;
      metadata.snapshot_log.push_back(
          {.timestamp_ms = snapshot->timestamp_ms, .snapshot_id = snapshot_id});
    }
  }
  metadata.refs[name] = ref;
  return Status::OK();
}

Status RemoveSnapshots(const Json& update, TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(const Json* ids, RequireMember(update, "remove-snapshots", "snapshot-ids"));
  if (!ids->is_array()) {
    return Status::InvalidArgument("remove-snapshots: \"snapshot-ids\" must be an array");
  }
  for (const Json& id : *ids) {
    if (!id.is_number_integer()) {
      return Status::InvalidArgument("remove-snapshots: snapshot ids must be integers");
    }
    int64_t snapshot_id = id.get<int64_t>();
    std::erase_if(metadata.snapshots, [&](const table::Snapshot& snapshot) {
      return snapshot.snapshot_id == snapshot_id;
    });
    std::erase_if(metadata.refs,
                  [&](const auto& ref) { return ref.second.snapshot_id == snapshot_id; });
    if (metadata.current_snapshot_id == snapshot_id) {
      metadata.current_snapshot_id.reset();
    }
  }
  return Status::OK();
}

Status RemoveSnapshotRef(const Json& update, TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(std::string name, RequireString(update, "remove-snapshot-ref", "ref-name"));
  metadata.refs.erase(name);
  if (name == "main") {
    metadata.current_snapshot_id.reset();
  }
  return Status::OK();
}

Status UpgradeFormatVersion(const Json& update, TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(int64_t version,
                        RequireLong(update, "upgrade-format-version", "format-version"));
  if (version < metadata.format_version) {
    return Status::InvalidArgument("cannot downgrade format version {} to {}",
                                   metadata.format_version, version);
  }
  if (version > table::kMaxFormatVersion) {
    return Status::NotSupported("format version {} (Floe writes up to {})", version,
                                table::kMaxFormatVersion);
  }
  metadata.format_version = static_cast<int>(version);
  return Status::OK();
}

Status ApplyUpdate(const Json& update, TableMetadata& metadata, Added& added) {
  if (!update.is_object()) {
    return Status::InvalidArgument("an update must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(std::string action, RequireString(update, "an update", "action"));
  if (action == "assign-uuid") {
    FLOE_ASSIGN_OR_RETURN(std::string uuid, RequireString(update, action, "uuid"));
    if (!metadata.table_uuid.empty() && metadata.table_uuid != uuid) {
      return Status::InvalidArgument("cannot reassign table uuid {} to {}", metadata.table_uuid,
                                     uuid);
    }
    metadata.table_uuid = uuid;
    return Status::OK();
  }
  if (action == "upgrade-format-version") {
    return UpgradeFormatVersion(update, metadata);
  }
  if (action == "add-schema") {
    return AddSchema(update, metadata, added);
  }
  if (action == "set-current-schema") {
    FLOE_ASSIGN_OR_RETURN(int64_t given, RequireLong(update, action, "schema-id"));
    FLOE_ASSIGN_OR_RETURN(int32_t id, ResolveAddedId(given, added.schema_id, action));
    if (metadata.FindSchema(id) == nullptr) {
      return Status::InvalidArgument("{}: schema {} does not exist", action, id);
    }
    metadata.current_schema_id = id;
    return Status::OK();
  }
  if (action == "add-spec") {
    return AddSpec(update, metadata, added);
  }
  if (action == "set-default-spec") {
    FLOE_ASSIGN_OR_RETURN(int64_t given, RequireLong(update, action, "spec-id"));
    FLOE_ASSIGN_OR_RETURN(int32_t id, ResolveAddedId(given, added.spec_id, action));
    bool exists =
        std::any_of(metadata.partition_specs.begin(), metadata.partition_specs.end(),
                    [&](const table::PartitionSpec& spec) { return spec.spec_id() == id; });
    if (!exists) {
      return Status::InvalidArgument("{}: partition spec {} does not exist", action, id);
    }
    metadata.default_spec_id = id;
    return Status::OK();
  }
  if (action == "add-sort-order") {
    return AddSortOrder(update, metadata, added);
  }
  if (action == "set-default-sort-order") {
    FLOE_ASSIGN_OR_RETURN(int64_t given, RequireLong(update, action, "sort-order-id"));
    FLOE_ASSIGN_OR_RETURN(int32_t id, ResolveAddedId(given, added.sort_order_id, action));
    bool exists = std::any_of(metadata.sort_orders.begin(), metadata.sort_orders.end(),
                              [&](const table::SortOrder& order) { return order.order_id == id; });
    if (!exists) {
      return Status::InvalidArgument("{}: sort order {} does not exist", action, id);
    }
    metadata.default_sort_order_id = id;
    return Status::OK();
  }
  if (action == "add-snapshot") {
    return AddSnapshot(update, metadata);
  }
  if (action == "set-snapshot-ref") {
    return SetSnapshotRef(update, metadata);
  }
  if (action == "remove-snapshots") {
    return RemoveSnapshots(update, metadata);
  }
  if (action == "remove-snapshot-ref") {
    return RemoveSnapshotRef(update, metadata);
  }
  if (action == "set-location") {
    FLOE_ASSIGN_OR_RETURN(metadata.location, RequireString(update, action, "location"));
    return Status::OK();
  }
  if (action == "set-properties") {
    return ApplySetProperties(update, metadata.properties);
  }
  if (action == "remove-properties") {
    return ApplyRemoveProperties(update, metadata.properties);
  }
  return Status::NotSupported("table update action \"{}\"", action);
}

Status ApplyUpdates(const Json& updates, TableMetadata& metadata) {
  if (updates.is_null()) {
    return Status::OK();
  }
  if (!updates.is_array()) {
    return Status::InvalidArgument("\"updates\" must be an array");
  }
  Added added;
  for (const Json& update : updates) {
    FLOE_RETURN_NOT_OK(ApplyUpdate(update, metadata, added));
  }
  return Status::OK();
}

bool IsRequirement(const Json& requirement, std::string_view type) {
  if (!requirement.is_object()) {
    return false;
  }
  auto found = requirement.find("type");
  return found != requirement.end() && found->is_string() &&
         found->get_ref<const std::string&>() == type;
}

}  // namespace

Status CheckTableRequirements(const Json& requirements, const TableMetadata& metadata) {
  if (requirements.is_null()) {
    return Status::OK();
  }
  if (!requirements.is_array()) {
    return Status::InvalidArgument("\"requirements\" must be an array");
  }
  for (const Json& requirement : requirements) {
    FLOE_RETURN_NOT_OK(CheckRequirement(requirement, metadata));
  }
  return Status::OK();
}

Status ApplyTableUpdates(const Json& updates, TableMetadata& metadata) {
  FLOE_RETURN_NOT_OK(ApplyUpdates(updates, metadata));
  return AsBadRequest(metadata.Validate(), "the updated table metadata is invalid");
}

bool HasAssertCreate(const Json& requirements) {
  if (!requirements.is_array()) {
    return false;
  }
  return std::any_of(requirements.begin(), requirements.end(), [](const Json& requirement) {
    return IsRequirement(requirement, "assert-create");
  });
}

Result<TableMetadata> NewTableFromUpdates(const Json& requirements, const Json& updates,
                                          std::string_view location) {
  TableMetadata metadata;
  // Clients send upgrade-format-version first (Java's and PyIceberg's create transactions
  // do); starting at that version keeps a v1 table from reading as a downgrade from 2.
  metadata.format_version = 2;
  if (!updates.is_array()) {
    return Status::InvalidArgument("\"updates\" must be an array");
  }
  for (const Json& update : updates) {
    auto action = update.find("action");
    if (action != update.end() && *action == "upgrade-format-version") {
      auto version = update.find("format-version");
      if (version != update.end() && version->is_number_integer() && version->get<int64_t>() >= 1 &&
          version->get<int64_t>() <= table::kMaxFormatVersion) {
        metadata.format_version = version->get<int>();
      }
      break;
    }
  }
  if (!requirements.is_array()) {
    return Status::InvalidArgument("\"requirements\" must be an array");
  }
  for (const Json& requirement : requirements) {
    if (!IsRequirement(requirement, "assert-create")) {
      FLOE_RETURN_NOT_OK(CheckRequirement(requirement, metadata));
    }
  }
  FLOE_RETURN_NOT_OK(ApplyUpdates(updates, metadata));
  if (metadata.schemas.empty()) {
    return Status::InvalidArgument("a table created by a commit needs an add-schema update");
  }
  if (metadata.table_uuid.empty()) {
    metadata.table_uuid = table::NewUuid();
  }
  if (metadata.partition_specs.empty()) {
    metadata.partition_specs.push_back(table::PartitionSpec::Unpartitioned());
    metadata.default_spec_id = metadata.partition_specs.back().spec_id();
  }
  if (metadata.sort_orders.empty()) {
    metadata.sort_orders.push_back(table::SortOrder::Unsorted());
    metadata.default_sort_order_id = metadata.sort_orders.back().order_id;
  }
  if (metadata.location.empty()) {
    metadata.location = std::string(location);
  }
  while (metadata.location.size() > 1 && metadata.location.back() == '/') {
    metadata.location.pop_back();
  }
  FLOE_RETURN_NOT_OK(AsBadRequest(metadata.Validate(), "the new table metadata is invalid"));
  return metadata;
}

}  // namespace floe::server::http
