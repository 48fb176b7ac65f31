#include "sql/engine/iceberg_metadata_tables.h"

#include <array>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/identifier.h"
#include "common/json_text.h"
#include "io/file_system.h"
#include "table/manifest_list.h"
#include "table/manifest_reader.h"
#include "table/partition_spec.h"
#include "table/table.h"
#include "table/value_serialization.h"
#include "types/cast.h"

namespace floe::sql {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;
using Columns = std::vector<binder::SourceColumn>;
using Rows = std::vector<std::vector<Value>>;

Value OptionalBigInt(std::optional<int64_t> value) {
  return value.has_value() ? Value::BigInt(*value) : Value::Null(LogicalType::BigInt());
}

Value OptionalInteger(std::optional<int32_t> value) {
  return value.has_value() ? Value::Integer(*value) : Value::Null(LogicalType::Integer());
}

Value OptionalVarchar(const std::optional<std::string>& value) {
  return value.has_value() ? Value::Varchar(*value) : Value::Null(LogicalType::Varchar());
}

Value OptionalBytea(const std::optional<std::string>& value) {
  return value.has_value() ? Value::Bytea(*value) : Value::Null(LogicalType::Bytea());
}

Value MillisAsTimestampTz(int64_t timestamp_ms) {
  return Value::TimestampTz(timestamp_ms * 1000);
}

// The summary as a JSON object: a map would be closer to Trino's, but text prints and compares
// the same in every client.
std::string SummaryJson(const std::map<std::string, std::string>& summary) {
  std::string out = "{";
  for (const auto& [key, value] : summary) {
    out += (out.size() > 1 ? ", " : "") + floe::JsonString(key) + ": " + floe::JsonString(value);
  }
  return out + "}";
}

Status SnapshotsTable(const table::Table& table, binder::RelationInfo& info) {
  info.columns = {{"snapshot_id", LogicalType::BigInt()},
                  {"parent_id", LogicalType::BigInt()},
                  {"committed_at", LogicalType::TimestampTz()},
                  {"operation", LogicalType::Varchar()},
                  {"summary", LogicalType::Varchar()}};
  Rows rows;
  for (const table::Snapshot& snapshot : table.metadata->snapshots) {
    rows.push_back(
        {Value::BigInt(snapshot.snapshot_id), OptionalBigInt(snapshot.parent_snapshot_id),
         MillisAsTimestampTz(snapshot.timestamp_ms), Value::Varchar(snapshot.operation()),
         Value::Varchar(SummaryJson(snapshot.summary))});
  }
  info.rows = std::move(rows);
  return Status::OK();
}

// The current snapshot and its ancestors that are still in the metadata.
std::set<int64_t> CurrentAncestors(const table::TableMetadata& metadata) {
  std::set<int64_t> ancestors;
  const table::Snapshot* snapshot = metadata.CurrentSnapshot();
  // The insert check also stops at a cycle, which corrupt metadata could hold.
  while (snapshot != nullptr && ancestors.insert(snapshot->snapshot_id).second) {
    if (!snapshot->parent_snapshot_id.has_value()) {
      break;
    }
    snapshot = metadata.FindSnapshot(*snapshot->parent_snapshot_id);
  }
  return ancestors;
}

// One row per snapshot-log entry, as Spark's history table: a snapshot made current again by a
// rollback appears twice, and an expired snapshot keeps its entry with a NULL parent.
Status HistoryTable(const table::Table& table, binder::RelationInfo& info) {
  const table::TableMetadata& metadata = *table.metadata;
  info.columns = {{"made_current_at", LogicalType::TimestampTz()},
                  {"snapshot_id", LogicalType::BigInt()},
                  {"parent_id", LogicalType::BigInt()},
                  {"is_current_ancestor", LogicalType::Boolean()}};
  std::set<int64_t> ancestors = CurrentAncestors(metadata);
  Rows rows;
  for (const table::SnapshotLogEntry& entry : metadata.snapshot_log) {
    const table::Snapshot* snapshot = metadata.FindSnapshot(entry.snapshot_id);
    rows.push_back({MillisAsTimestampTz(entry.timestamp_ms), Value::BigInt(entry.snapshot_id),
                    OptionalBigInt(snapshot != nullptr ? snapshot->parent_snapshot_id
                                                       : std::optional<int64_t>()),
                    Value::Boolean(ancestors.contains(entry.snapshot_id))});
  }
  info.rows = std::move(rows);
  return Status::OK();
}

Status RefsTable(const table::Table& table, binder::RelationInfo& info) {
  const table::TableMetadata& metadata = *table.metadata;
  info.columns = {{"name", LogicalType::Varchar()},
                  {"type", LogicalType::Varchar()},
                  {"snapshot_id", LogicalType::BigInt()},
                  {"max_reference_age_in_ms", LogicalType::BigInt()},
                  {"min_snapshots_to_keep", LogicalType::Integer()},
                  {"max_snapshot_age_in_ms", LogicalType::BigInt()}};
  std::map<std::string, table::SnapshotRef> refs = metadata.refs;
  // Metadata without refs (v1) still has the main branch at the current snapshot (spec:
  // "Snapshot References").
  if (!refs.contains("main") && metadata.current_snapshot_id.has_value()) {
    table::SnapshotRef main;
    main.snapshot_id = *metadata.current_snapshot_id;
    refs["main"] = main;
  }
  Rows rows;
  for (const auto& [name, ref] : refs) {
    bool is_branch = ref.type == table::SnapshotRefType::kBranch;
    rows.push_back({Value::Varchar(name), Value::Varchar(is_branch ? "BRANCH" : "TAG"),
                    Value::BigInt(ref.snapshot_id), OptionalBigInt(ref.max_ref_age_ms),
                    OptionalInteger(ref.min_snapshots_to_keep),
                    OptionalBigInt(ref.max_snapshot_age_ms)});
  }
  info.rows = std::move(rows);
  return Status::OK();
}

struct ManifestContents {
  table::ManifestFile manifest;
  std::vector<table::ManifestEntry> entries;
};

Result<std::vector<table::ManifestFile>> CurrentManifests(const table::Table& table) {
  const table::Snapshot* snapshot = table.metadata->CurrentSnapshot();
  if (snapshot == nullptr) {
    return std::vector<table::ManifestFile>{};
  }
  if (!snapshot->manifest_list.empty()) {
    return table::ReadManifestList(*table.file_system, snapshot->manifest_list);
  }
  // v1 snapshots may name their manifests without a list; what a list entry would say comes
  // from the manifests' headers. v1 entries carry their snapshot ids and no sequence numbers,
  // so reading them with this entry inherits nothing but the 0 the spec gives v1.
  std::vector<table::ManifestFile> manifests;
  for (const std::string& path : snapshot->manifests) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::ManifestReader> reader,
                          table::ManifestReader::Open(*table.file_system, path));
    table::ManifestFile manifest;
    manifest.manifest_path = path;
    manifest.content = reader->content();
    manifest.partition_spec_id = reader->partition_spec_id().value_or(0);
    manifest.added_snapshot_id = snapshot->snapshot_id;
    manifests.push_back(std::move(manifest));
  }
  return manifests;
}

