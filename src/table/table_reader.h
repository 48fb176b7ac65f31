#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "format/parquet/metadata.h"
#include "format/parquet/reader/column_chunk_cache.h"
#include "table/schema.h"
#include "table/table.h"
#include "table/table_scan.h"
#include "vector/batch.h"

namespace floe::table {

/// Delete files decoded once and shared by the readers of a scan that are given the same cache,
/// so a delete file applying to many data files (an equality delete of a partition, a global
/// one) is read once rather than once per task. Holds the decoded rows until destroyed; use one
/// per scan of one schema. Thread-safe.
class DeleteFileCache {
 public:
  DeleteFileCache();
  DeleteFileCache(const DeleteFileCache&) = delete;
  DeleteFileCache& operator=(const DeleteFileCache&) = delete;
  ~DeleteFileCache();

  /// The decoded files; opaque outside TableReader.
  struct State;
  State* state() const { return state_.get(); }

 private:
  std::unique_ptr<State> state_;
};

/// Field ids the Iceberg spec reserves for the metadata columns `_file` (the path of the row's
/// data file) and `_pos` (the row's position in it). A scan's projection may name them to
/// learn each row's identity, which row-level DML needs (UPDATE ... FROM, MERGE).
inline constexpr int32_t kFilePathFieldId = 2147483646;
inline constexpr int32_t kRowPositionFieldId = 2147483645;

struct TableReadOptions {
  int64_t batch_size = vector::Batch::kDefaultBatchSize;
  /// Charged with decoded vectors and delete sets; may be null.
  MemoryTracker* tracker = nullptr;
  /// Drops rows that do not satisfy the task's residual (row at a time). Off by default: the
  /// SQL engine evaluates its own filters vectorized.
  bool apply_residual = false;
  /// Appends a column "_pos" (BIGINT NOT NULL) holding each row's position in the data file
  /// (from 0), which position delete files name rows by (DELETE, UPDATE, MERGE).
  bool with_row_position = false;
  /// Shares decoded delete files between tasks; may be null (each reader decodes its own).
  DeleteFileCache* delete_cache = nullptr;
  /// Reads only these row groups of the data file, ascending and contiguous: a split of the
  /// file, so that several readers share a large file. Every row group when empty. Positions
  /// (deletes, `_pos`) stay positions in the whole file.
  std::vector<int> row_groups = {};
  /// The data file's footer when already read (DataFileFooter), so that the readers of one
  /// file's splits parse it once; nullptr reads it.
  std::shared_ptr<const format::parquet::FileMetaData> footer = nullptr;
  /// Keeps the data file's footer and decoded column chunks for later readers (keyed by the
  /// file's path and size: Iceberg never rewrites a data file); null reads without. Delete
  /// files are not cached here: they are per snapshot and applied after the cache.
  format::parquet::ColumnChunkCache* column_cache = nullptr;
};

/// Reads the footer of a task's data file: what a caller splitting the file by row group needs,
/// and what it passes back in TableReadOptions::footer; from `cache` when it holds it (may be
/// null). Errors: as the Parquet reader's, naming the file.
Result<std::shared_ptr<const format::parquet::FileMetaData>> DataFileFooter(
    const Table& table, const FileScanTask& task,
    format::parquet::ColumnChunkCache* cache = nullptr);

/// Returns the batch schema of `projection` (top-level field ids of `schema`): the fields'
/// names and Floe types, NOT NULL for required fields. Errors: InvalidArgument for an id that
/// is not a top-level field, NotSupported for types Floe cannot read.
Result<vector::Schema> ProjectSchema(const Schema& schema, const std::vector<int32_t>& projection);

/// Reads one FileScanTask: the task's Parquet data file through a projection of the table's
/// schema, matching columns by field id, minus the rows its delete files remove.
///
/// Columns resolve by field id; in files written without ids, by the table's
/// `schema.name-mapping.default` when set, else by the field's current name. So files written
/// before a rename or with other column orders read right. A column the file lacks reads as its
/// `initial-default` (v3) or NULL; int widens to long, float to double and decimals to a larger
/// precision; struct fields nested in a column resolve by id the same way. Position deletes
/// remove rows by their position in the file; equality deletes remove rows equal on the delete
/// file's equality field ids, NULL matching NULL. Errors name the file: NotSupported for data
/// files not in Parquet and for equality deletes on nested fields, Corruption and IOError from
/// the Parquet reader. The residual's conjunctive comparisons are pushed into the Parquet reader
/// (row groups and pages its statistics exclude are skipped) when the task has no position
/// deletes. Not thread-safe; batches may be used from any thread.
class TableReader {
 public:
  /// Reads `task` of `scan` with the scan's schema and projection.
  static Result<std::unique_ptr<TableReader>> Open(const TableScan& scan, const FileScanTask& task,
                                                   TableReadOptions options = {});
  static Result<std::unique_ptr<TableReader>> Open(const Table& table, const Schema& schema,
                                                   std::vector<int32_t> projection,
                                                   const FileScanTask& task,
                                                   TableReadOptions options = {});

  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;
  ~TableReader();

  const std::shared_ptr<const vector::Schema>& schema() const;
  /// Returns the next batch (possibly with fewer rows than the file's batch, never empty), or
  /// nullopt at the end of the file.
  Result<std::optional<vector::Batch>> Next();

 private:
  struct State;
  explicit TableReader(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

/// Reads every task of `scan` into batches, one task after another (tests and small tables),
/// sharing one DeleteFileCache unless `options` names one.
Result<std::vector<vector::Batch>> ReadAll(const TableScan& scan, TableReadOptions options = {});

}  // namespace floe::table
