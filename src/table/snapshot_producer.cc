#include "table/snapshot_producer.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "table/id_generator.h"
#include "table/manifest_list.h"
#include "table/manifest_reader.h"
#include "table/manifest_writer.h"
#include "table/predicate_evaluator.h"

namespace floe::table {

namespace {

const PartitionSpec* FindSpec(const TableMetadata& metadata, int32_t spec_id) {
  for (const PartitionSpec& spec : metadata.partition_specs) {
    if (spec.spec_id() == spec_id) {
      return &spec;
    }
  }
  return nullptr;
}

Result<std::vector<ManifestFile>> SnapshotManifests(io::FileSystem& file_system,
                                                    const Snapshot& snapshot) {
  if (snapshot.manifest_list.empty()) {
    return Status::NotSupported(
        "committing on top of snapshot {}, which lists its manifests without a manifest list "
        "(format version 1)",
        snapshot.snapshot_id);
  }
  return ReadManifestList(file_system, snapshot.manifest_list);
}

std::string PartitionKey(int32_t spec_id, const std::vector<types::Value>& tuple) {
  std::string key = std::to_string(spec_id);
  for (const types::Value& value : tuple) {
    key += '\x1f';
    key += value.is_null() ? std::string("\x1e") : value.ToString();
  }
  return key;
}

// The counts a snapshot summary reports (spec: "Snapshot Summary"; names as Java writes them).
struct SummaryCounts {
  int64_t added_data_files = 0;
  int64_t added_records = 0;
  int64_t added_files_size = 0;
  int64_t added_delete_files = 0;
  int64_t added_position_delete_files = 0;
  int64_t added_equality_delete_files = 0;
  int64_t added_position_deletes = 0;
  int64_t added_equality_deletes = 0;
  int64_t deleted_data_files = 0;
  int64_t deleted_records = 0;
  int64_t removed_files_size = 0;
  std::set<std::string> changed_partitions;

  void Add(const DataFile& file, int32_t spec_id) {
    added_files_size += file.file_size_in_bytes;
    changed_partitions.insert(PartitionKey(spec_id, file.partition));
    switch (file.content) {
      case FileContent::kData:
        ++added_data_files;
        added_records += file.record_count;
        break;
      case FileContent::kPositionDeletes:
        ++added_delete_files;
        ++added_position_delete_files;
        added_position_deletes += file.record_count;
        break;
      case FileContent::kEqualityDeletes:
        ++added_delete_files;
        ++added_equality_delete_files;
        added_equality_deletes += file.record_count;
        break;
    }
  }