Result<std::vector<ManifestContents>> ReadCurrentManifests(const table::Table& table) {
  FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests, CurrentManifests(table));
  std::vector<ManifestContents> contents;
  for (table::ManifestFile& manifest : manifests) {
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::ManifestReader> reader,
                          table::ManifestReader::Open(*table.file_system, manifest));
    ManifestContents& read = contents.emplace_back();
    FLOE_ASSIGN_OR_RETURN(read.entries, reader->ReadAll());
    read.manifest = std::move(manifest);
  }
  return contents;
}

const table::PartitionSpec* FindSpec(const table::TableMetadata& metadata, int32_t spec_id) {
  for (const table::PartitionSpec& spec : metadata.partition_specs) {
    if (spec.spec_id() == spec_id) {
      return &spec;
    }
  }
  return nullptr;
}

// The type of a column by field id: in the current schema, else in the newest older schema
// that has it (a partition source may have been dropped since).
const table::Type* FindColumnType(const table::TableMetadata& metadata, int32_t field_id) {
  const table::Schema* current = metadata.CurrentSchema();
  const table::NestedField* found = current == nullptr ? nullptr : current->FindField(field_id);
  if (found != nullptr) {
    return &found->type;
  }
  for (auto schema = metadata.schemas.rbegin(); schema != metadata.schemas.rend(); ++schema) {
    if (const table::NestedField* field = schema->FindField(field_id); field != nullptr) {
      return &field->type;
    }
  }
  return nullptr;
}

