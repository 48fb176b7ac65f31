#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/tpch/table_generator.h"
#include "cli/tpch/table_sink.h"
#include "cli/tpch/tables.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "io/file_system.h"

namespace floe::cli::tpch {

/// What `floe tpch generate` writes.
struct GenerateOptions {
  double scale_factor = 1;
  /// Folder (or object prefix) receiving one file per table: "<directory>/lineitem.parquet".
  /// Unused for Iceberg output.
  std::string output_directory;
  OutputFormat format = OutputFormat::kParquet;
  /// Where Iceberg output goes; required for it, must outlive Generate.
  const IcebergTarget* iceberg = nullptr;
  /// Tables to write, in this order; empty means all eight.
  std::vector<TableId> tables;
  /// Threads generating chunks (the calling thread included); 0 uses every worker of the
  /// scheduler plus the caller.
  int threads = 0;
};

/// What was written for one table.
struct TableReport {
  TableId table;
  std::string path;
  int64_t num_rows = 0;
  double seconds = 0;
};

/// Generates the TPC-H tables and writes each to one file in `file_system` or, for Iceberg
/// output, to a new table of `options.iceberg`. Chunks are generated in parallel on
/// `scheduler` while the previous ones are written, in order, by one writer thread; the files
/// are the same for any number of threads. Errors: InvalidArgument for bad options,
/// AlreadyExists for an Iceberg table that exists, IOError from storage. A failed table leaves
/// no file (and no Iceberg table) behind.
Result<std::vector<TableReport>> Generate(const GenerateOptions& options,
                                          io::FileSystem& file_system, TaskScheduler& scheduler);

/// Writes every chunk of `generator` to `sink`, in order, and closes it; returns the row count.
/// Generation runs on up to `threads` threads of `scheduler` (0: all), writing on one more.
Result<int64_t> WriteTable(const TableGenerator& generator, TableSink& sink,
                           TaskScheduler& scheduler, int threads);

}  // namespace floe::cli::tpch
