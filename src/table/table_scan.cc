#include "table/table_scan.h"

#include <algorithm>
#include <map>
#include <utility>

#include "common/task_scheduler.h"
#include "table/deletion_vector_reader.h"
#include "table/manifest_list.h"
#include "table/parsed_file_cache.h"
#include "table/predicate_evaluator.h"

namespace floe::table {

namespace {

// Reserved field ids of position delete files (spec: "Position Delete Files").
constexpr int32_t kDeleteFilePathFieldId = 2147483546;

const PartitionSpec* FindSpec(const TableMetadata& metadata, int32_t spec_id) {
  for (const PartitionSpec& spec : metadata.partition_specs) {
    if (spec.spec_id() == spec_id) {
      return &spec;
    }
  }
  return nullptr;
}

std::string PartitionKey(int32_t spec_id, const std::vector<types::Value>& tuple) {
  std::string key = std::to_string(spec_id);
  for (const types::Value& value : tuple) {
    key += '\x1f';
    key += value.is_null() ? std::string("\x1e") : value.ToString();
  }
  return key;
}

bool IsUnpartitioned(const TableMetadata& metadata, int32_t spec_id) {
  const PartitionSpec* spec = FindSpec(metadata, spec_id);
  return spec == nullptr || spec->IsUnpartitioned();
}

// True when a position delete file's file_path bounds or referenced data file exclude `path`.
bool ExcludesPath(const DataFile& deletes, const std::string& path) {
  if (deletes.referenced_data_file.has_value() && *deletes.referenced_data_file != path) {
    return true;
  }
  const std::string* lower = nullptr;
  const std::string* upper = nullptr;
  for (const auto& [id, bytes] : deletes.lower_bounds) {
    lower = id == kDeleteFilePathFieldId ? &bytes : lower;
  }
  for (const auto& [id, bytes] : deletes.upper_bounds) {
    upper = id == kDeleteFilePathFieldId ? &bytes : upper;
  }
  return (lower != nullptr && path < *lower) || (upper != nullptr && path > *upper);
}

// Puffin delete files hold deletion vectors, which are position deletes of one data file.
Status CheckPuffinDeleteFile(const DataFile& file) {
  std::string format = file.file_format;
  std::transform(format.begin(), format.end(), format.begin(), ::toupper);
  if (format != "PUFFIN") {
    return Status::OK();
  }
  if (!IsDeletionVector(file)) {
    return Status::Corruption("Puffin delete file {} holds {}, not position deletes",
                              file.file_path, FileContentName(file.content));
  }
  if (!file.referenced_data_file.has_value()) {
    return Status::Corruption("deletion vector {} lacks referenced_data_file", file.file_path);
  }
  return Status::OK();
}

bool Applies(const DeleteFile& deletes, const FileScanTask& task) {
  if (deletes.file.content == FileContent::kPositionDeletes) {
    return deletes.sequence_number >= task.data_sequence_number &&
           !ExcludesPath(deletes.file, task.data_file.file_path);
  }
  return deletes.sequence_number > task.data_sequence_number;
}

// Delete files grouped by the partition they apply to; unpartitioned ones apply everywhere.
struct DeleteIndex {
  std::vector<DeleteFile> global;
  std::map<std::string, std::vector<DeleteFile>> by_partition;

  void Attach(FileScanTask& task) const {
    for (const DeleteFile& deletes : global) {
      if (Applies(deletes, task)) {
        task.delete_files.push_back(deletes);
      }
    }
    auto found = by_partition.find(PartitionKey(task.spec_id, task.data_file.partition));
    if (found != by_partition.end()) {
      for (const DeleteFile& deletes : found->second) {
        if (Applies(deletes, task)) {
          task.delete_files.push_back(deletes);
        }
      }
    }
    DropSupersededPositionDeletes(task);
  }

  // Spec "Scan Planning": when a deletion vector applies to a data file, its position delete
  // files do not; the writer of the vector folded their positions into it.
  static void DropSupersededPositionDeletes(FileScanTask& task) {
    std::vector<DeleteFile>& files = task.delete_files;
    if (std::none_of(files.begin(), files.end(),
                     [](const DeleteFile& deletes) { return IsDeletionVector(deletes.file); })) {
      return;
    }
    std::erase_if(files, [](const DeleteFile& deletes) {
      return deletes.file.content == FileContent::kPositionDeletes &&
             !IsDeletionVector(deletes.file);
    });
  }
};

Result<std::vector<ManifestFile>> ListManifests(io::FileSystem& file_system,
                                                const Snapshot& snapshot) {
  if (!snapshot.manifest_list.empty()) {
    FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<ManifestFile>> list,
                          ParsedFileCache::Shared().ManifestList(file_system,
                                                                 snapshot.manifest_list));
    return *list;
  }
  // v1 snapshots may list manifests directly; their specs come from the manifest headers.
  std::vector<ManifestFile> manifests;
  for (const std::string& path : snapshot.manifests) {
    ManifestFile manifest;
    manifest.manifest_path = path;
    manifest.partition_spec_id = -1;
    manifest.added_snapshot_id = snapshot.snapshot_id;
    manifests.push_back(std::move(manifest));
  }
  return manifests;
}

}  // namespace

