#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "table/data_file.h"
#include "table/predicate.h"
#include "table/table_change.h"

namespace floe::table {

/// What kind of snapshot a producer writes, and its summary "operation".
enum class SnapshotOperation : uint8_t {
  kAppend,     // "append": adds data files.
  kOverwrite,  // "overwrite": removes and adds data files.
  kDelete,     // "delete": removes data files.
  kRowDelta,   // "overwrite" (or "append" when it only adds data): adds delete and data files.
};

/// Produces one new snapshot (spec: "Snapshots", "Manifests", "Manifest Lists"), as AppendFiles,
/// OverwriteFiles, DeleteFiles and RowDelta do in other engines:
///   - added data files go into one new manifest ("<uuid>-m0.avro"), added delete files into a
///     delete manifest ("<uuid>-m1.avro"), their snapshot id and sequence numbers inherited;
///   - manifests of the parent holding removed files are rewritten ("<uuid>-m<N>.avro") with
///     those entries DELETED and the others EXISTING; other manifests are carried unchanged;
///   - the manifest list "snap-<id>-<attempt>-<uuid>.avro" assigns the new sequence number;
///   - the snapshot gets the summary (operation, added-/deleted-/total- counts,
///     changed-partition-count), the snapshot log an entry, and the `main` branch points at it.
/// Added files must be partitioned by the table's default spec (DataFileWriter makes such
/// files). On a lost race, Validate lets appends through, and fails an overwrite, delete or
/// row delta with Conflict when a file it removes is no longer live or when a snapshot
/// committed since the start added data files matching its conflict-detection filter.
class SnapshotProducer final : public TableChange {
 public:
  explicit SnapshotProducer(SnapshotOperation operation) : operation_(operation) {}

  static std::unique_ptr<SnapshotProducer> Append() {
    return std::make_unique<SnapshotProducer>(SnapshotOperation::kAppend);
  }
  static std::unique_ptr<SnapshotProducer> Overwrite() {
    return std::make_unique<SnapshotProducer>(SnapshotOperation::kOverwrite);
  }
  static std::unique_ptr<SnapshotProducer> Delete() {
    return std::make_unique<SnapshotProducer>(SnapshotOperation::kDelete);
  }
  static std::unique_ptr<SnapshotProducer> RowDelta() {
    return std::make_unique<SnapshotProducer>(SnapshotOperation::kRowDelta);
  }

  SnapshotOperation operation() const { return operation_; }

  void AddDataFile(DataFile file) { added_data_.push_back(std::move(file)); }
  /// Adds a position or equality delete file (row deltas).
  void AddDeleteFile(DataFile file) { added_deletes_.push_back(std::move(file)); }
  /// Removes a live data file, named by its path (overwrites and deletes).
  void RemoveDataFile(std::string path) { removed_paths_.insert(std::move(path)); }
  /// Rows matching `filter` that concurrent commits added make this change fail with
  /// Conflict (serializable overwrites, MERGE, UPDATE, DELETE).
  void SetConflictDetectionFilter(Predicate filter) { conflict_filter_ = std::move(filter); }
  /// Adds an entry to the snapshot summary.
  void SetSummaryProperty(std::string key, std::string value) {
    extra_summary_[std::move(key)] = std::move(value);
  }

  /// The id of the snapshot the last Apply produced.
  int64_t snapshot_id() const { return snapshot_id_; }

  Status Validate(const Table& start, const Table& current) override;
  Result<TableMetadata> Apply(const Table& base, int attempt,
                              std::vector<std::string>& written) override;

 private:
  SnapshotOperation operation_;
  std::vector<DataFile> added_data_;
  std::vector<DataFile> added_deletes_;
  std::set<std::string> removed_paths_;
  std::optional<Predicate> conflict_filter_;
  std::map<std::string, std::string> extra_summary_;
  int64_t snapshot_id_ = 0;
  std::string commit_uuid_;
};

}  // namespace floe::table