  void Remove(const DataFile& file, int32_t spec_id) {
    ++deleted_data_files;
    deleted_records += file.record_count;
    removed_files_size += file.file_size_in_bytes;
    changed_partitions.insert(PartitionKey(spec_id, file.partition));
  }
};

int64_t SummaryValue(const Snapshot* parent, const std::string& key, bool& is_known) {
  if (parent == nullptr) {
    return 0;
  }
  auto found = parent->summary.find(key);
  if (found == parent->summary.end()) {
    is_known = false;
    return 0;
  }
  char* end = nullptr;
  long long value = std::strtoll(found->second.c_str(), &end, 10);
  if (end == found->second.c_str() || *end != '\0') {
    is_known = false;
  }
  return value;
}

void PutCount(std::map<std::string, std::string>& summary, const std::string& key, int64_t value) {
  if (value != 0) {
    summary[key] = std::to_string(value);
  }
}

std::map<std::string, std::string> MakeSummary(const std::string& operation,
                                               const SummaryCounts& counts,
                                               const Snapshot* parent) {
  std::map<std::string, std::string> summary;
  summary["operation"] = operation;
  PutCount(summary, "added-data-files", counts.added_data_files);
  PutCount(summary, "added-records", counts.added_records);
  PutCount(summary, "added-files-size", counts.added_files_size);
  PutCount(summary, "added-delete-files", counts.added_delete_files);
  PutCount(summary, "added-position-delete-files", counts.added_position_delete_files);
  PutCount(summary, "added-equality-delete-files", counts.added_equality_delete_files);
  PutCount(summary, "added-position-deletes", counts.added_position_deletes);
  PutCount(summary, "added-equality-deletes", counts.added_equality_deletes);
  PutCount(summary, "deleted-data-files", counts.deleted_data_files);
  PutCount(summary, "deleted-records", counts.deleted_records);
  PutCount(summary, "removed-files-size", counts.removed_files_size);
  summary["changed-partition-count"] = std::to_string(counts.changed_partitions.size());
  // Totals follow the parent's; a parent without them (another writer) leaves them unknown.
  bool is_known = true;
  const int64_t records = SummaryValue(parent, "total-records", is_known);
  const int64_t size = SummaryValue(parent, "total-files-size", is_known);
  const int64_t data_files = SummaryValue(parent, "total-data-files", is_known);
  const int64_t delete_files = SummaryValue(parent, "total-delete-files", is_known);
  const int64_t position_deletes = SummaryValue(parent, "total-position-deletes", is_known);
  const int64_t equality_deletes = SummaryValue(parent, "total-equality-deletes", is_known);
  if (is_known) {
    summary["total-records"] =
        std::to_string(records + counts.added_records - counts.deleted_records);
    summary["total-files-size"] =
        std::to_string(size + counts.added_files_size - counts.removed_files_size);
    summary["total-data-files"] =
        std::to_string(data_files + counts.added_data_files - counts.deleted_data_files);
    summary["total-delete-files"] = std::to_string(delete_files + counts.added_delete_files);
    summary["total-position-deletes"] =
        std::to_string(position_deletes + counts.added_position_deletes);
    summary["total-equality-deletes"] =
        std::to_string(equality_deletes + counts.added_equality_deletes);
  }
  return summary;
}

// A row delta is named by what it does, as Iceberg's own: only new rows make an append, only
// deletes (delete files, no data files) a delete, anything else an overwrite.
const char* OperationName(SnapshotOperation operation, bool adds_data, bool adds_deletes,
                          bool removes_data) {
  switch (operation) {
    case SnapshotOperation::kAppend:
      return "append";
    case SnapshotOperation::kOverwrite:
      return "overwrite";
    case SnapshotOperation::kDelete:
      return "delete";
    case SnapshotOperation::kRowDelta:
      if (!adds_deletes && !removes_data) {
        return "append";
      }
      return adds_deletes && !adds_data ? "delete" : "overwrite";
  }
  return "overwrite";
}

// Returns the live data file paths of a snapshot.
Result<std::set<std::string>> LiveDataPaths(io::FileSystem& file_system, const Snapshot& snapshot) {
  std::set<std::string> paths;
  FLOE_ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests,
                        SnapshotManifests(file_system, snapshot));
  for (const ManifestFile& manifest : manifests) {
    if (manifest.content != ManifestContent::kData) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(auto reader, ManifestReader::Open(file_system, manifest));
    FLOE_ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, reader->ReadAll());
    for (ManifestEntry& entry : entries) {
      if (entry.status != ManifestEntryStatus::kDeleted) {
        paths.insert(std::move(entry.data_file.file_path));
      }
    }
  }
  return paths;
}

}  // namespace

Status SnapshotProducer::Validate(const Table& start, const Table& current) {
  const bool has_checks = !removed_paths_.empty() || conflict_filter_.has_value();
  const Snapshot* head = current.metadata->CurrentSnapshot();
  if (!has_checks || head == nullptr) {
    return Status::OK();  // Appends never conflict with appends.
  }
  io::FileSystem& file_system = *current.file_system;
  if (!removed_paths_.empty()) {
    FLOE_ASSIGN_OR_RETURN(std::set<std::string> live, LiveDataPaths(file_system, *head));
    for (const std::string& path : removed_paths_) {
      if (live.count(path) == 0) {
        return Status::Conflict("data file {} was removed by a concurrent commit to table {}", path,
                                current.metadata->location);
      }
    }
  }
  if (!conflict_filter_.has_value()) {
    return Status::OK();
  }
  const Snapshot* start_snapshot = start.metadata->CurrentSnapshot();
  const std::optional<int64_t> start_id = start_snapshot != nullptr
                                              ? std::optional<int64_t>(start_snapshot->snapshot_id)
                                              : std::nullopt;
  const TableMetadata& metadata = *current.metadata;
  PredicateEvaluator evaluator(*metadata.CurrentSchema(), *conflict_filter_);
  for (const Snapshot* snapshot = head; snapshot != nullptr && snapshot->snapshot_id != start_id;
       snapshot = snapshot->parent_snapshot_id.has_value()
                      ? metadata.FindSnapshot(*snapshot->parent_snapshot_id)
                      : nullptr) {
    FLOE_ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests,
                          SnapshotManifests(file_system, *snapshot));
    for (const ManifestFile& manifest : manifests) {
      if (manifest.content != ManifestContent::kData ||
          manifest.added_snapshot_id != snapshot->snapshot_id) {
        continue;
      }
      const PartitionSpec* spec = FindSpec(metadata, manifest.partition_spec_id);
      FLOE_ASSIGN_OR_RETURN(auto reader, ManifestReader::Open(file_system, manifest));
      FLOE_ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, reader->ReadAll());
      for (const ManifestEntry& entry : entries) {
        if (entry.status != ManifestEntryStatus::kAdded) {
          continue;
        }
        const bool may_match =
            (spec == nullptr || evaluator.PartitionMayMatch(*spec, entry.data_file.partition)) &&
            evaluator.FileMayMatch(entry.data_file);
        if (may_match) {
          return Status::Conflict(
              "a concurrent commit (snapshot {}) added data file {} matching the conflict "
              "filter {} of table {}",
              snapshot->snapshot_id, entry.data_file.file_path, conflict_filter_->ToString(),
              metadata.location);
        }
      }
    }
  }
  return Status::OK();
}

