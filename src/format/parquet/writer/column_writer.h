#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "common/result.h"
#include "format/compression/codec.h"
#include "format/parquet/metadata.h"
#include "format/parquet/schema.h"
#include "format/parquet/writer/writer_options.h"
#include "io/file_system.h"
#include "vector/vector.h"

namespace floe::format::parquet {

/// The settings of one column writer, resolved from ParquetWriterOptions.
struct ColumnWriterSettings {
  CompressionCodec codec = CompressionCodec::kZstd;
  int compression_level = CodecOptions::kDefaultLevel;
  int64_t data_page_bytes = 1 << 20;
  int64_t data_page_rows = 20000;
  bool is_dictionary_enabled = true;
  int64_t dictionary_bytes_limit = 1 << 20;
  ValueEncoding value_encoding = ValueEncoding::kAuto;
  DataPageVersion data_page_version = DataPageVersion::kV1;
  bool has_page_checksums = true;
  bool has_page_index = true;
  bool has_bloom_filter = false;
  double bloom_filter_false_positive_rate = 0.01;
  int64_t bloom_filter_max_bytes = 1 << 20;
};

/// What a flushed column chunk leaves for the footer and the page index.
struct FlushedColumnChunk {
  ColumnChunk chunk;
  /// Absent when some page has no usable min/max (only NaNs) or the index is disabled.
  std::optional<ColumnIndex> column_index;
  std::optional<OffsetIndex> offset_index;
};

/// Encodes the values of one leaf column into the pages of one column chunk at a time.
///
/// Values arrive as Dremel entries (a repetition level, a definition level and, at the maximum
/// definition level, a value). Pages are encoded, compressed and kept in memory until
/// FlushChunk writes the chunk (dictionary page, data pages, Bloom filter) to a stream. A page
/// ends only at a row boundary, so the OffsetIndex rows are exact. Not thread-safe.
class ColumnWriter {
 public:
  /// Returns a writer for `column` (whose Floe type says how to read values from vectors), or
  /// the codec's error.
  static Result<std::unique_ptr<ColumnWriter>> Make(const ColumnDescriptor& column,
                                                    const ColumnWriterSettings& settings);

  ColumnWriter(const ColumnWriter&) = delete;
  ColumnWriter& operator=(const ColumnWriter&) = delete;
  virtual ~ColumnWriter() = default;

  const ColumnDescriptor& column() const { return column_; }

  /// Appends every row of `column`, a top-level column whose type is not nested (any encoding).
  virtual Status WriteColumn(const vector::Vector& column) = 0;
  /// Appends an entry without a value (a NULL or an empty list) at `definition_level`.
  virtual Status WriteAbsent(int16_t repetition_level, int16_t definition_level) = 0;
  /// Appends row `row` of the flat vector `source` at the maximum definition level.
  virtual Status WriteValue(int16_t repetition_level, const vector::Vector& source,
                            int64_t row) = 0;

  /// Returns the bytes held for the current chunk: finished pages, the open page, dictionary.
  virtual int64_t BufferedBytes() const = 0;

  /// Finishes the open page and writes the chunk to `stream`, at its current position. Makes
  /// the writer ready for the next chunk. IOError from the stream, errors from the codec.
  virtual Result<FlushedColumnChunk> FlushChunk(io::OutputStream& stream) = 0;

 protected:
  explicit ColumnWriter(ColumnDescriptor column) : column_(std::move(column)) {}

 private:
  ColumnDescriptor column_;
};

}  // namespace floe::format::parquet
