#include "sql/binder/time_travel.h"

#include <string>
#include <utility>
#include <vector>

#include "table/table_reader.h"
#include "table/table_scan.h"
#include "types/cast.h"

namespace floe::sql::binder {
namespace {

Status Invalid(Status status) {
  return status.WithSqlState("22023");
}

// Fills the snapshot selector of `options` from the clause's value.
Status SelectorFromValue(parser::TimeTravelKind kind, const types::Value& value,
                         const std::string& table_name, table::ScanOptions& options) {
  if (value.is_null()) {
    return Invalid(Status::InvalidArgument("time travel on {} needs a non-NULL value", table_name));
  }
  types::TypeId type = value.type().id();
  if (kind == parser::TimeTravelKind::kVersion) {
    if (type == types::TypeId::kVarchar) {
      options.ref = value.string_value();
      return Status::OK();
    }
    Result<types::Value> id = types::CastValue(value, types::LogicalType::BigInt());
    if (type == types::TypeId::kDecimal || type == types::TypeId::kReal ||
        type == types::TypeId::kDouble || !id.ok()) {
      return Invalid(Status::InvalidArgument(
          "FOR VERSION AS OF on {} takes a snapshot id or a branch or tag name, not {}", table_name,
          value.type().ToString()));
    }
    options.snapshot_id = id->bigint_value();
    return Status::OK();
  }
  Result<types::Value> time = types::CastValue(value, types::LogicalType::TimestampTz());
  if (!time.ok()) {
    return Invalid(Status::InvalidArgument("FOR TIMESTAMP AS OF on {} takes a timestamp: {}",
                                           table_name, time.status().message()));
  }
  int64_t micros = time->timestamp_value();
  // Floor division: a time just before the epoch must not round up to a later millisecond.
  options.as_of_timestamp_ms = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
  return Status::OK();
}

std::string SelectorText(const table::ScanOptions& options, const types::Value& value) {
  if (options.snapshot_id.has_value()) {
    return "snapshot " + std::to_string(*options.snapshot_id);
  }
  if (options.ref.has_value()) {
    return "branch or tag \"" + *options.ref + "\"";
  }
  return "snapshot at or before " + value.ToString();
}

// The snapshot the clause selects in `metadata`, which belongs to `name`.
Result<int64_t> SelectedSnapshotId(parser::TimeTravelKind kind, const types::Value& value,
                                   const table::TableMetadata& metadata, const std::string& name) {
  table::ScanOptions options;
  FLOE_RETURN_NOT_OK(SelectorFromValue(kind, value, name, options));
  Result<const table::Snapshot*> snapshot = table::SelectSnapshot(metadata, options);
  if (!snapshot.ok() || *snapshot == nullptr) {
    return Invalid(
        Status::InvalidArgument("table {} has no {}", name, SelectorText(options, value)));
  }
  return (*snapshot)->snapshot_id;
}

// Metadata tables that show one snapshot (t$files) are computed anew at the chosen one, as
// Spark reads them with VERSION AS OF; those spanning the history (t$snapshots, t$all_files)
// have no snapshot to choose, as in Iceberg, whose scans of them refuse one.
Result<int64_t> ApplyToMetadataTable(parser::TimeTravelKind kind, const types::Value& value,
                                     RelationInfo& relation) {
  const std::string& name = relation.display_name;
  if (!relation.rows_at_snapshot) {
    return Status::NotSupported(
        "FOR VERSION/TIMESTAMP AS OF on metadata table {}: it spans every snapshot of the table",
        name);
  }
  FLOE_ASSIGN_OR_RETURN(int64_t snapshot_id,
                        SelectedSnapshotId(kind, value, *relation.described_table->metadata, name));
  FLOE_RETURN_NOT_OK(relation.rows_at_snapshot(snapshot_id, relation));
  return snapshot_id;
}

}  // namespace

Result<int64_t> ApplyTimeTravel(parser::TimeTravelKind kind, const types::Value& value,
                                RelationInfo& relation) {
  const std::string& name = relation.display_name;
  if (relation.described_table != nullptr) {
    return ApplyToMetadataTable(kind, value, relation);
  }
  if (relation.iceberg_table == nullptr) {
    return Status::NotSupported(
        "FOR VERSION/TIMESTAMP AS OF on {}: only Iceberg tables keep snapshots", name);
  }
  const table::TableMetadata& metadata = *relation.iceberg_table->metadata;
  FLOE_ASSIGN_OR_RETURN(int64_t snapshot_id, SelectedSnapshotId(kind, value, metadata, name));
  table::ScanOptions by_id;
  by_id.snapshot_id = snapshot_id;
  FLOE_ASSIGN_OR_RETURN(table::TableScan scan,
                        table::TableScan::Make(*relation.iceberg_table, std::move(by_id)));
  std::vector<int32_t> field_ids;
  for (const table::NestedField& field : scan.schema().fields()) {
    field_ids.push_back(field.id);
  }
  FLOE_ASSIGN_OR_RETURN(vector::Schema schema, table::ProjectSchema(scan.schema(), field_ids));
  relation.columns.clear();
  for (const vector::Field& field : schema.fields()) {
    relation.columns.push_back({field.name, field.type});
  }
  relation.field_ids = std::move(field_ids);
  FLOE_ASSIGN_OR_RETURN(std::vector<table::FileScanTask> tasks, scan.PlanFiles());
  relation.row_count = 0;
  for (const table::FileScanTask& task : tasks) {
    relation.row_count += task.data_file.record_count;
  }
  return snapshot_id;
}

}  // namespace floe::sql::binder
