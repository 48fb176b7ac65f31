#include "server/http/iceberg_rest_views.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "server/http/iceberg_rest_commit.h"
#include "table/id_generator.h"

namespace floe::server::http {
namespace {

using Json = nlohmann::json;
using table::ViewMetadata;

// How many versions a view keeps when its properties do not say (view spec: the property
// "version.history.num-entries").
constexpr int kDefaultVersionsKept = 10;

// The parsers of table/ report malformed JSON as Corruption (stored data); here the JSON came
// from the client, so the same error is the client's.
Status AsBadRequest(const Status& status, std::string_view what) {
  if (status.code() == StatusCode::kCorruption || status.code() == StatusCode::kInvalidArgument) {
    return Status::InvalidArgument("{}: {}", what, status.message());
  }
  return status;
}

Result<table::Schema> ParseSchema(const Json& node, std::string_view what) {
  if (!node.is_object()) {
    return Status::InvalidArgument("{}: \"schema\" must be an object", what);
  }
  Result<table::Schema> schema = table::SchemaFromJson(node.dump());
  if (!schema.ok()) {
    return AsBadRequest(schema.status(), what);
  }
  return schema;
}

Result<table::ViewVersion> ParseVersion(const Json& node, std::string_view what) {
  if (!node.is_object()) {
    return Status::InvalidArgument("{}: \"view-version\" must be an object", what);
  }
  Result<table::ViewVersion> version = table::ViewVersionFromJson(node.dump());
  if (!version.ok()) {
    return AsBadRequest(version.status(), what);
  }
  return version;
}

// What earlier updates of one request added, for the id -1 of later ones.
struct Added {
  std::optional<int32_t> schema_id;
  std::optional<int32_t> version_id;
};

Result<int32_t> ResolveAddedId(int64_t id, const std::optional<int32_t>& last_added,
                               std::string_view action) {
  if (id != -1) {
    if (id < std::numeric_limits<int32_t>::min() || id > std::numeric_limits<int32_t>::max()) {
      return Status::InvalidArgument("{}: id {} is out of range", action, id);
    }
    return static_cast<int32_t>(id);
  }
  if (!last_added.has_value()) {
    return Status::InvalidArgument("{}: -1 refers to the last one added, but none was added",
                                   action);
  }
  return *last_added;
}

Status AddSchema(const Json& update, ViewMetadata& metadata, Added& added) {
  FLOE_ASSIGN_OR_RETURN(const Json* node, RequireMember(update, "add-schema", "schema"));
  FLOE_ASSIGN_OR_RETURN(table::Schema parsed, ParseSchema(*node, "add-schema"));
  // A schema equal to one the view has reuses its id, as for tables.
  for (const table::Schema& existing : metadata.schemas) {
    if (existing.fields() == parsed.fields() &&
        existing.identifier_field_ids() == parsed.identifier_field_ids()) {
      added.schema_id = existing.schema_id();
      return Status::OK();
    }
  }
  int32_t schema_id = 0;
  for (const table::Schema& existing : metadata.schemas) {
    schema_id = std::max(schema_id, existing.schema_id() + 1);
  }
  Result<table::Schema> schema =
      table::Schema::Make(schema_id, parsed.fields(), parsed.identifier_field_ids());
  if (!schema.ok()) {
    return AsBadRequest(schema.status(), "add-schema");
  }
  metadata.schemas.push_back(std::move(*schema));
  added.schema_id = schema_id;
  return Status::OK();
}

Status AddVersion(const Json& update, ViewMetadata& metadata, Added& added, int64_t now_ms) {
  FLOE_ASSIGN_OR_RETURN(const Json* node,
                        RequireMember(update, "add-view-version", "view-version"));
  FLOE_ASSIGN_OR_RETURN(table::ViewVersion version, ParseVersion(*node, "add-view-version"));
  FLOE_ASSIGN_OR_RETURN(version.schema_id,
                        ResolveAddedId(version.schema_id, added.schema_id, "add-view-version"));
  if (metadata.FindSchema(version.schema_id) == nullptr) {
    return Status::InvalidArgument("add-view-version: the view has no schema {}",
                                   version.schema_id);
  }
  if (version.representations.empty()) {
    return Status::InvalidArgument("add-view-version: a version needs a representation");
  }
  // Re-adding the definition of an existing version reuses that version.
  for (const table::ViewVersion& existing : metadata.versions) {
    if (existing.SameDefinition(version)) {
      added.version_id = existing.version_id;
      return Status::OK();
    }
  }
  int32_t version_id = 1;
  for (const table::ViewVersion& existing : metadata.versions) {
    version_id = std::max(version_id, existing.version_id + 1);
  }
  version.version_id = version_id;
  if (version.timestamp_ms <= 0) {
    version.timestamp_ms = now_ms;
  }
  metadata.versions.push_back(std::move(version));
  added.version_id = version_id;
  return Status::OK();
}

Status SetCurrentVersion(const Json& update, ViewMetadata& metadata, const Added& added,
                         int64_t now_ms) {
  FLOE_ASSIGN_OR_RETURN(int64_t given,
                        RequireLong(update, "set-current-view-version", "view-version-id"));
  FLOE_ASSIGN_OR_RETURN(int32_t version_id,
                        ResolveAddedId(given, added.version_id, "set-current-view-version"));
  if (metadata.FindVersion(version_id) == nullptr) {
    return Status::InvalidArgument("set-current-view-version: the view has no version {}",
                                   version_id);
  }
  if (version_id != metadata.current_version_id) {
    metadata.current_version_id = version_id;
    metadata.version_log.push_back({now_ms, version_id});
  }
  return Status::OK();
}

Status ApplyUpdate(const Json& update, ViewMetadata& metadata, Added& added, int64_t now_ms) {
  if (!update.is_object()) {
    return Status::InvalidArgument("each update must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(std::string action, RequireString(update, "update", "action"));
  if (action == "assign-uuid") {
    FLOE_ASSIGN_OR_RETURN(std::string uuid, RequireString(update, action, "uuid"));
    if (uuid != metadata.view_uuid) {
      return Status::InvalidArgument("assign-uuid: a view's uuid cannot change (it is {})",
                                     metadata.view_uuid);
    }
    return Status::OK();
  }
  if (action == "upgrade-format-version") {
    FLOE_ASSIGN_OR_RETURN(int64_t version, RequireLong(update, action, "format-version"));
    if (version < metadata.format_version) {
      return Status::InvalidArgument("upgrade-format-version: cannot downgrade from {} to {}",
                                     metadata.format_version, version);
    }
    if (version > table::kMaxViewFormatVersion) {
      return Status::InvalidArgument("upgrade-format-version: unsupported view format version {}",
                                     version);
    }
    return Status::OK();
  }
  if (action == "add-schema") {
    return AddSchema(update, metadata, added);
  }
  if (action == "set-location") {
    FLOE_ASSIGN_OR_RETURN(std::string location, RequireString(update, action, "location"));
    while (location.ends_with('/')) {
      location.pop_back();
    }
    if (location.empty()) {
      return Status::InvalidArgument("set-location: the location must not be empty");
    }
    metadata.location = std::move(location);
    return Status::OK();
  }
  if (action == "set-properties") {
    return ApplySetProperties(update, metadata.properties);
  }
  if (action == "remove-properties") {
    return ApplyRemoveProperties(update, metadata.properties);
  }
  if (action == "add-view-version") {
    return AddVersion(update, metadata, added, now_ms);
  }
  if (action == "set-current-view-version") {
    return SetCurrentVersion(update, metadata, added, now_ms);
  }
  return Status::NotSupported("view update action \"{}\" is not supported", action);
}

// Keeps the newest versions (by id) up to the configured number, and always the current one.
Status TrimVersions(ViewMetadata& metadata) {
  int64_t kept = kDefaultVersionsKept;
  if (auto it = metadata.properties.find("version.history.num-entries");
      it != metadata.properties.end()) {
    char* end = nullptr;
    kept = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || kept < 1) {
      return Status::InvalidArgument("version.history.num-entries must be a positive integer: {}",
                                     it->second);
    }
  }
  if (static_cast<int64_t>(metadata.versions.size()) <= kept) {
    return Status::OK();
  }
  std::vector<int32_t> ids;
  for (const table::ViewVersion& version : metadata.versions) {
    ids.push_back(version.version_id);
  }
  std::sort(ids.begin(), ids.end(), std::greater<>());
  std::set<int32_t> keep(ids.begin(), ids.begin() + kept);
  keep.insert(metadata.current_version_id);
  std::erase_if(metadata.versions, [&](const table::ViewVersion& version) {
    return !keep.contains(version.version_id);
  });
  return Status::OK();
}

}  // namespace

Result<table::ViewMetadata> NewViewMetadata(const Json& request, std::string location,
                                            int64_t now_ms) {
  auto schema_node = request.find("schema");
  if (schema_node == request.end()) {
    return Status::InvalidArgument("\"schema\" must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(table::Schema schema, ParseSchema(*schema_node, "schema"));
  auto version_node = request.find("view-version");
  if (version_node == request.end()) {
    return Status::InvalidArgument("\"view-version\" must be an object");
  }
  FLOE_ASSIGN_OR_RETURN(table::ViewVersion version, ParseVersion(*version_node, "view-version"));
  if (version.representations.empty()) {
    return Status::InvalidArgument("view-version: a version needs a representation");
  }
  ViewMetadata metadata;
  metadata.view_uuid = table::NewUuid();
  metadata.location = std::move(location);
  version.version_id = 1;
  version.schema_id = schema.schema_id();
  if (version.timestamp_ms <= 0) {
    version.timestamp_ms = now_ms;
  }
  metadata.current_version_id = 1;
  metadata.version_log.push_back({now_ms, 1});
  metadata.versions.push_back(std::move(version));
  metadata.schemas.push_back(std::move(schema));
  if (auto properties = request.find("properties");
      properties != request.end() && !properties->is_null()) {
    if (!properties->is_object()) {
      return Status::InvalidArgument("\"properties\" must be an object of strings");
    }
    for (const auto& [key, value] : properties->items()) {
      if (!value.is_string()) {
        return Status::InvalidArgument("\"properties\": the value of {} must be a string", key);
      }
      metadata.properties[key] = value.get<std::string>();
    }
  }
  FLOE_RETURN_NOT_OK(AsBadRequest(metadata.Validate(), "view-version"));
  return metadata;
}

Status CheckViewRequirements(const Json& requirements, const ViewMetadata& metadata) {
  if (!requirements.is_array()) {
    return Status::InvalidArgument("\"requirements\" must be an array");
  }
  for (const Json& requirement : requirements) {
    if (!requirement.is_object()) {
      return Status::InvalidArgument("each requirement must be an object");
    }
    FLOE_ASSIGN_OR_RETURN(std::string type, RequireString(requirement, "requirement", "type"));
    if (type != "assert-view-uuid") {
      return Status::InvalidArgument("unknown view requirement \"{}\"", type);
    }
    FLOE_ASSIGN_OR_RETURN(std::string uuid, RequireString(requirement, type, "uuid"));
    if (uuid != metadata.view_uuid) {
      return Status::Conflict("requirement failed: view uuid does not match: expected {} != {}",
                              uuid, metadata.view_uuid);
    }
  }
  return Status::OK();
}

Status ApplyViewUpdates(const Json& updates, ViewMetadata& metadata, int64_t now_ms) {
  if (!updates.is_array()) {
    return Status::InvalidArgument("\"updates\" must be an array");
  }
  Added added;
  for (const Json& update : updates) {
    FLOE_RETURN_NOT_OK(ApplyUpdate(update, metadata, added, now_ms));
  }
  FLOE_RETURN_NOT_OK(TrimVersions(metadata));
  return AsBadRequest(metadata.Validate(), "the updated view is invalid");
}

}  // namespace floe::server::http
