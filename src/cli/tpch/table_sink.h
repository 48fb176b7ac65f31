#pragma once

#include <memory>
#include <string_view>

#include "catalog/identifier.h"
#include "common/result.h"
#include "io/file_system.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::catalog {
class TableCatalog;
}  // namespace floe::catalog

namespace floe::cli::tpch {

/// The file formats `floe tpch generate` writes.
enum class OutputFormat : uint8_t {
  kParquet,
  /// '|'-separated text with a header line, dates as YYYY-MM-DD, decimals with two digits.
  kCsv,
  /// An Iceberg table per TPC-H table, in a catalog (see IcebergTarget).
  kIceberg,
};

/// Returns the format named `name` ("parquet", "csv", "iceberg"), or InvalidArgument.
Result<OutputFormat> ParseOutputFormat(std::string_view name);
/// Returns the file name extension of a file format, with its dot (".parquet").
std::string_view FileExtension(OutputFormat format);

/// Where Iceberg output goes: tables named after the TPC-H tables in `namespace_name`, which
/// must exist, at the catalog's default locations.
struct IcebergTarget {
  catalog::TableCatalog* tables = nullptr;
  std::shared_ptr<io::FileSystem> file_system;
  catalog::Namespace namespace_name;
};

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

/// Returns a sink writing the table `identifier` of `target`, created with the columns of
/// `schema` (field ids from 1, no partitioning) when the sink closes, holding the rows written
/// as one append snapshot of ZSTD Parquet files. Errors: AlreadyExists when the table exists,
/// NotSupported for column types Iceberg cannot hold.
Result<std::unique_ptr<TableSink>> MakeIcebergSink(const IcebergTarget& target,
                                                   catalog::TableIdentifier identifier,
                                                   const vector::Schema& schema);

/// Returns a sink writing Parquet (ZSTD) to `stream`, or the writer's error.
Result<std::unique_ptr<TableSink>> MakeParquetSink(std::unique_ptr<io::OutputStream> stream,
                                                   std::shared_ptr<const vector::Schema> schema);

}  // namespace floe::cli::tpch
