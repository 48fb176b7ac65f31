#include "table/table_metadata.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

namespace floe::table {

using Json = nlohmann::ordered_json;

std::string Snapshot::operation() const {
  auto it = summary.find("operation");
  return it == summary.end() ? std::string() : it->second;
}

namespace {

template <typename T, typename Id, typename Key>
const T* FindById(const std::vector<T>& items, Id id, Key key) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return key(item) == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Schema* TableMetadata::FindSchema(int32_t schema_id) const {
  return FindById(schemas, schema_id, [](const Schema& schema) { return schema.schema_id(); });
}

const Schema* TableMetadata::CurrentSchema() const {
  return FindSchema(current_schema_id);
}

const PartitionSpec* TableMetadata::DefaultSpec() const {
  return FindById(partition_specs, default_spec_id,
                  [](const PartitionSpec& spec) { return spec.spec_id(); });
}

const SortOrder* TableMetadata::DefaultSortOrder() const {
  return FindById(sort_orders, default_sort_order_id,
                  [](const SortOrder& order) { return order.order_id; });
}

const Snapshot* TableMetadata::FindSnapshot(int64_t snapshot_id) const {
  return FindById(snapshots, snapshot_id,
                  [](const Snapshot& snapshot) { return snapshot.snapshot_id; });
}

const Snapshot* TableMetadata::CurrentSnapshot() const {
  return current_snapshot_id.has_value() ? FindSnapshot(*current_snapshot_id) : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Validation

namespace {

Status Inconsistent(std::string_view field, std::string_view detail) {
  return Status::Corruption("table metadata field {}: {}", field, detail);
}

template <typename T, typename Key>
Status CheckUniqueIds(const std::vector<T>& items, Key key, std::string_view field) {
  std::set<int64_t> seen;
  for (const T& item : items) {
    if (!seen.insert(key(item)).second) {
      return Inconsistent(field, fmt::format("id {} appears twice", key(item)));
    }
  }
  return Status::OK();
}

Status CheckSnapshots(const TableMetadata& metadata) {
  for (const Snapshot& snapshot : metadata.snapshots) {
    if (metadata.format_version >= 2 && snapshot.sequence_number > metadata.last_sequence_number) {
      return Inconsistent("snapshots", fmt::format("snapshot {} has sequence number {} above "
                                                   "last-sequence-number {}",
                                                   snapshot.snapshot_id, snapshot.sequence_number,
                                                   metadata.last_sequence_number));
    }
    const Snapshot* parent = snapshot.parent_snapshot_id.has_value()
                                 ? metadata.FindSnapshot(*snapshot.parent_snapshot_id)
                                 : nullptr;
    // Spec "Sequence Numbers": each commit takes a new, larger sequence number.
    if (metadata.format_version >= 2 && parent != nullptr && snapshot.sequence_number != 0 &&
        snapshot.sequence_number <= parent->sequence_number) {
      return Inconsistent("snapshots", fmt::format("snapshot {} has sequence number {}, not "
                                                   "above its parent's {}",
                                                   snapshot.snapshot_id, snapshot.sequence_number,
                                                   parent->sequence_number));
    }
    if (metadata.format_version >= 2 && snapshot.manifest_list.empty()) {
      return Inconsistent("snapshots",
                          fmt::format("snapshot {} has no manifest-list", snapshot.snapshot_id));
    }
  }
  return Status::OK();
}

Status CheckReferences(const TableMetadata& metadata) {
  if (metadata.CurrentSchema() == nullptr) {
    return Inconsistent("current-schema-id",
                        fmt::format("no schema with id {}", metadata.current_schema_id));
  }
  if (metadata.DefaultSpec() == nullptr) {
    return Inconsistent("default-spec-id",
                        fmt::format("no partition spec with id {}", metadata.default_spec_id));
  }
  if (metadata.DefaultSortOrder() == nullptr) {
    return Inconsistent("default-sort-order-id",
                        fmt::format("no sort order with id {}", metadata.default_sort_order_id));
  }
  if (metadata.current_snapshot_id.has_value() && metadata.CurrentSnapshot() == nullptr) {
    return Inconsistent("current-snapshot-id",
                        fmt::format("no snapshot with id {}", *metadata.current_snapshot_id));
  }
  for (const auto& [name, ref] : metadata.refs) {
    if (metadata.FindSnapshot(ref.snapshot_id) == nullptr) {
      return Inconsistent(
          "refs", fmt::format("ref {} points to missing snapshot {}", name, ref.snapshot_id));
    }
  }
  return Status::OK();
}

Status CheckIdBookkeeping(const TableMetadata& metadata) {
  for (const Schema& schema : metadata.schemas) {
    if (schema.HighestFieldId() > metadata.last_column_id) {
      return Inconsistent(
          "last-column-id",
          fmt::format("{} is below field id {} of schema {}", metadata.last_column_id,
                      schema.HighestFieldId(), schema.schema_id()));
    }
  }
  for (const PartitionSpec& spec : metadata.partition_specs) {
    if (spec.HighestFieldId() > metadata.last_partition_id) {
      return Inconsistent(
          "last-partition-id",
          fmt::format("{} is below partition field id {} of spec {}", metadata.last_partition_id,
                      spec.HighestFieldId(), spec.spec_id()));
    }
  }
  return Status::OK();
}

}  // namespace

Status TableMetadata::Validate() const {
  if (format_version < 1 || format_version > kMaxFormatVersion) {
    return Status::NotSupported("table format version {}", format_version);
  }
  if (format_version >= 2 && table_uuid.empty()) {
    return Inconsistent("table-uuid", "required from format version 2");
  }
  FLOE_RETURN_NOT_OK(CheckUniqueIds(
      schemas, [](const Schema& schema) { return schema.schema_id(); }, "schemas"));
  FLOE_RETURN_NOT_OK(CheckUniqueIds(
      partition_specs, [](const PartitionSpec& spec) { return spec.spec_id(); },
      "partition-specs"));
  FLOE_RETURN_NOT_OK(CheckUniqueIds(
      sort_orders, [](const SortOrder& order) { return order.order_id; }, "sort-orders"));
  FLOE_RETURN_NOT_OK(CheckUniqueIds(
      snapshots, [](const Snapshot& snapshot) { return snapshot.snapshot_id; }, "snapshots"));
  FLOE_RETURN_NOT_OK(CheckReferences(*this));
  FLOE_RETURN_NOT_OK(CheckIdBookkeeping(*this));
  return CheckSnapshots(*this);
}

namespace {

std::optional<std::string> UnreadableType(const Type& type) {
  if (type.IsNested()) {
    for (const NestedField& field : type.fields()) {
      std::optional<std::string> found = UnreadableType(field.type);
      if (found.has_value()) {
        return found;
      }
    }
    return std::nullopt;
  }
  if (!ToLogicalType(type).ok()) {
    return type.ToString();
  }
  return std::nullopt;
}

}  // namespace

Status TableMetadata::CheckReadable() const {
  if (format_version > kMaxFormatVersion) {
    return Status::NotSupported("table format version {}", format_version);
  }
  const Schema* schema = CurrentSchema();
  if (schema == nullptr) {
    return Inconsistent("current-schema-id", "no current schema");
  }
  std::optional<std::string> type = UnreadableType(schema->AsStruct());
  if (type.has_value()) {
    return Status::NotSupported("reading columns of Iceberg type {} (format version 3)", *type);
  }
  if (!encryption_keys.empty()) {
    return Status::NotSupported("reading encrypted tables (encryption-keys)");
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// JSON (spec Appendix C). Every access checks the node's type first, so nlohmann never throws.

namespace {

/// Reads members of one JSON object, naming the object in errors.
class ObjectReader {
 public:
  ObjectReader(const Json& node, std::string context) : node_(node), context_(std::move(context)) {}

  bool Has(const char* key) const { return node_.contains(key) && !node_[key].is_null(); }

  Status Missing(const char* key) const {
    return Status::Corruption("table metadata: {}\"{}\" is missing or has the wrong type", context_,
                              key);
  }

  Result<int64_t> Long(const char* key) const {
    auto it = node_.find(key);
    if (it == node_.end() || !it->is_number_integer()) {
      return Missing(key);
    }
    return it->get<int64_t>();
  }
  Result<int32_t> Int(const char* key) const {
    FLOE_ASSIGN_OR_RETURN(int64_t value, Long(key));
    return static_cast<int32_t>(value);
  }
  Result<std::string> String(const char* key) const {
    auto it = node_.find(key);
    if (it == node_.end() || !it->is_string()) {
      return Missing(key);
    }
    return it->get<std::string>();
  }
  Result<std::optional<int64_t>> OptionalLong(const char* key) const {
    if (!Has(key)) {
      return std::optional<int64_t>();
    }
    FLOE_ASSIGN_OR_RETURN(int64_t value, Long(key));
    return std::optional<int64_t>(value);
  }
  Result<std::optional<std::string>> OptionalString(const char* key) const {
    if (!Has(key)) {
      return std::optional<std::string>();
    }
    FLOE_ASSIGN_OR_RETURN(std::string value, String(key));
    return std::optional<std::string>(std::move(value));
  }
  /// A list member; absent gives an empty list.
  Result<std::vector<Json>> List(const char* key) const {
    if (!Has(key)) {
      return std::vector<Json>();
    }
    const Json& list = node_[key];
    if (!list.is_array()) {
      return Missing(key);
    }
    return std::vector<Json>(list.begin(), list.end());
  }
  /// A map of strings; non-string values keep their JSON text.
  Result<std::map<std::string, std::string>> StringMap(const char* key) const {
    std::map<std::string, std::string> map;
    if (!Has(key)) {
      return map;
    }
    const Json& object = node_[key];
    if (!object.is_object()) {
      return Missing(key);
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      map[it.key()] = it->is_string() ? it->get<std::string>()
                                      : it->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return map;
  }
  const Json& node() const { return node_; }

 private:
  const Json& node_;
  std::string context_;
};

std::string Dump(const Json& node) {
  return node.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status InContext(const Status& status, std::string_view field) {
  if (status.code() == StatusCode::kInvalidArgument) {
    return Status::Corruption("table metadata field {}: {}", field, status.message());
  }
  return status.WithContext(fmt::format("table metadata field {}", field));
}

Result<Snapshot> ParseSnapshot(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("snapshots", "an entry is not an object");
  }
  ObjectReader reader(node, "snapshot ");
  Snapshot snapshot;
  FLOE_ASSIGN_OR_RETURN(snapshot.snapshot_id, reader.Long("snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(snapshot.parent_snapshot_id, reader.OptionalLong("parent-snapshot-id"));
  // Appendix E: a v1 snapshot's sequence number defaults to 0.
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> sequence, reader.OptionalLong("sequence-number"));
  snapshot.sequence_number = sequence.value_or(0);
  FLOE_ASSIGN_OR_RETURN(snapshot.timestamp_ms, reader.Long("timestamp-ms"));
  FLOE_ASSIGN_OR_RETURN(std::optional<std::string> list, reader.OptionalString("manifest-list"));
  snapshot.manifest_list = list.value_or("");
  FLOE_ASSIGN_OR_RETURN(std::vector<Json> manifests, reader.List("manifests"));
  for (const Json& manifest : manifests) {
    if (!manifest.is_string()) {
      return reader.Missing("manifests");
    }
    snapshot.manifests.push_back(manifest.get<std::string>());
  }
  FLOE_ASSIGN_OR_RETURN(snapshot.summary, reader.StringMap("summary"));
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> schema_id, reader.OptionalLong("schema-id"));
  if (schema_id.has_value()) {
    snapshot.schema_id = static_cast<int32_t>(*schema_id);
  }
  FLOE_ASSIGN_OR_RETURN(snapshot.first_row_id, reader.OptionalLong("first-row-id"));
  FLOE_ASSIGN_OR_RETURN(snapshot.added_rows, reader.OptionalLong("added-rows"));
  FLOE_ASSIGN_OR_RETURN(snapshot.key_id, reader.OptionalString("key-id"));
  return snapshot;
}

Result<SnapshotRef> ParseRef(const std::string& name, const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("refs", fmt::format("ref {} is not an object", name));
  }
  ObjectReader reader(node, fmt::format("ref {} ", name));
  SnapshotRef ref;
  FLOE_ASSIGN_OR_RETURN(ref.snapshot_id, reader.Long("snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(std::string type, reader.String("type"));
  if (type != "branch" && type != "tag") {
    return Inconsistent("refs", fmt::format("ref {} has unknown type \"{}\"", name, type));
  }
  ref.type = type == "branch" ? SnapshotRefType::kBranch : SnapshotRefType::kTag;
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> keep, reader.OptionalLong("min-snapshots-to-keep"));
  if (keep.has_value()) {
    ref.min_snapshots_to_keep = static_cast<int32_t>(*keep);
  }
  FLOE_ASSIGN_OR_RETURN(ref.max_snapshot_age_ms, reader.OptionalLong("max-snapshot-age-ms"));
  FLOE_ASSIGN_OR_RETURN(ref.max_ref_age_ms, reader.OptionalLong("max-ref-age-ms"));
  return ref;
}

Result<BlobMetadata> ParseBlob(const Json& node) {
  ObjectReader reader(node, "blob-metadata ");
  BlobMetadata blob;
  FLOE_ASSIGN_OR_RETURN(blob.type, reader.String("type"));
  FLOE_ASSIGN_OR_RETURN(blob.snapshot_id, reader.Long("snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(blob.sequence_number, reader.Long("sequence-number"));
  FLOE_ASSIGN_OR_RETURN(std::vector<Json> fields, reader.List("fields"));
  for (const Json& field : fields) {
    if (!field.is_number_integer()) {
      return reader.Missing("fields");
    }
    blob.fields.push_back(static_cast<int32_t>(field.get<int64_t>()));
  }
  FLOE_ASSIGN_OR_RETURN(blob.properties, reader.StringMap("properties"));
  return blob;
}

Result<StatisticsFile> ParseStatistics(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("statistics", "an entry is not an object");
  }
  ObjectReader reader(node, "statistics ");
  StatisticsFile file;
  FLOE_ASSIGN_OR_RETURN(file.snapshot_id, reader.Long("snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(file.statistics_path, reader.String("statistics-path"));
  FLOE_ASSIGN_OR_RETURN(file.file_size_in_bytes, reader.Long("file-size-in-bytes"));
  FLOE_ASSIGN_OR_RETURN(file.file_footer_size_in_bytes, reader.Long("file-footer-size-in-bytes"));
  FLOE_ASSIGN_OR_RETURN(file.key_metadata, reader.OptionalString("key-metadata"));
  FLOE_ASSIGN_OR_RETURN(std::vector<Json> blobs, reader.List("blob-metadata"));
  for (const Json& blob : blobs) {
    FLOE_ASSIGN_OR_RETURN(BlobMetadata parsed, ParseBlob(blob));
    file.blob_metadata.push_back(std::move(parsed));
  }
  return file;
}

Result<PartitionStatisticsFile> ParsePartitionStatistics(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("partition-statistics", "an entry is not an object");
  }
  ObjectReader reader(node, "partition-statistics ");
  PartitionStatisticsFile file;
  FLOE_ASSIGN_OR_RETURN(file.snapshot_id, reader.Long("snapshot-id"));
  FLOE_ASSIGN_OR_RETURN(file.statistics_path, reader.String("statistics-path"));
  FLOE_ASSIGN_OR_RETURN(file.file_size_in_bytes, reader.Long("file-size-in-bytes"));
  return file;
}

Result<EncryptionKey> ParseEncryptionKey(const Json& node) {
  if (!node.is_object()) {
    return Inconsistent("encryption-keys", "an entry is not an object");
  }
  ObjectReader reader(node, "encryption key ");
  EncryptionKey key;
  FLOE_ASSIGN_OR_RETURN(key.key_id, reader.String("key-id"));
  FLOE_ASSIGN_OR_RETURN(key.encrypted_key_metadata, reader.String("encrypted-key-metadata"));
  FLOE_ASSIGN_OR_RETURN(key.encrypted_by_id, reader.OptionalString("encrypted-by-id"));
  FLOE_ASSIGN_OR_RETURN(key.properties, reader.StringMap("properties"));
  return key;
}

/// Parses each element of list member `key` with `parse` into `output`.
template <typename T, typename Parse>
Status ParseList(const ObjectReader& reader, const char* key, Parse parse, std::vector<T>& output) {
  FLOE_ASSIGN_OR_RETURN(std::vector<Json> items, reader.List(key));
  for (const Json& item : items) {
    Result<T> parsed = parse(item);
    if (!parsed.ok()) {
      return InContext(parsed.status(), key);
    }
    output.push_back(std::move(parsed).value());
  }
  return Status::OK();
}

Status ParseSchemas(const ObjectReader& reader, TableMetadata& metadata) {
  auto parse = [](const Json& node) { return SchemaFromJson(Dump(node)); };
  if (reader.Has("schemas")) {
    FLOE_RETURN_NOT_OK(ParseList(reader, "schemas", parse, metadata.schemas));
    FLOE_ASSIGN_OR_RETURN(metadata.current_schema_id, reader.Int("current-schema-id"));
    return Status::OK();
  }
  // v1: a single `schema` (Appendix C); it becomes the only and current schema.
  if (metadata.format_version >= 2 || !reader.Has("schema")) {
    return reader.Missing("schemas");
  }
  Result<Schema> schema = parse(reader.node()["schema"]);
  if (!schema.ok()) {
    return InContext(schema.status(), "schema");
  }
  metadata.current_schema_id = schema->schema_id();
  metadata.schemas.push_back(std::move(schema).value());
  return Status::OK();
}

Status ParseSpecs(const ObjectReader& reader, TableMetadata& metadata) {
  auto parse = [](const Json& node) { return PartitionSpecFromJson(Dump(node)); };
  if (reader.Has("partition-specs")) {
    FLOE_RETURN_NOT_OK(ParseList(reader, "partition-specs", parse, metadata.partition_specs));
    FLOE_ASSIGN_OR_RETURN(metadata.default_spec_id, reader.Int("default-spec-id"));
  } else {
    if (metadata.format_version >= 2 || !reader.Has("partition-spec")) {
      return reader.Missing("partition-specs");
    }
    Result<std::vector<PartitionField>> fields =
        PartitionFieldsFromJsonArray(Dump(reader.node()["partition-spec"]));
    if (!fields.ok()) {
      return InContext(fields.status(), "partition-spec");
    }
    metadata.partition_specs.emplace_back(0, std::move(fields).value());
    metadata.default_spec_id = 0;
  }
  if (reader.Has("last-partition-id")) {
    FLOE_ASSIGN_OR_RETURN(metadata.last_partition_id, reader.Int("last-partition-id"));
  } else if (metadata.format_version >= 2) {
    return reader.Missing("last-partition-id");
  } else {
    for (const PartitionSpec& spec : metadata.partition_specs) {
      metadata.last_partition_id = std::max(metadata.last_partition_id, spec.HighestFieldId());
    }
  }
  return Status::OK();
}

Status ParseSortOrders(const ObjectReader& reader, TableMetadata& metadata) {
  if (!reader.Has("sort-orders")) {
    if (metadata.format_version >= 2) {
      return reader.Missing("sort-orders");
    }
    // v1 tables without sort orders are unsorted.
    metadata.sort_orders.push_back(SortOrder::Unsorted());
    metadata.default_sort_order_id = 0;
    return Status::OK();
  }
  auto parse = [](const Json& node) { return SortOrderFromJson(Dump(node)); };
  FLOE_RETURN_NOT_OK(ParseList(reader, "sort-orders", parse, metadata.sort_orders));
  FLOE_ASSIGN_OR_RETURN(metadata.default_sort_order_id, reader.Int("default-sort-order-id"));
  return Status::OK();
}

Status ParseHistory(const ObjectReader& reader, TableMetadata& metadata) {
  FLOE_RETURN_NOT_OK(ParseList(reader, "snapshots", ParseSnapshot, metadata.snapshots));
  auto parse_snapshot_log = [](const Json& node) -> Result<SnapshotLogEntry> {
    ObjectReader entry(node, "snapshot-log ");
    FLOE_ASSIGN_OR_RETURN(int64_t timestamp, entry.Long("timestamp-ms"));
    FLOE_ASSIGN_OR_RETURN(int64_t id, entry.Long("snapshot-id"));
    return SnapshotLogEntry{timestamp, id};
  };
  FLOE_RETURN_NOT_OK(ParseList(reader, "snapshot-log", parse_snapshot_log, metadata.snapshot_log));
  auto parse_metadata_log = [](const Json& node) -> Result<MetadataLogEntry> {
    ObjectReader entry(node, "metadata-log ");
    FLOE_ASSIGN_OR_RETURN(int64_t timestamp, entry.Long("timestamp-ms"));
    FLOE_ASSIGN_OR_RETURN(std::string file, entry.String("metadata-file"));
    return MetadataLogEntry{timestamp, std::move(file)};
  };
  FLOE_RETURN_NOT_OK(ParseList(reader, "metadata-log", parse_metadata_log, metadata.metadata_log));
  FLOE_RETURN_NOT_OK(ParseList(reader, "statistics", ParseStatistics, metadata.statistics));
  FLOE_RETURN_NOT_OK(ParseList(reader, "partition-statistics", ParsePartitionStatistics,
                               metadata.partition_statistics));
  FLOE_RETURN_NOT_OK(
      ParseList(reader, "encryption-keys", ParseEncryptionKey, metadata.encryption_keys));
  if (!reader.Has("refs")) {
    return Status::OK();
  }
  const Json& refs = reader.node()["refs"];
  if (!refs.is_object()) {
    return reader.Missing("refs");
  }
  for (auto it = refs.begin(); it != refs.end(); ++it) {
    FLOE_ASSIGN_OR_RETURN(metadata.refs[it.key()], ParseRef(it.key(), *it));
  }
  return Status::OK();
}

Status ParseScalars(const ObjectReader& reader, TableMetadata& metadata) {
  FLOE_ASSIGN_OR_RETURN(std::optional<std::string> uuid, reader.OptionalString("table-uuid"));
  metadata.table_uuid = uuid.value_or("");
  FLOE_ASSIGN_OR_RETURN(metadata.location, reader.String("location"));
  // Appendix E: v1 metadata has no last-sequence-number; it defaults to 0.
  if (metadata.format_version >= 2 || reader.Has("last-sequence-number")) {
    FLOE_ASSIGN_OR_RETURN(metadata.last_sequence_number, reader.Long("last-sequence-number"));
  }
  FLOE_ASSIGN_OR_RETURN(metadata.last_updated_ms, reader.Long("last-updated-ms"));
  FLOE_ASSIGN_OR_RETURN(metadata.last_column_id, reader.Int("last-column-id"));
  FLOE_ASSIGN_OR_RETURN(metadata.properties, reader.StringMap("properties"));
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> current, reader.OptionalLong("current-snapshot-id"));
  // Older writers use -1 for "no current snapshot".
  if (current.has_value() && *current != -1) {
    metadata.current_snapshot_id = current;
  }
  FLOE_ASSIGN_OR_RETURN(metadata.next_row_id, reader.OptionalLong("next-row-id"));
  return Status::OK();
}

}  // namespace

Result<TableMetadata> TableMetadataFromJson(std::string_view json) {
  Json node = Json::parse(json, nullptr, false);
  if (node.is_discarded() || !node.is_object()) {
    return Status::Corruption("table metadata is not a JSON object");
  }
  ObjectReader reader(node, "");
  TableMetadata metadata;
  FLOE_ASSIGN_OR_RETURN(metadata.format_version, reader.Int("format-version"));
  if (metadata.format_version < 1 || metadata.format_version > kMaxFormatVersion) {
    return Status::NotSupported("table format version {}", metadata.format_version);
  }
  FLOE_RETURN_NOT_OK(ParseScalars(reader, metadata));
  FLOE_RETURN_NOT_OK(ParseSchemas(reader, metadata));
  FLOE_RETURN_NOT_OK(ParseSpecs(reader, metadata));
  FLOE_RETURN_NOT_OK(ParseSortOrders(reader, metadata));
  FLOE_RETURN_NOT_OK(ParseHistory(reader, metadata));
  FLOE_RETURN_NOT_OK(metadata.Validate());
  return metadata;
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

// Writes `key` only when the optional field is set: the spec omits absent optional fields.
template <typename T>
void SetIfPresent(Json& node, const char* key, const std::optional<T>& value) {
  if (value.has_value()) {
    node[key] = *value;
  }
}

Json SnapshotJson(const Snapshot& snapshot, int format_version) {
  Json node = Json::object();
  node["snapshot-id"] = snapshot.snapshot_id;
  SetIfPresent(node, "parent-snapshot-id", snapshot.parent_snapshot_id);
  // Appendix E: v1 snapshots do not carry a sequence number.
  if (format_version >= 2) {
    node["sequence-number"] = snapshot.sequence_number;
  }
  node["timestamp-ms"] = snapshot.timestamp_ms;
  if (!snapshot.manifest_list.empty()) {
    node["manifest-list"] = snapshot.manifest_list;
  }
  if (!snapshot.manifests.empty()) {
    node["manifests"] = snapshot.manifests;
  }
  node["summary"] = snapshot.summary;
  SetIfPresent(node, "schema-id", snapshot.schema_id);
  SetIfPresent(node, "first-row-id", snapshot.first_row_id);
  SetIfPresent(node, "added-rows", snapshot.added_rows);
  SetIfPresent(node, "key-id", snapshot.key_id);
  return node;
}

Json RefJson(const SnapshotRef& ref) {
  Json node = Json::object();
  node["snapshot-id"] = ref.snapshot_id;
  node["type"] = ref.type == SnapshotRefType::kBranch ? "branch" : "tag";
  SetIfPresent(node, "min-snapshots-to-keep", ref.min_snapshots_to_keep);
  SetIfPresent(node, "max-snapshot-age-ms", ref.max_snapshot_age_ms);
  SetIfPresent(node, "max-ref-age-ms", ref.max_ref_age_ms);
  return node;
}

Json StatisticsJson(const StatisticsFile& file) {
  Json node = Json::object();
  node["snapshot-id"] = file.snapshot_id;
  node["statistics-path"] = file.statistics_path;
  node["file-size-in-bytes"] = file.file_size_in_bytes;
  node["file-footer-size-in-bytes"] = file.file_footer_size_in_bytes;
  SetIfPresent(node, "key-metadata", file.key_metadata);
  node["blob-metadata"] = Json::array();
  for (const BlobMetadata& blob : file.blob_metadata) {
    Json child = {{"type", blob.type},
                  {"snapshot-id", blob.snapshot_id},
                  {"sequence-number", blob.sequence_number},
                  {"fields", blob.fields}};
    if (!blob.properties.empty()) {
      child["properties"] = blob.properties;
    }
    node["blob-metadata"].push_back(std::move(child));
  }
  return node;
}

Json EncryptionKeyJson(const EncryptionKey& key) {
  Json node = {{"key-id", key.key_id}, {"encrypted-key-metadata", key.encrypted_key_metadata}};
  SetIfPresent(node, "encrypted-by-id", key.encrypted_by_id);
  if (!key.properties.empty()) {
    node["properties"] = key.properties;
  }
  return node;
}

void WriteSchemasAndSpecs(const TableMetadata& metadata, Json& node) {
  node["current-schema-id"] = metadata.current_schema_id;
  node["schemas"] = Json::array();
  for (const Schema& schema : metadata.schemas) {
    node["schemas"].push_back(Json::parse(SchemaToJson(schema), nullptr, false));
  }
  // v1 readers only know `schema` and `partition-spec`; write them alongside the lists.
  if (metadata.format_version == 1 && metadata.CurrentSchema() != nullptr) {
    node["schema"] = Json::parse(SchemaToJson(*metadata.CurrentSchema()), nullptr, false);
  }
  node["default-spec-id"] = metadata.default_spec_id;
  node["partition-specs"] = Json::array();
  for (const PartitionSpec& spec : metadata.partition_specs) {
    node["partition-specs"].push_back(Json::parse(PartitionSpecToJson(spec), nullptr, false));
  }
  if (metadata.format_version == 1 && metadata.DefaultSpec() != nullptr) {
    node["partition-spec"] =
        Json::parse(PartitionFieldsToJsonArray(metadata.DefaultSpec()->fields()), nullptr, false);
  }
  node["last-partition-id"] = metadata.last_partition_id;
  node["default-sort-order-id"] = metadata.default_sort_order_id;
  node["sort-orders"] = Json::array();
  for (const SortOrder& order : metadata.sort_orders) {
    node["sort-orders"].push_back(Json::parse(SortOrderToJson(order), nullptr, false));
  }
}

void WriteHistory(const TableMetadata& metadata, Json& node) {
  SetIfPresent(node, "current-snapshot-id", metadata.current_snapshot_id);
  node["refs"] = Json::object();
  for (const auto& [name, ref] : metadata.refs) {
    node["refs"][name] = RefJson(ref);
  }
  node["snapshots"] = Json::array();
  for (const Snapshot& snapshot : metadata.snapshots) {
    node["snapshots"].push_back(SnapshotJson(snapshot, metadata.format_version));
  }
  node["statistics"] = Json::array();
  for (const StatisticsFile& file : metadata.statistics) {
    node["statistics"].push_back(StatisticsJson(file));
  }
  node["partition-statistics"] = Json::array();
  for (const PartitionStatisticsFile& file : metadata.partition_statistics) {
    node["partition-statistics"].push_back({{"snapshot-id", file.snapshot_id},
                                            {"statistics-path", file.statistics_path},
                                            {"file-size-in-bytes", file.file_size_in_bytes}});
  }
  node["snapshot-log"] = Json::array();
  for (const SnapshotLogEntry& entry : metadata.snapshot_log) {
    node["snapshot-log"].push_back(
        {{"timestamp-ms", entry.timestamp_ms}, {"snapshot-id", entry.snapshot_id}});
  }
  node["metadata-log"] = Json::array();
  for (const MetadataLogEntry& entry : metadata.metadata_log) {
    node["metadata-log"].push_back(
        {{"timestamp-ms", entry.timestamp_ms}, {"metadata-file", entry.metadata_file}});
  }
  if (!metadata.encryption_keys.empty()) {
    node["encryption-keys"] = Json::array();
    for (const EncryptionKey& key : metadata.encryption_keys) {
      node["encryption-keys"].push_back(EncryptionKeyJson(key));
    }
  }
}

}  // namespace

std::string TableMetadataToJson(const TableMetadata& metadata) {
  Json node = Json::object();
  node["format-version"] = metadata.format_version;
  if (!metadata.table_uuid.empty()) {
    node["table-uuid"] = metadata.table_uuid;
  }
  node["location"] = metadata.location;
  if (metadata.format_version >= 2) {
    node["last-sequence-number"] = metadata.last_sequence_number;
  }
  node["last-updated-ms"] = metadata.last_updated_ms;
  node["last-column-id"] = metadata.last_column_id;
  SetIfPresent(node, "next-row-id", metadata.next_row_id);
  WriteSchemasAndSpecs(metadata, node);
  node["properties"] = metadata.properties;
  WriteHistory(metadata, node);
  return node.dump(2, ' ', false, Json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// Files

namespace {

// Spec "Table Metadata": metadata JSON may be gzip-compressed.
Result<std::string> Gunzip(std::string_view bytes) {
  z_stream stream{};
  // 16 + MAX_WBITS asks zlib for the gzip wrapper.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    return Status::Internal("zlib inflateInit2 failed");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string output;
  int code = Z_OK;
  while (code == Z_OK) {
    char buffer[16384];
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    code = inflate(&stream, Z_NO_FLUSH);
    output.append(buffer, sizeof(buffer) - stream.avail_out);
    if (code == Z_BUF_ERROR && stream.avail_in == 0) {
      break;
    }
  }
  inflateEnd(&stream);
  if (code != Z_STREAM_END) {
    return Status::Corruption("gzip-compressed table metadata does not decompress (zlib {})", code);
  }
  return output;
}

}  // namespace

Result<TableMetadata> ParseMetadataFile(std::string_view file_name, std::string_view bytes) {
  if (file_name.ends_with(".gz.metadata.json") || file_name.ends_with(".metadata.json.gz")) {
    FLOE_ASSIGN_OR_RETURN(std::string json, Gunzip(bytes));
    return TableMetadataFromJson(json);
  }
  return TableMetadataFromJson(bytes);
}

std::string MetadataFileName(int64_t version, std::string_view uuid) {
  return fmt::format("{:05d}-{}.metadata.json", version, uuid);
}

Result<int64_t> ParseMetadataFileVersion(std::string_view file_name) {
  size_t slash = file_name.rfind('/');
  std::string_view name = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  if (!name.ends_with(".metadata.json")) {
    return Status::InvalidArgument("not a metadata file name: {}", file_name);
  }
  std::string_view digits = name;
  if (name.starts_with("v")) {
    digits.remove_prefix(1);
  }
  size_t end = 0;
  while (end < digits.size() && digits[end] >= '0' && digits[end] <= '9') {
    ++end;
  }
  bool is_terminated = end < digits.size() && (digits[end] == '-' || digits[end] == '.');
  int64_t version = 0;
  if (end == 0 || !is_terminated ||
      std::from_chars(digits.data(), digits.data() + end, version).ec != std::errc()) {
    return Status::InvalidArgument("no version in metadata file name: {}", file_name);
  }
  return version;
}

}  // namespace floe::table