Result<TableMetadata> SnapshotProducer::Apply(const Table& base, int attempt,
                                              std::vector<std::string>& written) {
  const TableMetadata& metadata = *base.metadata;
  io::FileSystem& file_system = *base.file_system;
  const int format_version = metadata.format_version;
  if (format_version > 2) {
    return Status::NotSupported("writing snapshots of format version {} tables", format_version);
  }
  do {
    snapshot_id_ = NewSnapshotId();
  } while (metadata.FindSnapshot(snapshot_id_) != nullptr);
  commit_uuid_ = NewUuid();
  const Snapshot* parent = metadata.CurrentSnapshot();
  const int64_t sequence_number = format_version >= 2 ? metadata.last_sequence_number + 1 : 0;
  const Schema& schema = *metadata.CurrentSchema();
  const PartitionSpec& spec = *metadata.DefaultSpec();
  int manifest_count = 0;
  auto next_manifest_path = [&] {
    return metadata.location + "/metadata/" + commit_uuid_ + "-m" +
           std::to_string(manifest_count++) + ".avro";
  };
  SummaryCounts counts;
  std::vector<ManifestFile> new_manifests;
  auto write_added = [&](const std::vector<DataFile>& files, ManifestContent content) -> Status {
    if (files.empty()) {
      return Status::OK();
    }
    std::string path = next_manifest_path();
    written.push_back(path);
    FLOE_ASSIGN_OR_RETURN(auto writer, ManifestWriter::Open(file_system, path,
                                                            {.format_version = format_version,
                                                             .schema = schema,
                                                             .spec = spec,
                                                             .content = content,
                                                             .snapshot_id = snapshot_id_}));
    for (const DataFile& file : files) {
      const bool is_data = file.content == FileContent::kData;
      if (is_data != (content == ManifestContent::kData)) {
        return Status::InvalidArgument("file {} is added as the wrong content", file.file_path);
      }
      FLOE_RETURN_NOT_OK(writer->Add(ManifestEntry{ManifestEntryStatus::kAdded, std::nullopt,
                                                   std::nullopt, std::nullopt, file}));
      counts.Add(file, spec.spec_id());
    }
    FLOE_ASSIGN_OR_RETURN(ManifestFile manifest, writer->Close());
    new_manifests.push_back(std::move(manifest));
    return Status::OK();
  };
  FLOE_RETURN_NOT_OK(write_added(added_data_, ManifestContent::kData));
  FLOE_RETURN_NOT_OK(write_added(added_deletes_, ManifestContent::kDeletes));

  std::vector<ManifestFile> carried;
  std::set<std::string> found;
  if (parent != nullptr) {
    FLOE_ASSIGN_OR_RETURN(std::vector<ManifestFile> manifests,
                          SnapshotManifests(file_system, *parent));
    for (ManifestFile& manifest : manifests) {
      if (removed_paths_.empty() || manifest.content != ManifestContent::kData) {
        carried.push_back(std::move(manifest));
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(auto reader, ManifestReader::Open(file_system, manifest));
      FLOE_ASSIGN_OR_RETURN(std::vector<ManifestEntry> entries, reader->ReadAll());
      bool has_removed = false;
      for (const ManifestEntry& entry : entries) {
        has_removed = has_removed || (entry.status != ManifestEntryStatus::kDeleted &&
                                      removed_paths_.count(entry.data_file.file_path) > 0);
      }
      if (!has_removed) {
        carried.push_back(std::move(manifest));
        continue;
      }
      const PartitionSpec* manifest_spec = FindSpec(metadata, manifest.partition_spec_id);
      if (manifest_spec == nullptr) {
        return Status::Corruption("manifest {} names partition spec {}, which table {} lacks",
                                  manifest.manifest_path, manifest.partition_spec_id,
                                  metadata.location);
      }
      std::string path = next_manifest_path();
      written.push_back(path);
      FLOE_ASSIGN_OR_RETURN(auto writer, ManifestWriter::Open(file_system, path,
                                                              {.format_version = format_version,
                                                               .schema = schema,
                                                               .spec = *manifest_spec,
                                                               .content = ManifestContent::kData,
                                                               .snapshot_id = snapshot_id_}));
      for (ManifestEntry& entry : entries) {
        if (entry.status == ManifestEntryStatus::kDeleted) {
          continue;  // Deleted in an earlier snapshot: no longer tracked.
        }
        if (removed_paths_.count(entry.data_file.file_path) > 0) {
          found.insert(entry.data_file.file_path);
          counts.Remove(entry.data_file, manifest.partition_spec_id);
          entry.status = ManifestEntryStatus::kDeleted;
          entry.snapshot_id = snapshot_id_;
        } else {
          entry.status = ManifestEntryStatus::kExisting;
        }
        FLOE_RETURN_NOT_OK(writer->Add(entry));
      }
      FLOE_ASSIGN_OR_RETURN(ManifestFile rewritten, writer->Close());
      new_manifests.push_back(std::move(rewritten));
    }
  }
  for (const std::string& path : removed_paths_) {
    if (found.count(path) == 0) {
      return Status::NotFound("data file {} is not a live file of table {}", path,
                              metadata.location);
    }
  }

  std::string list_path = metadata.location + "/metadata/snap-" + std::to_string(snapshot_id_) +
                          "-" + std::to_string(attempt) + "-" + commit_uuid_ + ".avro";
  written.push_back(list_path);
  ManifestListOptions list_options;
  list_options.format_version = format_version;
  list_options.snapshot_id = snapshot_id_;
  if (parent != nullptr) {
    list_options.parent_snapshot_id = parent->snapshot_id;
  }
  list_options.sequence_number = sequence_number;
  FLOE_ASSIGN_OR_RETURN(auto list, ManifestListWriter::Open(file_system, list_path, list_options));
  for (const ManifestFile& manifest : new_manifests) {
    FLOE_RETURN_NOT_OK(list->Add(manifest));
  }
  for (const ManifestFile& manifest : carried) {
    FLOE_RETURN_NOT_OK(list->Add(manifest));
  }
  FLOE_RETURN_NOT_OK(list->Close().status());

  Snapshot snapshot;
  snapshot.snapshot_id = snapshot_id_;
  if (parent != nullptr) {
    snapshot.parent_snapshot_id = parent->snapshot_id;
  }
  snapshot.sequence_number = sequence_number;
  snapshot.timestamp_ms = std::max(NowMillis(), metadata.last_updated_ms);
  snapshot.manifest_list = list_path;
  snapshot.summary = MakeSummary(OperationName(operation_, !added_data_.empty(),
                                               !added_deletes_.empty(), !removed_paths_.empty()),
                                 counts, parent);
  for (const auto& [key, value] : extra_summary_) {
    snapshot.summary[key] = value;
  }
  snapshot.schema_id = schema.schema_id();

  TableMetadata result = metadata;
  result.snapshots.push_back(snapshot);
  result.current_snapshot_id = snapshot_id_;
  result.last_sequence_number = std::max(result.last_sequence_number, sequence_number);
  result.last_updated_ms = snapshot.timestamp_ms;
  result.snapshot_log.push_back(SnapshotLogEntry{snapshot.timestamp_ms, snapshot_id_});
  SnapshotRef& main = result.refs["main"];
  main.snapshot_id = snapshot_id_;
  main.type = SnapshotRefType::kBranch;
  return result;
}

}  // namespace floe::table
