#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "format/parquet/metadata.h"
#include "format/parquet/schema.h"
#include "format/parquet/writer/column_writer.h"
#include "format/parquet/writer/writer_options.h"
#include "io/file_system.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::format::parquet {

/// Writes batches of one schema to a Parquet file as a stream (docs/formats/parquet-writer.md).
///
/// Rows are buffered as encoded, compressed pages of the open row group only; a row group is
/// written when it reaches ParquetWriterOptions::row_group_rows or row_group_bytes, and Close
/// writes the page indexes and the footer. The file appears at its path only when Close
/// succeeds: after any error, after Abort, or when the writer is destroyed unclosed, nothing is
/// left there. Buffered bytes are charged to the MemoryTracker given to Open (which must
/// outlive the writer); passing its budget is ResourceExhausted. Errors name the path, and the
/// column when one column failed. Not thread-safe; after an error only Abort is allowed.
class ParquetWriter {
 public:
  /// Starts writing `path` of `file_system`. InvalidArgument for options that do not fit the
  /// schema (field ids, unknown column paths), NotSupported for types Parquet cannot store
  /// here (INTERVAL, NULL, empty STRUCT), errors from opening the stream.
  static Result<std::unique_ptr<ParquetWriter>> Open(io::FileSystem& file_system,
                                                     std::string_view path,
                                                     const vector::Schema& schema,
                                                     ParquetWriterOptions options = {},
                                                     MemoryTracker* tracker = nullptr);
  /// As Open, on a stream that is already open; the writer owns it from now on.
  static Result<std::unique_ptr<ParquetWriter>> Make(std::unique_ptr<io::OutputStream> stream,
                                                     const vector::Schema& schema,
                                                     ParquetWriterOptions options = {},
                                                     MemoryTracker* tracker = nullptr);

  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;
  /// Aborts a writer that was neither closed nor aborted.
  ~ParquetWriter();

  /// Appends the batch's rows. InvalidArgument when its columns do not match the schema in
  /// number and type, or a NULL appears where the schema forbids one (a MAP key).
  Status Write(const vector::Batch& batch);
  /// Writes the last row group, the page indexes and the footer, and publishes the file.
  Status Close();
  /// Discards the file.
  Status Abort();

  const std::string& path() const { return stream_->path(); }
  /// Returns the rows written so far (including those not yet flushed).
  int64_t num_rows() const { return metadata_.num_rows + rows_in_group_; }
  /// Returns the footer: complete after Close, the row groups written so far before.
  const FileMetaData& metadata() const { return metadata_; }
  /// Returns the size of the file in bytes once Close has published it. Table writers record
  /// it rather than asking storage, which would cost a request and, on object stores that
  /// are slow to show a new object's size, could be wrong.
  int64_t file_size() const { return file_size_; }
  /// Returns the leaf columns in footer order, with their levels and paths.
  const std::vector<ColumnDescriptor>& columns() const { return file_schema_.columns(); }

 private:
  struct PageIndexes {
    std::optional<ColumnIndex> column_index;
    std::optional<OffsetIndex> offset_index;
  };

  ParquetWriter(std::unique_ptr<io::OutputStream> stream, ParquetWriterOptions options,
                MemoryTracker* tracker)
      : stream_(std::move(stream)), options_(std::move(options)), reservation_(tracker) {}

  Status Initialize(const vector::Schema& schema);
  Status CheckBatch(const vector::Batch& batch) const;
  Status WriteRows(const vector::Batch& batch);
  Status WriteColumn(int64_t index, const vector::Vector& column);
  Status AfterRows(int64_t num_rows);
  int64_t BufferedBytes() const;
  Status FlushRowGroup();
  Status WritePageIndexes();
  Status WriteFooter();
  Status Finish();
  /// Aborts the stream and returns `status` naming the file.
  Status Fail(const Status& status);

  enum class State : uint8_t { kOpen, kClosed, kAborted };

  std::unique_ptr<io::OutputStream> stream_;
  ParquetWriterOptions options_;
  MemoryReservation reservation_;
  vector::Schema schema_;
  FileSchema file_schema_;
  std::vector<std::unique_ptr<ColumnWriter>> writers_;
  FileMetaData metadata_;
  std::vector<std::vector<PageIndexes>> page_indexes_;
  int64_t rows_in_group_ = 0;
  int64_t file_size_ = 0;
  State state_ = State::kOpen;
};

}  // namespace floe::format::parquet
