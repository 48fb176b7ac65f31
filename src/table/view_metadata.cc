#include "table/view_metadata.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "io/file_system.h"
#include "table/id_generator.h"
#include "table/table_metadata.h"

namespace floe::table {

using Json = nlohmann::ordered_json;

namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

Status Malformed(std::string_view context, std::string_view key) {
  return Status::Corruption("view metadata: {}\"{}\" is missing or has the wrong type", context,
                            key);
}

Status Inconsistent(std::string_view field, std::string_view detail) {
  return Status::Corruption("view metadata field {}: {}", field, detail);
}

std::string Dump(const Json& node) {
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Reads members of one JSON object, naming the object in errors. Every access checks the
// node's type first, so nlohmann never throws.
class Reader {
 public:
  Reader(const Json& node, std::string context) : node_(node), context_(std::move(context)) {}

  bool Has(const char* key) const {
    auto it = node_.find(key);
    return it != node_.end() && !it->is_null();
  }
  Result<int64_t> Long(const char* key) const {
    auto it = node_.find(key);
    if (it == node_.end() || !it->is_number_integer()) {
      return Malformed(context_, key);
    }
    if (it->is_number_unsigned() &&
        it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Malformed(context_, key);
    }
    return it->get<int64_t>();
  }
  Result<int32_t> Int(const char* key) const {
    FLOE_ASSIGN_OR_RETURN(int64_t value, Long(key));
    if (value < std::numeric_limits<int32_t>::min() ||
        value > std::numeric_limits<int32_t>::max()) {
      return Status::Corruption("view metadata: {}\"{}\" is out of range: {}", context_, key,
                                value);
    }
    return static_cast<int32_t>(value);
  }
  Result<std::string> String(const char* key) const {
    auto it = node_.find(key);
    if (it == node_.end() || !it->is_string()) {
      return Malformed(context_, key);
    }
    return it->get<std::string>();
  }
  Result<const Json*> Array(const char* key) const {
    auto it = node_.find(key);
    if (it == node_.end() || !it->is_array()) {
      return Malformed(context_, key);
    }
    return &*it;
  }
  // An object of strings; absent gives an empty map when `is_required` is false.
  Result<std::map<std::string, std::string>> StringMap(const char* key, bool is_required) const {
    std::map<std::string, std::string> map;
    if (!Has(key)) {
      if (is_required) {
        return Malformed(context_, key);
      }
      return map;
    }
    const Json& object = *node_.find(key);
    if (!object.is_object()) {
      return Malformed(context_, key);
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!it->is_string()) {
        return Status::Corruption("view metadata: {}\"{}\": the value of {} is not a string",
                                  context_, key, it.key());
      }
      map[it.key()] = it->get<std::string>();
    }
    return map;
  }

 private:
  const Json& node_;
  std::string context_;
};

Result<ViewRepresentation> ParseRepresentation(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("representations", "an entry is not an object");
  }
  Reader reader(node, "representation ");
  FLOE_ASSIGN_OR_RETURN(std::string type, reader.String("type"));
  if (type != "sql") {
    return Inconsistent("representations", fmt::format("unknown representation type \"{}\"", type));
  }
  ViewRepresentation representation;
  FLOE_ASSIGN_OR_RETURN(representation.sql, reader.String("sql"));
  FLOE_ASSIGN_OR_RETURN(representation.dialect, reader.String("dialect"));
  if (representation.dialect.empty()) {
    return Inconsistent("representations", "a dialect is empty");
  }
  return representation;
}

Result<ViewVersion> ParseVersion(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("versions", "an entry is not an object");
  }
  Reader reader(node, "view version ");
  ViewVersion version;
  FLOE_ASSIGN_OR_RETURN(version.version_id, reader.Int("version-id"));
  FLOE_ASSIGN_OR_RETURN(version.timestamp_ms, reader.Long("timestamp-ms"));
  FLOE_ASSIGN_OR_RETURN(version.schema_id, reader.Int("schema-id"));
  FLOE_ASSIGN_OR_RETURN(version.summary, reader.StringMap("summary", true));
  FLOE_ASSIGN_OR_RETURN(const Json* representations, reader.Array("representations"));
  for (const Json& item : *representations) {
    FLOE_ASSIGN_OR_RETURN(ViewRepresentation representation, ParseRepresentation(item));
    version.representations.push_back(std::move(representation));
  }
  if (reader.Has("default-catalog")) {
    FLOE_ASSIGN_OR_RETURN(std::string catalog, reader.String("default-catalog"));
    version.default_catalog = std::move(catalog);
  }
  FLOE_ASSIGN_OR_RETURN(const Json* default_namespace, reader.Array("default-namespace"));
  for (const Json& level : *default_namespace) {
    if (!level.is_string()) {
      return Malformed("view version ", "default-namespace");
    }
    version.default_namespace.push_back(level.get<std::string>());
  }
  return version;
}

