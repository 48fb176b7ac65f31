#include "sql/engine/iceberg_metadata_tables.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/identifier.h"
#include "common/json_text.h"
#include "format/parquet/reader/parquet_reader.h"
#include "io/file_system.h"
#include "table/deletion_vector_reader.h"
#include "table/manifest_list.h"
#include "table/manifest_reader.h"
#include "table/partition_spec.h"
#include "table/table.h"
#include "table/value_serialization.h"
#include "types/cast.h"
#include "vector/batch.h"

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

Status SnapshotsTable(const table::Table& table, const table::Snapshot* /*snapshot*/,
                      binder::RelationInfo& info) {
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
Status HistoryTable(const table::Table& table, const table::Snapshot* /*snapshot*/,
                    binder::RelationInfo& info) {
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

Status RefsTable(const table::Table& table, const table::Snapshot* /*snapshot*/,
                 binder::RelationInfo& info) {
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

// The manifests of `snapshot` (none for nullptr, a table without snapshots), in list order.
Result<std::vector<table::ManifestFile>> SnapshotManifests(const table::Table& table,
                                                           const table::Snapshot* snapshot) {
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

// The manifests of every snapshot the metadata keeps, each once, in the order snapshots and
// their lists first name them. Iceberg's all_* tables read each reachable manifest once (they
// deduplicate manifests by path, not files), so a file that a rewritten manifest carries on
// shows once per manifest that lists it.
Result<std::vector<table::ManifestFile>> ReachableManifests(const table::Table& table) {
  std::vector<table::ManifestFile> reachable;
  std::set<std::string> seen;
  for (const table::Snapshot& snapshot : table.metadata->snapshots) {
    FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests,
                          SnapshotManifests(table, &snapshot));
    for (table::ManifestFile& manifest : manifests) {
      if (seen.insert(manifest.manifest_path).second) {
        reachable.push_back(std::move(manifest));
      }
    }
  }
  return reachable;
}

Result<std::vector<ManifestContents>> ReadManifests(const table::Table& table,
                                                    std::vector<table::ManifestFile> manifests) {
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

// The manifests a table of files or entries reads, with their entries: those of `snapshot`,
// or for the all_* tables (`snapshot` unused) those reachable from any snapshot.
enum class ManifestScope : uint8_t { kSnapshot, kReachable };

Result<std::vector<ManifestContents>> ReadScope(const table::Table& table,
                                                const table::Snapshot* snapshot,
                                                ManifestScope scope) {
  if (scope == ManifestScope::kReachable) {
    FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests, ReachableManifests(table));
    return ReadManifests(table, std::move(manifests));
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests,
                        SnapshotManifests(table, snapshot));
  return ReadManifests(table, std::move(manifests));
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

Columns ManifestColumns() {
  return {{"content", LogicalType::Integer()},
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
}

// Spark splits the manifest list's file counts by the manifest's content: a data manifest has
// no delete-file counts and a delete manifest no data-file counts (zero, not NULL).
std::vector<Value> ManifestValues(const table::TableMetadata& metadata,
                                  const table::ManifestFile& manifest) {
  bool is_data = manifest.content == table::ManifestContent::kData;
  Value zero = Value::Integer(0);
  Value added = OptionalInteger(manifest.added_files_count);
  Value existing = OptionalInteger(manifest.existing_files_count);
  Value deleted = OptionalInteger(manifest.deleted_files_count);
  return {Value::Integer(static_cast<int32_t>(manifest.content)),
          Value::Varchar(manifest.manifest_path),
          Value::BigInt(manifest.manifest_length),
          Value::Integer(manifest.partition_spec_id),
          Value::BigInt(manifest.added_snapshot_id),
          is_data ? added : zero,
          is_data ? existing : zero,
          is_data ? deleted : zero,
          is_data ? zero : added,
          is_data ? zero : existing,
          is_data ? zero : deleted,
          PartitionSummaries(metadata, manifest)};
}

Status ManifestsTable(const table::Table& table, const table::Snapshot* snapshot,
                      binder::RelationInfo& info) {
  info.columns = ManifestColumns();
  FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests,
                        SnapshotManifests(table, snapshot));
  Rows rows;
  for (const table::ManifestFile& manifest : manifests) {
    rows.push_back(ManifestValues(*table.metadata, manifest));
  }
  info.rows = std::move(rows);
  return Status::OK();
}

// One row per manifest of each snapshot, as Spark's all_manifests: a manifest that several
// snapshots list shows once for each, told apart by reference_snapshot_id.
Status AllManifestsTable(const table::Table& table, const table::Snapshot* /*snapshot*/,
                         binder::RelationInfo& info) {
  info.columns = ManifestColumns();
  info.columns.push_back({"reference_snapshot_id", LogicalType::BigInt()});
  Rows rows;
  for (const table::Snapshot& snapshot : table.metadata->snapshots) {
    FLOE_ASSIGN_OR_RETURN(std::vector<table::ManifestFile> manifests,
                          SnapshotManifests(table, &snapshot));
    for (const table::ManifestFile& manifest : manifests) {
      std::vector<Value>& row = rows.emplace_back(ManifestValues(*table.metadata, manifest));
      row.push_back(Value::BigInt(snapshot.snapshot_id));
    }
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

// The live files (entries not marked deleted) of the manifests in `scope`, in manifest order:
// the files tables at `snapshot`, or the all_*files tables over every snapshot.
template <ManifestScope scope, FileFilter filter>
Status FilesTable(const table::Table& table, const table::Snapshot* snapshot,
                  binder::RelationInfo& info) {
  PartitionLayout layout = MakePartitionLayout(*table.metadata);
  info.columns = DataFileColumns(layout);
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests, ReadScope(table, snapshot, scope));
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

// Every entry of the manifests in `scope`, deleted ones included, as Spark's entries and
// all_entries tables (status 0 existing, 1 added, 2 deleted).
template <ManifestScope scope>
Status EntriesTable(const table::Table& table, const table::Snapshot* snapshot,
                    binder::RelationInfo& info) {
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
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests, ReadScope(table, snapshot, scope));
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
Status PartitionsTable(const table::Table& table, const table::Snapshot* snapshot,
                       binder::RelationInfo& info) {
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
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests,
                        ReadScope(table, snapshot, ManifestScope::kSnapshot));
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

// The snapshot that was current at `timestamp_ms` by the snapshot log: its last entry at or
// before that time, as Iceberg finds a metadata file's latest snapshot. nullopt before the
// first commit.
std::optional<int64_t> SnapshotIdAt(const table::TableMetadata& metadata, int64_t timestamp_ms) {
  std::optional<int64_t> found;
  for (const table::SnapshotLogEntry& entry : metadata.snapshot_log) {
    if (entry.timestamp_ms <= timestamp_ms) {
      found = entry.snapshot_id;
    }
  }
  return found;
}

// One row per metadata file of the metadata log, then the current one, as Spark's
// metadata_log_entries: each with the snapshot current when it was written, and that
// snapshot's schema id and sequence number while the metadata still has the snapshot.
Status MetadataLogEntriesTable(const table::Table& table, const table::Snapshot* /*snapshot*/,
                               binder::RelationInfo& info) {
  const table::TableMetadata& metadata = *table.metadata;
  info.columns = {{"timestamp", LogicalType::TimestampTz()},
                  {"file", LogicalType::Varchar()},
                  {"latest_snapshot_id", LogicalType::BigInt()},
                  {"latest_schema_id", LogicalType::Integer()},
                  {"latest_sequence_number", LogicalType::BigInt()}};
  std::vector<table::MetadataLogEntry> files = metadata.metadata_log;
  files.push_back({metadata.last_updated_ms, table.metadata_location});
  Rows rows;
  for (const table::MetadataLogEntry& file : files) {
    std::optional<int64_t> snapshot_id = SnapshotIdAt(metadata, file.timestamp_ms);
    const table::Snapshot* latest =
        snapshot_id.has_value() ? metadata.FindSnapshot(*snapshot_id) : nullptr;
    rows.push_back(
        {MillisAsTimestampTz(file.timestamp_ms), Value::Varchar(file.metadata_file),
         OptionalBigInt(snapshot_id),
         OptionalInteger(latest != nullptr ? latest->schema_id : std::optional<int32_t>()),
         OptionalBigInt(latest != nullptr ? std::optional<int64_t>(latest->sequence_number)
                                          : std::optional<int64_t>())});
  }
  info.rows = std::move(rows);
  return Status::OK();
}

using DeletedPositions = std::vector<std::pair<std::string, int64_t>>;

// The (data file, position) pairs a position delete file names, in file order. A deletion
// vector names positions of its referenced data file, at most its record_count of them.
Result<DeletedPositions> ReadDeletedPositions(const table::Table& table,
                                              const table::DataFile& deletes) {
  DeletedPositions deleted;
  if (table::IsDeletionVector(deletes)) {
    FLOE_ASSIGN_OR_RETURN(
        std::vector<int64_t> positions,
        table::ReadDeletionVector(*table.file_system, deletes, deletes.record_count));
    for (int64_t position : positions) {
      deleted.emplace_back(deletes.referenced_data_file.value_or(""), position);
    }
    return deleted;
  }
  // The spec names formats in lower case; Iceberg's Java library writes them in upper case.
  auto is_parquet = [](std::string_view format) {
    return format.size() == 7 &&
           std::equal(format.begin(), format.end(), "parquet", [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  if (!is_parquet(deletes.file_format)) {
    return Status::NotSupported("position delete file {} in format {}", deletes.file_path,
                                deletes.file_format);
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::RandomAccessFile> input,
                        table.file_system->OpenInputFile(deletes.file_path));
  format::parquet::ParquetReadOptions options;
  // The spec fixes these names (and field ids 2147483546 and 2147483545).
  options.column_names = {"file_path", "pos"};
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<format::parquet::ParquetReader> reader,
                        format::parquet::ParquetReader::Open(std::move(input), options));
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      break;
    }
    const vector::Vector& paths = batch->column(0);
    const vector::Vector& positions = batch->column(1);
    if (paths.type().id() != TypeId::kVarchar || positions.type().id() != TypeId::kBigInt) {
      return Status::Corruption("position delete file {} has file_path of type {} and pos of {}",
                                deletes.file_path, paths.type().ToString(),
                                positions.type().ToString());
    }
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      // Both are required; a row lacking one deletes nothing, as when a scan applies it.
      if (paths.IsNull(row) || positions.IsNull(row)) {
        continue;
      }
      deleted.emplace_back(std::string(paths.GetString(row)), positions.Get<int64_t>(row));
    }
  }
  return deleted;
}

// One row per position deleted by the live position delete files at `snapshot` (deletion
// vectors included), as Spark's position_deletes without its `row` column, which Floe never
// writes: file_path and pos name the deleted row, then the delete file's partition (only for
// partitioned tables, as in the files table), spec id and path.
Status PositionDeletesTable(const table::Table& table, const table::Snapshot* snapshot,
                            binder::RelationInfo& info) {
  PartitionLayout layout = MakePartitionLayout(*table.metadata);
  info.columns = {{"file_path", LogicalType::Varchar()}, {"pos", LogicalType::BigInt()}};
  if (!layout.fields.empty()) {
    info.columns.push_back({"partition", layout.struct_type});
  }
  info.columns.push_back({"spec_id", LogicalType::Integer()});
  info.columns.push_back({"delete_file_path", LogicalType::Varchar()});
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestContents> manifests,
                        ReadScope(table, snapshot, ManifestScope::kSnapshot));
  Rows rows;
  for (const ManifestContents& contents : manifests) {
    int32_t spec_id = contents.manifest.partition_spec_id;
    const table::PartitionSpec* spec = FindSpec(*table.metadata, spec_id);
    for (const table::ManifestEntry& entry : contents.entries) {
      const table::DataFile& file = entry.data_file;
      if (entry.status == table::ManifestEntryStatus::kDeleted ||
          file.content != table::FileContent::kPositionDeletes) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(DeletedPositions deleted, ReadDeletedPositions(table, file));
      for (auto& [path, position] : deleted) {
        std::vector<Value>& row =
            rows.emplace_back(std::vector<Value>{Value::Varchar(path), Value::BigInt(position)});
        if (!layout.fields.empty()) {
          row.push_back(PartitionStruct(layout, spec, file.partition));
        }
        row.push_back(Value::Integer(spec_id));
        row.push_back(Value::Varchar(file.file_path));
      }
    }
  }
  info.rows = std::move(rows);
  return Status::OK();
}

using BuildRows = Status (*)(const table::Table& table, const table::Snapshot* snapshot,
                             binder::RelationInfo& info);

struct MetadataTable {
  std::string_view suffix;
  /// Fills the columns and rows: at `snapshot` (the current one unless FOR VERSION AS OF chose
  /// another; nullptr for a table without snapshots) for those that show one snapshot.
  BuildRows build;
  /// Whether the table shows one snapshot, so that time travel may choose another; the others
  /// span the table's whole history.
  bool shows_one_snapshot;
};

constexpr ManifestScope kAtSnapshot = ManifestScope::kSnapshot;
constexpr ManifestScope kReachable = ManifestScope::kReachable;

// In the order error messages list them.
constexpr std::array<MetadataTable, 16> kMetadataTables = {{
    {"snapshots", &SnapshotsTable, false},
    {"history", &HistoryTable, false},
    {"metadata_log_entries", &MetadataLogEntriesTable, false},
    {"refs", &RefsTable, false},
    {"manifests", &ManifestsTable, true},
    {"files", &FilesTable<kAtSnapshot, FileFilter::kAll>, true},
    {"data_files", &FilesTable<kAtSnapshot, FileFilter::kData>, true},
    {"delete_files", &FilesTable<kAtSnapshot, FileFilter::kDeletes>, true},
    {"entries", &EntriesTable<kAtSnapshot>, true},
    {"partitions", &PartitionsTable, true},
    {"position_deletes", &PositionDeletesTable, true},
    {"all_manifests", &AllManifestsTable, false},
    {"all_files", &FilesTable<kReachable, FileFilter::kAll>, false},
    {"all_data_files", &FilesTable<kReachable, FileFilter::kData>, false},
    {"all_delete_files", &FilesTable<kReachable, FileFilter::kDeletes>, false},
    {"all_entries", &EntriesTable<kReachable>, false},
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
  auto described = std::make_shared<const table::Table>(std::move(loaded));
  binder::RelationInfo info;
  info.kind = binder::RelationInfo::Kind::kTable;
  info.display_name = base_name + "$" + suffix;
  FLOE_RETURN_NOT_OK(
      metadata_table->build(*described, described->metadata->CurrentSnapshot(), info));
  info.described_table = described;
  if (metadata_table->shows_one_snapshot) {
    info.rows_at_snapshot = [described, build = metadata_table->build](
                                int64_t snapshot_id, binder::RelationInfo& relation) -> Status {
      const table::Snapshot* snapshot = described->metadata->FindSnapshot(snapshot_id);
      if (snapshot == nullptr) {
        return Status::InvalidArgument("table {} has no snapshot {}", relation.display_name,
                                       snapshot_id)
            .WithSqlState("22023");
      }
      relation.columns.clear();
      relation.rows.reset();
      return build(*described, snapshot, relation);
    };
  }
  return std::optional<binder::RelationInfo>(std::move(info));
}

}  // namespace floe::sql