Result<const Snapshot*> SelectSnapshot(const TableMetadata& metadata, const ScanOptions& options) {
  const int selectors = static_cast<int>(options.snapshot_id.has_value()) +
                        static_cast<int>(options.as_of_timestamp_ms.has_value()) +
                        static_cast<int>(options.ref.has_value());
  if (selectors > 1) {
    return Status::InvalidArgument(
        "a scan takes at most one of a snapshot id, a timestamp and a ref");
  }
  if (options.snapshot_id.has_value()) {
    const Snapshot* snapshot = metadata.FindSnapshot(*options.snapshot_id);
    if (snapshot == nullptr) {
      return Status::NotFound("snapshot {} does not exist in table {}", *options.snapshot_id,
                              metadata.location);
    }
    return snapshot;
  }
  if (options.ref.has_value()) {
    auto found = metadata.refs.find(*options.ref);
    if (found == metadata.refs.end()) {
      if (*options.ref == "main" && metadata.refs.empty()) {
        return metadata.CurrentSnapshot();
      }
      return Status::NotFound("ref {} does not exist in table {}", *options.ref, metadata.location);
    }
    const Snapshot* snapshot = metadata.FindSnapshot(found->second.snapshot_id);
    if (snapshot == nullptr) {
      return Status::NotFound("snapshot {} of ref {} does not exist", found->second.snapshot_id,
                              *options.ref);
    }
    return snapshot;
  }
  if (options.as_of_timestamp_ms.has_value()) {
    // The snapshot log records which snapshot was current when.
    const Snapshot* best = nullptr;
    int64_t best_time = 0;
    auto consider = [&](int64_t time, int64_t snapshot_id) {
      const Snapshot* snapshot = metadata.FindSnapshot(snapshot_id);
      if (snapshot != nullptr && time <= *options.as_of_timestamp_ms &&
          (best == nullptr || time >= best_time)) {
        best = snapshot;
        best_time = time;
      }
    };
    // Some writers log only part of the history: ancestors of the current snapshot count
    // from their commit time too.
    for (const SnapshotLogEntry& entry : metadata.snapshot_log) {
      consider(entry.timestamp_ms, entry.snapshot_id);
    }
    for (const Snapshot* ancestor = metadata.CurrentSnapshot(); ancestor != nullptr;
         ancestor = ancestor->parent_snapshot_id.has_value()
                        ? metadata.FindSnapshot(*ancestor->parent_snapshot_id)
                        : nullptr) {
      consider(ancestor->timestamp_ms, ancestor->snapshot_id);
    }
    if (best == nullptr) {
      return Status::NotFound("table {} has no snapshot at or before {} ms", metadata.location,
                              *options.as_of_timestamp_ms);
    }
    return best;
  }
  return metadata.CurrentSnapshot();
}

Result<TableScan> TableScan::Make(Table table, ScanOptions options) {
  FLOE_RETURN_NOT_OK(table.metadata->CheckReadable());
  TableScan scan;
  FLOE_ASSIGN_OR_RETURN(scan.snapshot_, SelectSnapshot(*table.metadata, options));
  const Schema* schema = table.metadata->CurrentSchema();
  if (scan.snapshot_ != nullptr && scan.snapshot_->schema_id.has_value() &&
      (options.snapshot_id.has_value() || options.as_of_timestamp_ms.has_value() ||
       (options.ref.has_value() && table.metadata->refs.count(*options.ref) > 0 &&
        table.metadata->refs.at(*options.ref).type == SnapshotRefType::kTag))) {
    const Schema* snapshot_schema = table.metadata->FindSchema(*scan.snapshot_->schema_id);
    schema = snapshot_schema != nullptr ? snapshot_schema : schema;
  }
  if (schema == nullptr) {
    return Status::Corruption("table {} has no current schema", table.metadata->location);
  }
  scan.schema_ = *schema;
  if (options.projection.empty()) {
    for (const NestedField& field : schema->fields()) {
      scan.projection_.push_back(field.id);
    }
  } else {
    for (int32_t id : options.projection) {
      bool found = std::any_of(schema->fields().begin(), schema->fields().end(),
                               [id](const NestedField& field) { return field.id == id; });
      if (!found) {
        return Status::InvalidArgument("field id {} is not a top-level column of table {}", id,
                                       table.metadata->location);
      }
      scan.projection_.push_back(id);
    }
  }
  scan.table_ = std::move(table);
  scan.options_ = std::move(options);
  return scan;
}