Result<ViewHistoryEntry> ParseHistoryEntry(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("version-log", "an entry is not an object");
  }
  Reader reader(node, "version-log entry ");
  ViewHistoryEntry entry;
  FLOE_ASSIGN_OR_RETURN(entry.timestamp_ms, reader.Long("timestamp-ms"));
  FLOE_ASSIGN_OR_RETURN(entry.version_id, reader.Int("version-id"));
  return entry;
}

Result<ViewMetadata> ParseMetadata(const Json& node) {
  if (!node.is_object()) {
    return Status::Corruption("view metadata is not a JSON object");
  }
  Reader reader(node, "");
  ViewMetadata metadata;
  FLOE_ASSIGN_OR_RETURN(int64_t format_version, reader.Long("format-version"));
  if (format_version < 1) {
    return Inconsistent("format-version",
                        fmt::format("{} is not a view format version", format_version));
  }
  if (format_version > kMaxViewFormatVersion) {
    return Status::NotSupported("view format version {}", format_version);
  }
  metadata.format_version = static_cast<int>(format_version);
  FLOE_ASSIGN_OR_RETURN(metadata.view_uuid, reader.String("view-uuid"));
  FLOE_ASSIGN_OR_RETURN(metadata.location, reader.String("location"));
  FLOE_ASSIGN_OR_RETURN(metadata.current_version_id, reader.Int("current-version-id"));
  FLOE_ASSIGN_OR_RETURN(const Json* versions, reader.Array("versions"));
  for (const Json& item : *versions) {
    FLOE_ASSIGN_OR_RETURN(ViewVersion version, ParseVersion(item));
    metadata.versions.push_back(std::move(version));
  }
  FLOE_ASSIGN_OR_RETURN(const Json* log, reader.Array("version-log"));
  for (const Json& item : *log) {
    FLOE_ASSIGN_OR_RETURN(ViewHistoryEntry entry, ParseHistoryEntry(item));
    metadata.version_log.push_back(entry);
  }
  FLOE_ASSIGN_OR_RETURN(const Json* schemas, reader.Array("schemas"));
  for (const Json& item : *schemas) {
    if (!item.is_object()) {
      return Inconsistent("schemas", "an entry is not an object");
    }
    Result<Schema> schema = SchemaFromJson(Dump(item));
    if (!schema.ok()) {
      return Inconsistent("schemas", schema.status().message());
    }
    metadata.schemas.push_back(std::move(*schema));
  }
  FLOE_ASSIGN_OR_RETURN(metadata.properties, reader.StringMap("properties", false));
  FLOE_RETURN_NOT_OK(metadata.Validate());
  return metadata;
}

Json VersionNode(const ViewVersion& version) {
  Json node = Json::object();
  node["version-id"] = version.version_id;
  node["timestamp-ms"] = version.timestamp_ms;
  node["schema-id"] = version.schema_id;
  node["summary"] = Json::object();
  for (const auto& [key, value] : version.summary) {
    node["summary"][key] = value;
  }
  node["representations"] = Json::array();
  for (const ViewRepresentation& representation : version.representations) {
    node["representations"].push_back(
        {{"type", "sql"}, {"sql", representation.sql}, {"dialect", representation.dialect}});
  }
  if (version.default_catalog.has_value()) {
    node["default-catalog"] = *version.default_catalog;
  }
  node["default-namespace"] = Json::array();
  for (const std::string& level : version.default_namespace) {
    node["default-namespace"].push_back(level);
  }
  return node;
}

}  // namespace

const ViewRepresentation* ViewVersion::FindDialect(std::string_view dialect) const {
  for (const ViewRepresentation& representation : representations) {
    if (EqualsIgnoringCase(representation.dialect, dialect)) {
      return &representation;
    }
  }
  return nullptr;
}

bool ViewVersion::SameDefinition(const ViewVersion& other) const {
  return schema_id == other.schema_id && summary == other.summary &&
         representations == other.representations && default_catalog == other.default_catalog &&
         default_namespace == other.default_namespace;
}

const ViewVersion* ViewMetadata::FindVersion(int32_t version_id) const {
  auto it = std::find_if(versions.begin(), versions.end(), [&](const ViewVersion& version) {
    return version.version_id == version_id;
  });
  return it == versions.end() ? nullptr : &*it;
}

const ViewVersion* ViewMetadata::CurrentVersion() const {
  return FindVersion(current_version_id);
}

const Schema* ViewMetadata::FindSchema(int32_t schema_id) const {
  auto it = std::find_if(schemas.begin(), schemas.end(),
                         [&](const Schema& schema) { return schema.schema_id() == schema_id; });
  return it == schemas.end() ? nullptr : &*it;
}

