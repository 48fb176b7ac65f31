#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "format/parquet/writer/writer_options.h"
#include "io/fwd.h"
#include "table/data_file.h"
#include "table/table_metadata.h"
#include "vector/batch.h"

namespace floe::table {

struct DataFileWriterOptions {
  /// Codec, row group and page settings; the field ids are set by the writer.
  format::parquet::ParquetWriterOptions parquet = {};
  /// A file is closed and the next one started once it holds this many bytes; by default the
  /// table's `write.target-file-size-bytes` property, else 512 MiB.
  std::optional<int64_t> target_file_size_bytes = {};
  /// Charged with the buffered row groups of every open file; may be null.
  MemoryTracker* tracker = nullptr;
};

/// Writes rows into a table's data files (Parquet with the Iceberg field ids), partitioned by
/// the table's default spec: one open file per partition value, a new one whenever a file
/// reaches the target size. Close returns a DataFile per file, with the partition tuple, the
/// record count and size, and the column statistics Iceberg keeps (value, null and NaN counts,
/// column sizes, lower and upper bounds in the single-value encoding, strings and binary
/// truncated to 16 characters or bytes with the upper bound rounded up). Files are named
/// "<data location>/<partition path>/00000-0-<uuid>-<5-digit counter>.parquet", the data
/// location being the `write.data.path` property or "<table location>/data".
/// Commit the files with a SnapshotProducer; a writer aborted (or destroyed unclosed) deletes
/// the files it wrote. Not thread-safe: use one writer per thread.
class DataFileWriter {
 public:
  /// Errors: NotSupported for partition sources nested in structs and for types Parquet or
  /// Floe cannot write, InvalidArgument from the Parquet writer options.
  static Result<std::unique_ptr<DataFileWriter>> Open(std::shared_ptr<io::FileSystem> file_system,
                                                      const TableMetadata& metadata,
                                                      DataFileWriterOptions options = {});

  DataFileWriter(const DataFileWriter&) = delete;
  DataFileWriter& operator=(const DataFileWriter&) = delete;
  ~DataFileWriter();

  /// Appends the batch's rows; its columns are the current schema's top-level fields in order,
  /// with the Floe types of Schema::ToFloeSchema. InvalidArgument when they do not match.
  Status Write(const vector::Batch& batch);
  /// Closes every open file and returns all files written.
  Result<std::vector<DataFile>> Close();
  /// Deletes every file written or being written.
  Status Abort();

 private:
  struct State;
  explicit DataFileWriter(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

/// Returns `bytes` cut to `length` UTF-8 code points (strings) or bytes (binary), and for an
/// upper bound the cut rounded up so it still bounds the value; nullopt when no such upper
/// bound exists (spec: "Truncation" of bounds, Appendix D).
std::optional<std::string> TruncateBound(std::string_view bytes, bool is_string, bool is_upper,
                                         size_t length = 16);

}  // namespace floe::table