// A partition bound as text the way Spark's manifests table shows it (the transform's
// human-readable form); NULL when absent or not decodable.
Value BoundText(const table::TableMetadata& metadata, const table::PartitionField* field,
                const std::optional<std::string>& bound) {
  const table::Type* source =
      field == nullptr ? nullptr : FindColumnType(metadata, field->source_id());
  if (!bound.has_value() || source == nullptr) {
    return Value::Null(LogicalType::Varchar());
  }
  Result<table::Type> type = field->transform.ResultType(*source);
  if (!type.ok()) {
    return Value::Null(LogicalType::Varchar());
  }
  Result<Value> value = table::DeserializeValue(*type, *bound);
  if (!value.ok()) {
    return Value::Null(LogicalType::Varchar());
  }
  return Value::Varchar(field->transform.ToHumanString(*source, *value));
}

LogicalType SummaryType() {
  return LogicalType::Struct(
      {{"contains_null", std::make_shared<LogicalType>(LogicalType::Boolean())},
       {"contains_nan", std::make_shared<LogicalType>(LogicalType::Boolean())},
       {"lower_bound", std::make_shared<LogicalType>(LogicalType::Varchar())},
       {"upper_bound", std::make_shared<LogicalType>(LogicalType::Varchar())}});
}

Value PartitionSummaries(const table::TableMetadata& metadata,
                         const table::ManifestFile& manifest) {
  const table::PartitionSpec* spec = FindSpec(metadata, manifest.partition_spec_id);
  LogicalType type = SummaryType();
  std::vector<Value> summaries;
  for (size_t i = 0; i < manifest.partitions.size(); ++i) {
    const table::PartitionFieldSummary& summary = manifest.partitions[i];
    const table::PartitionField* field =
        spec != nullptr && i < spec->fields().size() ? &spec->fields()[i] : nullptr;
    summaries.push_back(Value::Struct(
        type, {Value::Boolean(summary.contains_null),
               summary.contains_nan.has_value() ? Value::Boolean(*summary.contains_nan)
                                                : Value::Null(LogicalType::Boolean()),
               BoundText(metadata, field, summary.lower_bound),
               BoundText(metadata, field, summary.upper_bound)}));
  }
  return Value::List(type, std::move(summaries));
}

