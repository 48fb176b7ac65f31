#include "cli/tpch/generate.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "catalog/table_catalog.h"
#include "cli/tpch/dataset.h"

namespace floe::cli::tpch {
namespace {

// Writes waves of batches on a thread of its own, so that the next wave is generated while
// the previous one is encoded and stored. At most one wave is being written at a time.
class BackgroundWriter {
 public:
  explicit BackgroundWriter(TableSink& sink) : sink_(sink) {}
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;
  // Reached after Wait() or while an earlier error is being returned: nothing left to report.
  ~BackgroundWriter() { static_cast<void>(Wait()); }

  /// Waits for the previous wave, then starts writing `batches`; returns the previous error.
  Status Start(std::vector<vector::Batch> batches) {
    FLOE_RETURN_NOT_OK(Wait());
    wave_ = std::move(batches);
    thread_ = std::thread([this] { status_ = WriteWave(); });
    return Status::OK();
  }

  /// Waits for the wave being written and returns the first error of any wave.
  Status Wait() {
    if (thread_.joinable()) {
      thread_.join();
    }
    return status_;
  }

  int64_t num_rows() const { return num_rows_; }

 private:
  Status WriteWave() {
    for (const vector::Batch& batch : wave_) {
      FLOE_RETURN_NOT_OK(sink_.Write(batch));
      num_rows_ += batch.num_rows();
    }
    return Status::OK();
  }

  TableSink& sink_;
  std::vector<vector::Batch> wave_;
  std::thread thread_;
  Status status_;
  int64_t num_rows_ = 0;
};

catalog::TableIdentifier IcebergIdentifier(const GenerateOptions& options, TableId table) {
  return {options.iceberg->namespace_name, std::string(TableName(table))};
}

// The file written, or the Iceberg table's location.
std::string TablePath(const GenerateOptions& options, TableId table) {
  if (options.format == OutputFormat::kIceberg) {
    return options.iceberg->tables->DefaultLocation(IcebergIdentifier(options, table));
  }
  std::string path = options.output_directory;
  if (!path.empty() && path.back() != '/') {
    path.push_back('/');
  }
  path.append(TableName(table));
  path.append(FileExtension(options.format));
  return path;
}

Result<std::unique_ptr<TableSink>> OpenSink(const GenerateOptions& options, TableId table,
                                            io::FileSystem& file_system) {
  if (options.format == OutputFormat::kIceberg) {
    return MakeIcebergSink(*options.iceberg, IcebergIdentifier(options, table),
                           *TableSchema(table));
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<io::OutputStream> stream,
                        file_system.OpenOutputStream(TablePath(options, table)));
  if (options.format == OutputFormat::kCsv) {
    return MakeCsvSink(std::move(stream), TableSchema(table));
  }
  return MakeParquetSink(std::move(stream), TableSchema(table));
}

Status CheckOptions(const GenerateOptions& options) {
  if (options.format == OutputFormat::kIceberg) {
    if (options.iceberg == nullptr || options.iceberg->tables == nullptr) {
      return Status::InvalidArgument("Iceberg output needs a catalog");
    }
  } else if (options.output_directory.empty()) {
    return Status::InvalidArgument("an output directory is required");
  }
  if (options.threads < 0) {
    return Status::InvalidArgument("thread count must not be negative: {}", options.threads);
  }
  return Status::OK();
}

}  // namespace

Result<int64_t> WriteTable(const TableGenerator& generator, TableSink& sink,
                           TaskScheduler& scheduler, int threads) {
  const int parallelism = threads > 0 ? threads : scheduler.num_workers() + 1;
  const int64_t wave_size = 2 * static_cast<int64_t>(parallelism);
  const int64_t num_chunks = generator.NumChunks();
  BackgroundWriter writer(sink);
  for (int64_t first = 0; first < num_chunks; first += wave_size) {
    std::vector<vector::Batch> wave(static_cast<size_t>(std::min(wave_size, num_chunks - first)));
    const auto generate = [&](int64_t index) -> Status {
      FLOE_ASSIGN_OR_RETURN(wave[static_cast<size_t>(index)],
                            generator.GenerateChunk(first + index));
      return Status::OK();
    };
    FLOE_RETURN_NOT_OK(
        scheduler.ParallelFor(static_cast<int64_t>(wave.size()), generate, parallelism));
    FLOE_RETURN_NOT_OK(writer.Start(std::move(wave)));
  }
  FLOE_RETURN_NOT_OK(writer.Wait());
  FLOE_RETURN_NOT_OK(sink.Close());
  return writer.num_rows();
}

Result<std::vector<TableReport>> Generate(const GenerateOptions& options,
                                          io::FileSystem& file_system, TaskScheduler& scheduler) {
  FLOE_RETURN_NOT_OK(CheckOptions(options));
  DatasetOptions dataset_options;
  dataset_options.scale_factor = options.scale_factor;
  FLOE_ASSIGN_OR_RETURN(Dataset dataset, Dataset::Make(dataset_options, scheduler));
  std::vector<TableId> tables = options.tables;
  if (tables.empty()) {
    tables.assign(kAllTables.begin(), kAllTables.end());
  }
  std::vector<TableReport> reports;
  for (TableId table : tables) {
    const auto start = std::chrono::steady_clock::now();
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<TableSink> sink, OpenSink(options, table, file_system));
    const std::unique_ptr<TableGenerator> generator = dataset.MakeGenerator(table);
    FLOE_ASSIGN_OR_RETURN(int64_t num_rows,
                          WriteTable(*generator, *sink, scheduler, options.threads));
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    reports.push_back({table, TablePath(options, table), num_rows, elapsed.count()});
  }
  return reports;
}

}  // namespace floe::cli::tpch
