#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "format/parquet/metadata.h"
#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/schema.h"
#include "io/file_system.h"
#include "io/file_system_registry.h"
#include "vector/batch.h"

namespace floe::format::parquet {

/// What a ParquetReader reads and how.
struct ParquetReadOptions {
  /// Top-level fields to read, by index, name or field id (at most one list non-empty); all
  /// fields when every list is empty. Output columns follow the order given.
  std::vector<int64_t> column_indices{};
  std::vector<std::string> column_names{};
  std::vector<int32_t> field_ids{};
  /// A conjunction; row groups whose statistics exclude a match are skipped. Rows of the row
  /// groups that are read are returned unfiltered.
  std::vector<ColumnPredicate> predicates{};
  /// Rows per batch (the last batch of a row group may be shorter).
  int64_t batch_size = vector::Batch::kDefaultBatchSize;
  /// Decodes columns and row groups in parallel on this scheduler (the caller takes part);
  /// nullptr decodes on the calling thread.
  TaskScheduler* scheduler = nullptr;
  /// Threads taking part in decoding, 0 for all of the scheduler's.
  int max_parallelism = 0;
  /// Charged with the bytes of fetched column chunks and decoded vectors; may be null.
  MemoryTracker* tracker = nullptr;
};

/// Reads a Parquet file as a stream of batches of the projected columns.
///
/// Open reads the footer with one ranged read of the file's tail (a second when the footer is
/// larger) and maps the schema. Next decodes whole row groups (several at once when a scheduler
/// is given), fetching only the projected column chunks with coalesced ranged reads, and hands
/// them out as batches that slice the decoded vectors. Errors name the file and, when it
/// applies, the row group, the column and what was wrong: Corruption for data that violates the
/// format, NotSupported for valid features Floe does not read, IOError from storage,
/// ResourceExhausted from the tracker. Not thread-safe; batches may be used from any thread.
class ParquetReader {
 public:
  /// Opens `file`, which must stay readable while the reader lives.
  static Result<std::unique_ptr<ParquetReader>> Open(std::shared_ptr<io::RandomAccessFile> file,
                                                     ParquetReadOptions options = {});
  /// Opens the file at `location` through the registry's file system for its scheme.
  static Result<std::unique_ptr<ParquetReader>> Open(const io::FileSystemRegistry& registry,
                                                     std::string_view location,
                                                     ParquetReadOptions options = {});

  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;
  ~ParquetReader();

  const FileMetaData& metadata() const { return metadata_; }
  const FileSchema& file_schema() const { return file_schema_; }
  /// Returns the schema of the batches (the projected fields).
  const std::shared_ptr<const vector::Schema>& schema() const { return schema_; }
  /// Returns the top-level field indices read, in output order.
  const std::vector<int64_t>& projection() const { return projection_; }
  /// Returns the row groups that survived pruning, in file order.
  const std::vector<int>& row_groups() const { return row_groups_; }

  /// Returns the next batch, or nullopt when every selected row group has been read.
  Result<std::optional<vector::Batch>> Next();

  /// Decodes one row group's projected columns as whole vectors (one per projected field).
  Result<std::vector<vector::Vector>> ReadRowGroup(int row_group);

 private:
  ParquetReader(std::shared_ptr<io::RandomAccessFile> file, ParquetReadOptions options)
      : file_(std::move(file)), options_(std::move(options)) {}

  Status ReadFooter();
  Status ResolveProjection();
  Status SelectRowGroups();
  Status DecodeNextRowGroups();
  Status DecodeRowGroups(const std::vector<int>& row_groups,
                         std::vector<std::vector<vector::Vector>>& output);
  std::string Context() const;

  std::shared_ptr<io::RandomAccessFile> file_;
  ParquetReadOptions options_;
  FileMetaData metadata_;
  FileSchema file_schema_;
  std::shared_ptr<const vector::Schema> schema_;
  std::vector<int64_t> projection_;
  std::vector<int> row_groups_;
  size_t next_row_group_ = 0;
  // Decoded row groups waiting to be sliced into batches.
  std::vector<std::vector<vector::Vector>> pending_;
  std::vector<int64_t> pending_rows_;
  size_t pending_index_ = 0;
  int64_t pending_offset_ = 0;
};

}  // namespace floe::format::parquet