// Spark splits the manifest list's file counts by the manifest's content: a data manifest has
// no delete-file counts and a delete manifest no data-file counts (zero, not NULL).
Status ManifestsTable(const table::Table& table, binder::RelationInfo& info) {
  info.columns = {{"content", LogicalType::Integer()},
                  {"path", LogicalType::Varchar()},
                  {"length", LogicalType::BigInt()},
                  {"partition_spec_id", LogicalType::Integer()},
                  {"added_snapshot_id", LogicalType::BigInt()},
                  {"added_data_files_count", LogicalType::Integer()},
                  {"existing_data_files_count", LogicalType::Integer()},
                  {"deleted_data_files_count", LogicalType::Integer()},
                  {"added_delete_files_count", LogicalType::Integer()},
                  {"existing_delete_files_count", LogicalType::Integer()},
                  {"deleted_delete_files_count", LogicalType::Integer()},
                  {"partition_summaries", LogicalType::List(SummaryType())}};
  FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests, CurrentManifests(table));
  Rows rows;
  for (const table::ManifestFile& manifest : manifests) {
    bool is_data = manifest.content == table::ManifestContent::kData;
    Value zero = Value::Integer(0);
    Value added = OptionalInteger(manifest.added_files_count);
    Value existing = OptionalInteger(manifest.existing_files_count);
    Value deleted = OptionalInteger(manifest.deleted_files_count);
    rows.push_back({Value::Integer(static_cast<int32_t>(manifest.content)),
                    Value::Varchar(manifest.manifest_path), Value::BigInt(manifest.manifest_length),
                    Value::Integer(manifest.partition_spec_id),
                    Value::BigInt(manifest.added_snapshot_id), is_data ? added : zero,
                    is_data ? existing : zero, is_data ? deleted : zero, is_data ? zero : added,
                    is_data ? zero : existing, is_data ? zero : deleted,
                    PartitionSummaries(*table.metadata, manifest)});
  }
  info.rows = std::move(rows);
  return Status::OK();
}

// The partition struct every spec of the table maps into, as Spark builds it: the fields of all
// specs by partition field id, in id order, so files of older specs show NULL for fields they
// lack. Empty for a table that was never partitioned.
struct PartitionLayout {
  struct Field {
    int32_t field_id = 0;
    std::string name;
    LogicalType type;
  };
  std::vector<Field> fields;
  LogicalType struct_type;
};

// The type of a partition field's values; text when the transform or its source is unknown.
// Days since the epoch show as dates, as Spark shows them (Iceberg's Java library types the day
// transform's result as date; the spec stores it as an int).
LogicalType PartitionFieldType(const table::TableMetadata& metadata,
                               const table::PartitionField& field) {
  if (field.transform.kind() == table::TransformKind::kDay) {
    return LogicalType::Date();
  }
  const table::Type* source = FindColumnType(metadata, field.source_id());
  if (source == nullptr) {
    return LogicalType::Varchar();
  }
  Result<table::Type> type = field.transform.ResultType(*source);
  if (!type.ok()) {
    return LogicalType::Varchar();
  }
  Result<LogicalType> logical = table::ToLogicalType(*type);
  return logical.ok() ? *logical : LogicalType::Varchar();
}

PartitionLayout MakePartitionLayout(const table::TableMetadata& metadata) {
  std::map<int32_t, PartitionLayout::Field> by_id;
  for (const table::PartitionSpec& spec : metadata.partition_specs) {
    for (const table::PartitionField& field : spec.fields()) {
      // Later specs rename fields; the newest name wins, as in Spark.
      by_id[field.field_id] = {field.field_id, field.name, PartitionFieldType(metadata, field)};
    }
  }
  PartitionLayout layout;
  std::vector<types::StructField> struct_fields;
  for (auto& [id, field] : by_id) {
    struct_fields.push_back({field.name, std::make_shared<LogicalType>(field.type)});
    layout.fields.push_back(std::move(field));
  }
  layout.struct_type = LogicalType::Struct(std::move(struct_fields));
  return layout;
}

// A partition value as `type`: manifests type values by their own Avro schema, which may say
// int where a day is shown as a date, or date where a field's type says int.
Value Conform(const Value& value, const LogicalType& type) {
  if (value.is_null()) {
    return Value::Null(type);
  }
  if (value.type() == type) {
    return value;
  }
  if (type.id() == TypeId::kDate && value.type().id() == TypeId::kInteger) {
    return Value::Date(value.integer_value());
  }
  if (type.id() == TypeId::kInteger && value.type().id() == TypeId::kDate) {
    return Value::Integer(value.date_value());
  }
  if (type.id() == TypeId::kVarchar) {
    return Value::Varchar(value.ToString());
  }
  Result<Value> cast = types::CastValue(value, type);
  return cast.ok() ? *cast : Value::Null(type);
}