const Schema* ViewMetadata::CurrentSchema() const {
  const ViewVersion* version = CurrentVersion();
  return version == nullptr ? nullptr : FindSchema(version->schema_id);
}

Status ViewMetadata::Validate() const {
  if (format_version < 1) {
    return Inconsistent("format-version",
                        fmt::format("{} is not a view format version", format_version));
  }
  if (format_version > kMaxViewFormatVersion) {
    return Status::NotSupported("view format version {}", format_version);
  }
  if (view_uuid.empty()) {
    return Inconsistent("view-uuid", "must not be empty");
  }
  if (location.empty()) {
    return Inconsistent("location", "must not be empty");
  }
  std::set<int32_t> schema_ids;
  for (const Schema& schema : schemas) {
    if (!schema_ids.insert(schema.schema_id()).second) {
      return Inconsistent("schemas", fmt::format("schema id {} appears twice", schema.schema_id()));
    }
  }
  std::set<int32_t> version_ids;
  for (const ViewVersion& version : versions) {
    if (!version_ids.insert(version.version_id).second) {
      return Inconsistent("versions",
                          fmt::format("version id {} appears twice", version.version_id));
    }
    if (FindSchema(version.schema_id) == nullptr) {
      return Inconsistent("versions", fmt::format("version {} refers to missing schema {}",
                                                  version.version_id, version.schema_id));
    }
    for (size_t i = 0; i < version.representations.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (EqualsIgnoringCase(version.representations[i].dialect,
                               version.representations[j].dialect)) {
          return Inconsistent("versions",
                              fmt::format("version {} has two representations in dialect {}",
                                          version.version_id, version.representations[i].dialect));
        }
      }
    }
  }
  if (CurrentVersion() == nullptr) {
    return Inconsistent("current-version-id",
                        fmt::format("no version with id {}", current_version_id));
  }
  return Status::OK();
}

Result<ViewMetadata> ViewMetadataFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded()) {
    return Status::Corruption("view metadata is not valid JSON");
  }
  return ParseMetadata(node);
}

std::string ViewMetadataToJson(const ViewMetadata& metadata) {
  Json node = Json::object();
  node["view-uuid"] = metadata.view_uuid;
  node["format-version"] = metadata.format_version;
  node["location"] = metadata.location;
  node["current-version-id"] = metadata.current_version_id;
  node["versions"] = Json::array();
  for (const ViewVersion& version : metadata.versions) {
    node["versions"].push_back(VersionNode(version));
  }
  node["version-log"] = Json::array();
  for (const ViewHistoryEntry& entry : metadata.version_log) {
    node["version-log"].push_back(
        {{"timestamp-ms", entry.timestamp_ms}, {"version-id", entry.version_id}});
  }
  node["schemas"] = Json::array();
  for (const Schema& schema : metadata.schemas) {
    node["schemas"].push_back(Json::parse(SchemaToJson(schema), nullptr, false));
  }
  node["properties"] = Json::object();
  for (const auto& [key, value] : metadata.properties) {
    node["properties"][key] = value;
  }
  return Dump(node);
}

Result<ViewVersion> ViewVersionFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded()) {
    return Status::Corruption("view version is not valid JSON");
  }
  return ParseVersion(node);
}

std::string ViewVersionToJson(const ViewVersion& version) {
  return Dump(VersionNode(version));
}

Result<std::string> WriteViewMetadataFile(io::FileSystem& file_system, const ViewMetadata& metadata,
                                          std::string_view base_location) {
  int64_t version = 0;
  if (!base_location.empty()) {
    std::string_view file_name = base_location.substr(base_location.rfind('/') + 1);
    Result<int64_t> base_version = ParseMetadataFileVersion(file_name);
    // A base written by another catalog may be named otherwise; the uuid keeps names unique.
    version = base_version.ok() ? *base_version : 0;
  }
  std::string location = metadata.location;
  while (location.ends_with('/')) {
    location.pop_back();
  }
  std::string path = location + "/metadata/" + MetadataFileName(version + 1, NewUuid());
  FLOE_RETURN_NOT_OK(file_system.CreateExclusive(path, ViewMetadataToJson(metadata)));
  return path;
}

Result<ViewMetadata> ReadViewMetadataFile(io::FileSystem& file_system, std::string_view location) {
  FLOE_ASSIGN_OR_RETURN(std::string bytes, file_system.ReadAll(location));
  Result<ViewMetadata> metadata = ViewMetadataFromJson(bytes);
  if (!metadata.ok()) {
    return metadata.status().WithContext(fmt::format("view metadata file {}", location));
  }
  return metadata;
}

}  // namespace floe::table