namespace {

// What one manifest contributes to a plan.
struct ManifestPlan {
  std::vector<FileScanTask> tasks;
  std::vector<DeleteFile> deletes;
  ScanCounters counters;
};

Status PlanManifest(const TableMetadata& metadata, io::FileSystem& file_system,
                    const PredicateEvaluator& evaluator, const Predicate& filter,
                    const ManifestFile& manifest, ManifestPlan& plan) {
  ScanCounters& count = plan.counters;
  ++count.manifests_total;
  const bool is_data = manifest.content == ManifestContent::kData;
  const PartitionSpec* spec = FindSpec(metadata, manifest.partition_spec_id);
  if (is_data && spec != nullptr && !evaluator.IsAlwaysTrue() &&
      !evaluator.ManifestMayMatch(*spec, manifest.partitions)) {
    ++count.manifests_pruned;
    return Status::OK();
  }
  // Parsed manifests are shared through the cache: entries are copied, never moved out.
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<const ParsedManifest> parsed,
                        ParsedFileCache::Shared().Manifest(file_system, manifest));
  int32_t spec_id = manifest.partition_spec_id;
  if (spec_id < 0) {
    spec_id = parsed->partition_spec_id.value_or(0);
    spec = FindSpec(metadata, spec_id);
  }
  for (const ManifestEntry& entry : parsed->entries) {
    if (entry.status == ManifestEntryStatus::kDeleted) {
      continue;
    }
    const int64_t sequence_number = entry.sequence_number.value_or(0);
    const DataFile& file = entry.data_file;
    if (file.content != FileContent::kData) {
      FLOE_RETURN_NOT_OK(CheckPuffinDeleteFile(file));
      ++count.delete_files;
      plan.deletes.push_back(DeleteFile{file, sequence_number, spec_id});
      continue;
    }
    ++count.data_files_total;
    if (!evaluator.IsAlwaysTrue()) {
      if (spec != nullptr && !evaluator.PartitionMayMatch(*spec, file.partition)) {
        ++count.data_files_pruned_by_partition;
        continue;
      }
      if (!evaluator.FileMayMatch(file)) {
        ++count.data_files_pruned_by_statistics;
        continue;
      }
    }
    FileScanTask task;
    task.data_file = file;
    task.spec_id = spec_id;
    task.data_sequence_number = sequence_number;
    task.residual = spec != nullptr && !evaluator.IsAlwaysTrue()
                        ? evaluator.Residual(*spec, task.data_file.partition)
                        : filter;
    plan.tasks.push_back(std::move(task));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<FileScanTask>> TableScan::PlanFiles(ScanCounters* counters) const {
  ScanCounters local;
  ScanCounters& count = counters != nullptr ? *counters : local;
  count = ScanCounters{};
  std::vector<FileScanTask> tasks;
  if (snapshot_ == nullptr) {
    return tasks;
  }
  const TableMetadata& metadata = *table_.metadata;
  io::FileSystem& file_system = *table_.file_system;
  PredicateEvaluator evaluator(schema_, options_.filter);
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests,
                        ListManifests(file_system, *snapshot_));
  std::vector<ManifestPlan> plans(manifests.size());
  auto plan_one = [&](int64_t index) {
    const size_t i = static_cast<size_t>(index);
    return PlanManifest(metadata, file_system, evaluator, options_.filter, manifests[i], plans[i]);
  };
  if (options_.scheduler != nullptr && manifests.size() > 1) {
    FLOE_RETURN_NOT_OK(
        options_.scheduler->ParallelFor(static_cast<int64_t>(manifests.size()), plan_one));
  } else {
    for (size_t i = 0; i < manifests.size(); ++i) {
      FLOE_RETURN_NOT_OK(plan_one(static_cast<int64_t>(i)));
    }
  }
  DeleteIndex deletes;
  for (ManifestPlan& plan : plans) {
    count.manifests_total += plan.counters.manifests_total;
    count.manifests_pruned += plan.counters.manifests_pruned;
    count.data_files_total += plan.counters.data_files_total;
    count.data_files_pruned_by_partition += plan.counters.data_files_pruned_by_partition;
    count.data_files_pruned_by_statistics += plan.counters.data_files_pruned_by_statistics;
    count.delete_files += plan.counters.delete_files;
    for (DeleteFile& delete_file : plan.deletes) {
      if (IsUnpartitioned(metadata, delete_file.spec_id)) {
        deletes.global.push_back(std::move(delete_file));
      } else {
        std::string key = PartitionKey(delete_file.spec_id, delete_file.file.partition);
        deletes.by_partition[key].push_back(std::move(delete_file));
      }
    }
    for (FileScanTask& task : plan.tasks) {
      tasks.push_back(std::move(task));
    }
  }
  for (FileScanTask& task : tasks) {
    deletes.Attach(task);
  }
  return tasks;
}

}  // namespace floe::table