Value PartitionStruct(const PartitionLayout& layout, const table::PartitionSpec* spec,
                      const std::vector<Value>& tuple) {
  std::vector<Value> values;
  for (const PartitionLayout::Field& field : layout.fields) {
    Value value = Value::Null(field.type);
    for (size_t i = 0; spec != nullptr && i < spec->fields().size() && i < tuple.size(); ++i) {
      if (spec->fields()[i].field_id == field.field_id) {
        value = Conform(tuple[i], field.type);
        break;
      }
    }
    values.push_back(std::move(value));
  }
  return Value::Struct(layout.struct_type, std::move(values));
}

const LogicalType& CountsType() {
  static const LogicalType type = LogicalType::Map(LogicalType::Integer(), LogicalType::BigInt());
  return type;
}

const LogicalType& BoundsType() {
  static const LogicalType type = LogicalType::Map(LogicalType::Integer(), LogicalType::Bytea());
  return type;
}

// Manifests write no statistics as null and Floe reads them as empty: shown as NULL.
Value CountsMap(const table::ColumnCounts& counts) {
  if (counts.empty()) {
    return Value::Null(CountsType());
  }
  std::vector<std::pair<Value, Value>> entries;
  for (const auto& [field_id, count] : counts) {
    entries.emplace_back(Value::Integer(field_id), Value::BigInt(count));
  }
  return Value::Map(CountsType(), std::move(entries));
}

Value BoundsMap(const table::ColumnBounds& bounds) {
  if (bounds.empty()) {
    return Value::Null(BoundsType());
  }
  std::vector<std::pair<Value, Value>> entries;
  for (const auto& [field_id, bound] : bounds) {
    entries.emplace_back(Value::Integer(field_id), Value::Bytea(bound));
  }
  return Value::Map(BoundsType(), std::move(entries));
}

template <typename T>
Value ListOf(const std::vector<T>& items, const LogicalType& element, Value (*make)(T)) {
  if (items.empty()) {
    return Value::Null(LogicalType::List(element));
  }
  std::vector<Value> values;
  for (T item : items) {
    values.push_back(make(item));
  }
  return Value::List(element, std::move(values));
}

// The columns of Spark's files table (Iceberg's data_file struct) without readable_metrics;
// `partition` only when the table has partition fields, as Spark drops an empty struct.
Columns DataFileColumns(const PartitionLayout& layout) {
  Columns columns = {{"content", LogicalType::Integer()},
                     {"file_path", LogicalType::Varchar()},
                     {"file_format", LogicalType::Varchar()},
                     {"spec_id", LogicalType::Integer()}};
  if (!layout.fields.empty()) {
    columns.push_back({"partition", layout.struct_type});
  }
  Columns rest = {{"record_count", LogicalType::BigInt()},
                  {"file_size_in_bytes", LogicalType::BigInt()},
                  {"column_sizes", CountsType()},
                  {"value_counts", CountsType()},
                  {"null_value_counts", CountsType()},
                  {"nan_value_counts", CountsType()},
                  {"lower_bounds", BoundsType()},
                  {"upper_bounds", BoundsType()},
                  {"key_metadata", LogicalType::Bytea()},
                  {"split_offsets", LogicalType::List(LogicalType::BigInt())},
                  {"equality_ids", LogicalType::List(LogicalType::Integer())},
                  {"sort_order_id", LogicalType::Integer()},
                  {"first_row_id", LogicalType::BigInt()},
                  {"referenced_data_file", LogicalType::Varchar()},
                  {"content_offset", LogicalType::BigInt()},
                  {"content_size_in_bytes", LogicalType::BigInt()}};
  columns.insert(columns.end(), rest.begin(), rest.end());
  return columns;
}

