#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "table/data_file.h"
#include "table/predicate.h"
#include "table/schema.h"
#include "table/table.h"

namespace floe {
class TaskScheduler;
}  // namespace floe

namespace floe::table {

/// A delete file and the data sequence number it was committed with.
struct DeleteFile {
  DataFile file;
  int64_t sequence_number = 0;
  int32_t spec_id = 0;
};

/// One unit of scan work: a data file to read, the delete files that apply to it, and the part
/// of the filter its partition does not decide (spec: "Scan Planning").
///
/// `delete_files` holds the position deletes whose data sequence number is >= the data file's,
/// in its partition (or global), and the equality deletes whose sequence number is strictly
/// greater, in its partition (or unpartitioned). A deletion vector (a Puffin position delete
/// file) applies like a position delete file whose referenced data file is this one, and when
/// one applies the other position delete files do not. Rows the reader returns may still fail
/// `residual` (the filter without what the partition decides, NOT pushed to the leaves); the
/// caller filters them (or asks TableReader to).
struct FileScanTask {
  DataFile data_file;
  int32_t spec_id = 0;
  int64_t data_sequence_number = 0;
  std::vector<DeleteFile> delete_files;
  Predicate residual;
};

/// What to scan: which snapshot (at most one of snapshot_id, as_of_timestamp_ms and ref; none
/// means the current snapshot), which columns and which rows may be skipped.
struct ScanOptions {
  std::optional<int64_t> snapshot_id = {};
  /// The last snapshot committed at or before this time (milliseconds since the epoch).
  std::optional<int64_t> as_of_timestamp_ms = {};
  /// A branch or tag name ("main").
  std::optional<std::string> ref = {};
  /// Top-level field ids to read, in output order; empty for every column of the schema.
  std::vector<int32_t> projection = {};
  /// Rows that may be skipped are those not satisfying `filter`.
  Predicate filter = Predicate::True();
  /// Reads manifests in parallel on this scheduler (the caller takes part); nullptr reads them
  /// on the calling thread. Tasks come out in manifest order either way.
  TaskScheduler* scheduler = nullptr;
};

/// What planning pruned, for EXPLAIN ANALYZE and tests.
struct ScanCounters {
  int64_t manifests_total = 0;
  int64_t manifests_pruned = 0;
  int64_t data_files_total = 0;
  int64_t data_files_pruned_by_partition = 0;
  int64_t data_files_pruned_by_statistics = 0;
  int64_t delete_files = 0;
};

/// Plans a read of one snapshot of a table: chooses the snapshot, then lists the live data
/// files that may hold matching rows, pruning manifests by their partition summaries, entries
/// by partition values (each manifest with its own partition spec) and by column statistics,
/// and attaches the delete files that apply to each. Immutable after Make; PlanFiles may run
/// from several threads. Tasks are independent: read them in parallel, one morsel per task.
class TableScan {
 public:
  /// Errors: NotFound for a snapshot id, ref or time with no snapshot; InvalidArgument when
  /// more than one snapshot selector is given or a projected field id is not a top-level field
  /// of the scan's schema; NotSupported from TableMetadata::CheckReadable.
  static Result<TableScan> Make(Table table, ScanOptions options = {});

  /// The snapshot read, or nullptr for a table without snapshots (the scan is then empty).
  const Snapshot* snapshot() const { return snapshot_; }
  /// The schema rows are read with: the snapshot's schema when the snapshot records one (time
  /// travel reads the columns of its time), else the current schema.
  const Schema& schema() const { return schema_; }
  /// The projected top-level field ids, in output order.
  const std::vector<int32_t>& projection() const { return projection_; }
  const Table& table() const { return table_; }
  const ScanOptions& options() const { return options_; }

  /// Returns the tasks, in manifest order. `counters` (may be null) receives what was pruned.
  /// Errors: as ManifestReader; Corruption for a Puffin delete file that is not a deletion
  /// vector (position deletes with a referenced data file).
  Result<std::vector<FileScanTask>> PlanFiles(ScanCounters* counters = nullptr) const;

 private:
  TableScan() = default;

  Table table_;
  ScanOptions options_;
  const Snapshot* snapshot_ = nullptr;
  Schema schema_;
  std::vector<int32_t> projection_;
};

/// Returns the snapshot `options` selects in `metadata` (nullptr when the table has no
/// current snapshot and none was asked for). Errors as TableScan::Make.
Result<const Snapshot*> SelectSnapshot(const TableMetadata& metadata, const ScanOptions& options);

}  // namespace floe::table
