#include "table/table_change.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "io/file_system.h"
#include "table/id_generator.h"

namespace floe::table {

Result<TableMetadata> MetadataChange::Apply(const Table& base, int attempt,
                                            std::vector<std::string>& written) {
  TableMetadata metadata = *base.metadata;
  FLOE_RETURN_NOT_OK(update_(metadata));
  FLOE_RETURN_NOT_OK(metadata.Validate());
  return metadata;
}

std::unique_ptr<TableChange> UpdateProperties(std::map<std::string, std::string> updates,
                                              std::vector<std::string> removals) {
  return std::make_unique<MetadataChange>(
      [updates = std::move(updates), removals = std::move(removals)](TableMetadata& metadata) {
        for (const std::string& key : removals) {
          metadata.properties.erase(key);
        }
        for (const auto& [key, value] : updates) {
          metadata.properties[key] = value;
        }
        return Status::OK();
      });
}

std::unique_ptr<TableChange> UpdateSchema(std::function<void(SchemaUpdate&)> edit) {
  return std::make_unique<MetadataChange>([edit = std::move(edit)](TableMetadata& metadata) {
    SchemaUpdate update(*metadata.CurrentSchema(), metadata.last_column_id,
                        metadata.format_version);
    edit(update);
    int32_t next_id = 0;
    for (const Schema& schema : metadata.schemas) {
      next_id = std::max(next_id, schema.schema_id() + 1);
    }
    FLOE_ASSIGN_OR_RETURN(Schema schema, update.Apply(next_id));
    metadata.last_column_id = std::max(metadata.last_column_id, update.last_column_id());
    for (const Schema& existing : metadata.schemas) {
      if (existing.fields() == schema.fields() &&
          existing.identifier_field_ids() == schema.identifier_field_ids()) {
        metadata.current_schema_id = existing.schema_id();
        return Status::OK();
      }
    }
    metadata.schemas.push_back(schema);
    metadata.current_schema_id = schema.schema_id();
    return Status::OK();
  });
}

std::unique_ptr<TableChange> UpdatePartitionSpec(std::vector<PartitionField> fields) {
  return std::make_unique<MetadataChange>([fields = std::move(fields)](TableMetadata& metadata) {
    FLOE_ASSIGN_OR_RETURN(PartitionSpec spec,
                          EvolvePartitionSpec(*metadata.CurrentSchema(), metadata.partition_specs,
                                              fields, metadata.last_partition_id));
    for (const PartitionSpec& existing : metadata.partition_specs) {
      if (existing.fields() == spec.fields()) {
        metadata.default_spec_id = existing.spec_id();
        return Status::OK();
      }
    }
    metadata.default_spec_id = spec.spec_id();
    metadata.partition_specs.push_back(std::move(spec));
    return Status::OK();
  });
}

namespace {

int64_t PropertyOr(const TableMetadata& metadata, const std::string& key, int64_t fallback) {
  auto found = metadata.properties.find(key);
  if (found == metadata.properties.end()) {
    return fallback;
  }
  char* end = nullptr;
  long long value = std::strtoll(found->second.c_str(), &end, 10);
  return end != found->second.c_str() && *end == '\0' ? value : fallback;
}

}  // namespace

Result<std::string> WriteMetadataFile(io::FileSystem& file_system, TableMetadata& metadata,
                                      std::string_view base_location, const TableMetadata* base) {
  int64_t version = 0;
  if (!base_location.empty()) {
    std::string_view name = base_location.substr(base_location.rfind('/') + 1);
    Result<int64_t> base_version = ParseMetadataFileVersion(name);
    version = base_version.ok() ? *base_version + 1 : 1;
    metadata.metadata_log.push_back(MetadataLogEntry{
        base != nullptr ? base->last_updated_ms : NowMillis(), std::string(base_location)});
    const int64_t keep =
        std::max<int64_t>(0, PropertyOr(metadata, "write.metadata.previous-versions-max", 100));
    if (static_cast<int64_t>(metadata.metadata_log.size()) > keep) {
      metadata.metadata_log.erase(metadata.metadata_log.begin(),
                                  metadata.metadata_log.end() - static_cast<std::ptrdiff_t>(keep));
    }
  }
  metadata.last_updated_ms = std::max(NowMillis(), metadata.last_updated_ms);
  FLOE_RETURN_NOT_OK(metadata.Validate());
  std::string location = metadata.location + "/metadata/" + MetadataFileName(version, NewUuid());
  FLOE_RETURN_NOT_OK(file_system.CreateExclusive(location, TableMetadataToJson(metadata)));
  return location;
}

}  // namespace floe::table