std::vector<Value> DataFileValues(const table::TableMetadata& metadata,
                                  const PartitionLayout& layout, int32_t spec_id,
                                  const table::DataFile& file) {
  std::vector<Value> values = {Value::Integer(static_cast<int32_t>(file.content)),
                               Value::Varchar(file.file_path), Value::Varchar(file.file_format),
                               Value::Integer(spec_id)};
  if (!layout.fields.empty()) {
    values.push_back(PartitionStruct(layout, FindSpec(metadata, spec_id), file.partition));
  }
  std::vector<Value> rest = {Value::BigInt(file.record_count),
                             Value::BigInt(file.file_size_in_bytes),
                             CountsMap(file.column_sizes),
                             CountsMap(file.value_counts),
                             CountsMap(file.null_value_counts),
                             CountsMap(file.nan_value_counts),
                             BoundsMap(file.lower_bounds),
                             BoundsMap(file.upper_bounds),
                             OptionalBytea(file.key_metadata),
                             ListOf(file.split_offsets, LogicalType::BigInt(), &Value::BigInt),
                             ListOf(file.equality_ids, LogicalType::Integer(), &Value::Integer),
                             OptionalInteger(file.sort_order_id),
                             OptionalBigInt(file.first_row_id),
                             OptionalVarchar(file.referenced_data_file),
                             OptionalBigInt(file.content_offset),
                             OptionalBigInt(file.content_size_in_bytes)};
  values.insert(values.end(), std::make_move_iterator(rest.begin()),
                std::make_move_iterator(rest.end()));
  return values;
}

enum class FileFilter : uint8_t { kAll, kData, kDeletes };

// The live files (entries not marked deleted) of the current snapshot, in manifest order.
Status FileRows(const table::Table& table, FileFilter filter, binder::RelationInfo& info) {
  PartitionLayout layout = MakePartitionLayout(*table.metadata);
  info.columns = DataFileColumns(layout);
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests, ReadCurrentManifests(table));
  Rows rows;
  for (const ManifestContents& contents : manifests) {
    bool is_data = contents.manifest.content == table::ManifestContent::kData;
    if ((filter == FileFilter::kData && !is_data) || (filter == FileFilter::kDeletes && is_data)) {
      continue;
    }
    for (const table::ManifestEntry& entry : contents.entries) {
      if (entry.status != table::ManifestEntryStatus::kDeleted) {
        rows.push_back(DataFileValues(*table.metadata, layout, contents.manifest.partition_spec_id,
                                      entry.data_file));
      }
    }
  }
  info.rows = std::move(rows);
  return Status::OK();
}

Status FilesTable(const table::Table& table, binder::RelationInfo& info) {
  return FileRows(table, FileFilter::kAll, info);
}

Status DataFilesTable(const table::Table& table, binder::RelationInfo& info) {
  return FileRows(table, FileFilter::kData, info);
}

Status DeleteFilesTable(const table::Table& table, binder::RelationInfo& info) {
  return FileRows(table, FileFilter::kDeletes, info);
}

// Every entry of the current snapshot's manifests, deleted ones included, as Spark's entries
// table (status 0 existing, 1 added, 2 deleted).
Status EntriesTable(const table::Table& table, binder::RelationInfo& info) {
  PartitionLayout layout = MakePartitionLayout(*table.metadata);
  std::vector<types::StructField> file_fields;
  for (const binder::SourceColumn& column : DataFileColumns(layout)) {
    file_fields.push_back({column.name, std::make_shared<LogicalType>(column.type)});
  }
  LogicalType file_type = LogicalType::Struct(std::move(file_fields));
  info.columns = {{"status", LogicalType::Integer()},
                  {"snapshot_id", LogicalType::BigInt()},
                  {"sequence_number", LogicalType::BigInt()},
                  {"file_sequence_number", LogicalType::BigInt()},
                  {"data_file", file_type}};
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests, ReadCurrentManifests(table));
  Rows rows;
  for (const ManifestContents& contents : manifests) {
    for (const table::ManifestEntry& entry : contents.entries) {
      rows.push_back({Value::Integer(static_cast<int32_t>(entry.status)),
                      OptionalBigInt(entry.snapshot_id), OptionalBigInt(entry.sequence_number),
                      OptionalBigInt(entry.file_sequence_number),
                      Value::Struct(file_type, DataFileValues(*table.metadata, layout,
                                                              contents.manifest.partition_spec_id,
                                                              entry.data_file))});
    }
  }
  info.rows = std::move(rows);
  return Status::OK();
}

