#pragma once

#include <memory>
#include <string_view>

#include "common/result.h"
#include "io/file_system.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::cli::tpch {

/// The file formats `floe tpch generate` writes.
enum class OutputFormat : uint8_t {
  kParquet,
  /// '|'-separated text with a header line, dates as YYYY-MM-DD, decimals with two digits.
  kCsv,
};

/// Returns the format named `name` ("parquet", "csv"), or InvalidArgument.
Result<OutputFormat> ParseOutputFormat(std::string_view name);
/// Returns the file name extension of `format`, with its dot (".parquet").
std::string_view FileExtension(OutputFormat format);

/// Stores the batches of one table, in the order given, as one file. Not thread-safe.
class TableSink {
 public:
  TableSink() = default;
  TableSink(const TableSink&) = delete;
  TableSink& operator=(const TableSink&) = delete;
  virtual ~TableSink() = default;

  /// Appends the rows of `batch`, whose schema is the sink's. IOError from storage.
  virtual Status Write(const vector::Batch& batch) = 0;
  /// Finishes the file, which appears at its path only when this succeeds.
  virtual Status Close() = 0;
};

/// Returns a sink writing '|'-separated text to `stream`, starting with a header line.
std::unique_ptr<TableSink> MakeCsvSink(std::unique_ptr<io::OutputStream> stream,
                                       std::shared_ptr<const vector::Schema> schema);

/// Returns a sink writing Parquet (ZSTD) to `stream`, or the writer's error.
Result<std::unique_ptr<TableSink>> MakeParquetSink(std::unique_ptr<io::OutputStream> stream,
                                                   std::shared_ptr<const vector::Schema> schema);

}  // namespace floe::cli::tpch
