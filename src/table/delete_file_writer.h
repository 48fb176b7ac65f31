#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "io/fwd.h"
#include "table/data_file.h"
#include "table/data_file_writer.h"
#include "table/table_metadata.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::table {

/// Writes one delete file of one partition (spec: "Row-level Deletes", "Delete Formats") as
/// Parquet, for a SnapshotProducer::RowDelta to commit:
///   - position deletes: rows (file_path: string, id 2147483546; pos: long, id 2147483545),
///     written in the order given (the spec asks for file_path, pos order); the DataFile keeps
///     the file_path bounds, so scans attach the file to the data files it names only;
///   - equality deletes: rows of the table's columns `equality_ids` (top-level), in that order,
///     with those field ids.
/// Files are "<data location>/<partition path>/00000-0-<uuid>-deletes.parquet". Not
/// thread-safe; a writer destroyed unclosed deletes its file.
class DeleteFileWriter {
 public:
  /// `partition` is the tuple of spec `spec_id` the deleted rows' data files have. Errors:
  /// InvalidArgument for an unknown spec or a tuple that does not fit it.
  static Result<std::unique_ptr<DeleteFileWriter>> OpenPositionDeletes(
      std::shared_ptr<io::FileSystem> file_system, const TableMetadata& metadata, int32_t spec_id,
      std::vector<types::Value> partition, DataFileWriterOptions options = {});
  /// Errors as OpenPositionDeletes, and InvalidArgument when an equality id is not a top-level
  /// primitive column of the current schema.
  static Result<std::unique_ptr<DeleteFileWriter>> OpenEqualityDeletes(
      std::shared_ptr<io::FileSystem> file_system, const TableMetadata& metadata, int32_t spec_id,
      std::vector<types::Value> partition, std::vector<int32_t> equality_ids,
      DataFileWriterOptions options = {});

  DeleteFileWriter(const DeleteFileWriter&) = delete;
  DeleteFileWriter& operator=(const DeleteFileWriter&) = delete;
  ~DeleteFileWriter();

  /// Deletes rows `positions` (ascending) of the data file at `data_file_path`.
  Status WritePositions(std::string_view data_file_path, std::span<const int64_t> positions);
  /// Deletes the rows equal to the batch's rows on the equality columns (in equality_ids order).
  Status WriteEqualityRows(const vector::Batch& batch);
  /// Finishes the file and returns it as a delete file entry.
  Result<DataFile> Close();
  Status Abort();

 private:
  struct State;
  explicit DeleteFileWriter(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace floe::table