struct PartitionTotals {
  int32_t spec_id = 0;
  int64_t record_count = 0;
  int32_t file_count = 0;
  int64_t total_data_file_size_in_bytes = 0;
  int64_t position_delete_record_count = 0;
  int32_t position_delete_file_count = 0;
  int64_t equality_delete_record_count = 0;
  int32_t equality_delete_file_count = 0;
  std::optional<int64_t> last_updated_ms;
  std::optional<int64_t> last_updated_snapshot_id;
};

void AddToTotals(const table::TableMetadata& metadata, const table::ManifestEntry& entry,
                 int32_t spec_id, PartitionTotals& totals) {
  const table::DataFile& file = entry.data_file;
  switch (file.content) {
    case table::FileContent::kData:
      totals.record_count += file.record_count;
      totals.file_count += 1;
      totals.total_data_file_size_in_bytes += file.file_size_in_bytes;
      break;
    case table::FileContent::kPositionDeletes:
      totals.position_delete_record_count += file.record_count;
      totals.position_delete_file_count += 1;
      break;
    case table::FileContent::kEqualityDeletes:
      totals.equality_delete_record_count += file.record_count;
      totals.equality_delete_file_count += 1;
      break;
  }
  const table::Snapshot* snapshot =
      entry.snapshot_id.has_value() ? metadata.FindSnapshot(*entry.snapshot_id) : nullptr;
  if (snapshot != nullptr &&
      (!totals.last_updated_ms.has_value() || snapshot->timestamp_ms > *totals.last_updated_ms)) {
    totals.last_updated_ms = snapshot->timestamp_ms;
    totals.last_updated_snapshot_id = snapshot->snapshot_id;
    totals.spec_id = spec_id;
  }
}

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return a.Compare(b) < 0; }
};

// One row per partition (in the struct every spec maps into) that has live data or delete
// files, ordered by partition; delete files are counted, not applied, as in Spark. Unpartitioned
// tables have one row without the partition and spec_id columns.
Status PartitionsTable(const table::Table& table, binder::RelationInfo& info) {
  const table::TableMetadata& metadata = *table.metadata;
  PartitionLayout layout = MakePartitionLayout(metadata);
  bool is_partitioned = !layout.fields.empty();
  if (is_partitioned) {
    info.columns = {{"partition", layout.struct_type}, {"spec_id", LogicalType::Integer()}};
  }
  Columns totals_columns = {{"record_count", LogicalType::BigInt()},
                            {"file_count", LogicalType::Integer()},
                            {"total_data_file_size_in_bytes", LogicalType::BigInt()},
                            {"position_delete_record_count", LogicalType::BigInt()},
                            {"position_delete_file_count", LogicalType::Integer()},
                            {"equality_delete_record_count", LogicalType::BigInt()},
                            {"equality_delete_file_count", LogicalType::Integer()},
                            {"last_updated_at", LogicalType::TimestampTz()},
                            {"last_updated_snapshot_id", LogicalType::BigInt()}};
  info.columns.insert(info.columns.end(), totals_columns.begin(), totals_columns.end());
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests, ReadCurrentManifests(table));
  std::map<Value, PartitionTotals, ValueLess> partitions;
  for (const ManifestContents& contents : manifests) {
    const table::PartitionSpec* spec = FindSpec(metadata, contents.manifest.partition_spec_id);
    for (const table::ManifestEntry& entry : contents.entries) {
      if (entry.status == table::ManifestEntryStatus::kDeleted) {
        continue;
      }
      Value key = is_partitioned ? PartitionStruct(layout, spec, entry.data_file.partition)
                                 : Value::Null(LogicalType::Boolean());
      AddToTotals(metadata, entry, contents.manifest.partition_spec_id, partitions[key]);
    }
  }
  Rows rows;
  for (const auto& [partition, totals] : partitions) {
    std::vector<Value>& row = rows.emplace_back();
    if (is_partitioned) {
      row = {partition, Value::Integer(totals.spec_id)};
    }
    std::vector<Value> values = {Value::BigInt(totals.record_count),
                                 Value::Integer(totals.file_count),
                                 Value::BigInt(totals.total_data_file_size_in_bytes),
                                 Value::BigInt(totals.position_delete_record_count),
                                 Value::Integer(totals.position_delete_file_count),
                                 Value::BigInt(totals.equality_delete_record_count),
                                 Value::Integer(totals.equality_delete_file_count),
                                 totals.last_updated_ms.has_value()
                                     ? MillisAsTimestampTz(*totals.last_updated_ms)
                                     : Value::Null(LogicalType::TimestampTz()),
                                 OptionalBigInt(totals.last_updated_snapshot_id)};
    row.insert(row.end(), std::make_move_iterator(values.begin()),
               std::make_move_iterator(values.end()));
  }
  info.rows = std::move(rows);
  return Status::OK();
}

struct MetadataTable {
  std::string_view suffix;
  Status (*build)(const table::Table& table, binder::RelationInfo& info);
};

// In the order error messages list them.
constexpr std::array<MetadataTable, 9> kMetadataTables = {{
    {"snapshots", &SnapshotsTable},
    {"history", &HistoryTable},
    {"refs", &RefsTable},
    {"manifests", &ManifestsTable},
    {"files", &FilesTable},
    {"data_files", &DataFilesTable},
    {"delete_files", &DeleteFilesTable},
    {"entries", &EntriesTable},
    {"partitions", &PartitionsTable},
}};

const MetadataTable* FindMetadataTable(std::string_view suffix) {
  for (const MetadataTable& metadata_table : kMetadataTables) {
    if (metadata_table.suffix == suffix) {
      return &metadata_table;
    }
  }
  return nullptr;
}

std::string SupportedSuffixes() {
  std::string text;
  for (const MetadataTable& metadata_table : kMetadataTables) {
    text += (text.empty() ? "$" : ", $") + std::string(metadata_table.suffix);
  }
  return text;
}

}  // namespace

Result<std::optional<binder::RelationInfo>> FindIcebergMetadataTable(
    catalog::Metastore& metastore, io::FileSystemRegistry& file_systems,
    const catalog::Namespace& schema, const std::string& object) {
  size_t dollar = object.rfind('$');
  if (dollar == std::string::npos || dollar == 0) {
    return std::optional<binder::RelationInfo>();
  }
  catalog::TableIdentifier base{schema, object.substr(0, dollar)};
  std::string suffix = object.substr(dollar + 1);
  Result<catalog::TableEntry> entry = metastore.LoadTable(base);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kNotFound) {
      return std::optional<binder::RelationInfo>();
    }
    return entry.status();
  }
  std::string base_name = catalog::IdentifierToString(base);
  const MetadataTable* metadata_table = FindMetadataTable(suffix);
  if (metadata_table == nullptr) {
    return Status::NotFound(
               "relation \"{}${}\" does not exist: table {} has no metadata table \"{}\" "
               "(supported: {})",
               base_name, suffix, base_name, suffix, SupportedSuffixes())
        .WithSqlState("42P01");
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        file_systems.Resolve(entry->metadata_location));
  FLOE_ASSIGN_OR_RETURN(table::Table loaded,
                        table::LoadTable(std::move(file_system), entry->metadata_location));
  binder::RelationInfo info;
  info.kind = binder::RelationInfo::Kind::kTable;
  info.display_name = base_name + "$" + suffix;
  FLOE_RETURN_NOT_OK(metadata_table->build(loaded, info));
  return std::optional<binder::RelationInfo>(std::move(info));
}

}  // namespace floe::sql
