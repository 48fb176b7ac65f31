// Scan and write throughput of Floe's Parquet reader and writer on one file, printed as one JSON
// object per line for bench/parquet/report.py. What each case measures is in docs/benchmarks.md.
//
//   parquet_scan_benchmark --file lineitem.parquet [--runs 5] [--warmup 1] [--threads 1,2]
//                          [--cases scan_all,scan_extendedprice,scan_comment,write_zstd,
//                                   write_snappy] [--temp-dir DIR] [--round 0]
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "common/result.h"
#include "common/status.h"
#include "common/task_scheduler.h"
#include "format/compression/codec.h"
#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/parquet_writer.h"
#include "format/parquet/writer/writer_options.h"
#include "io/file_system_registry.h"
#include "io/local/local_file_system.h"
#include "vector/batch.h"
#include "vector/buffer.h"
#include "vector/vector.h"

namespace floe::bench {
namespace {

using format::CompressionCodec;
using format::parquet::ParquetReader;
using format::parquet::ParquetReadOptions;
using format::parquet::ParquetWriter;
using format::parquet::ParquetWriterOptions;

struct Arguments {
  std::string file;
  std::string temp_dir = ".";
  int runs = 5;
  int warmup = 1;
  int round = 0;
  std::vector<int> threads;
  std::vector<std::string> cases = {"scan_all", "scan_extendedprice", "scan_comment", "write_zstd",
                                    "write_snappy"};
};

/// One measured case: its samples and the figures derived from them.
struct Measurement {
  std::string case_name;
  int threads = 1;
  int64_t rows = 0;
  int64_t decoded_bytes = 0;  // Scans only.
  int64_t output_bytes = 0;   // Writes only.
  std::vector<double> seconds{};
};

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (!item.empty()) {
      items.emplace_back(item);
    }
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return items;
}

Result<int> ParseCount(std::string_view flag, std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return Status::InvalidArgument("{} wants a non-negative integer, got '{}'", flag, text);
  }
  return value;
}

Result<Arguments> ParseArguments(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      return Status::InvalidArgument("{} wants a value", flag);
    }
    std::string_view value = argv[++i];
    if (flag == "--file") {
      arguments.file = value;
    } else if (flag == "--temp-dir") {
      arguments.temp_dir = value;
    } else if (flag == "--runs") {
      FLOE_ASSIGN_OR_RETURN(arguments.runs, ParseCount(flag, value));
    } else if (flag == "--warmup") {
      FLOE_ASSIGN_OR_RETURN(arguments.warmup, ParseCount(flag, value));
    } else if (flag == "--round") {
      FLOE_ASSIGN_OR_RETURN(arguments.round, ParseCount(flag, value));
    } else if (flag == "--cases") {
      arguments.cases = SplitList(value);
    } else if (flag == "--threads") {
      for (const std::string& item : SplitList(value)) {
        FLOE_ASSIGN_OR_RETURN(int threads, ParseCount(flag, item));
        arguments.threads.push_back(std::max(threads, 1));
      }
    } else {
      return Status::InvalidArgument("unknown flag {}", flag);
    }
  }
  if (arguments.file.empty()) {
    return Status::InvalidArgument("--file is required");
  }
  if (arguments.runs < 1) {
    return Status::InvalidArgument("--runs must be at least 1");
  }
  if (arguments.threads.empty()) {
    int cores = static_cast<int>(std::thread::hardware_concurrency());
    arguments.threads = {1};
    if (cores > 1) {
      arguments.threads.push_back(cores);
    }
  }
  return arguments;
}

// Decoded bytes are the bytes of the distinct buffers behind the batches: validity bitmaps,
// values (or offsets, or dictionary indices), string data, children and dictionaries. Slices
// share their row group's buffers, so each buffer counts once. `seen` keeps the buffers alive so
// that a freed buffer's address, when reused, is not taken for one already counted.
void CollectBuffers(const vector::Vector& vector,
                    std::unordered_set<std::shared_ptr<vector::Buffer>>& seen, int64_t& bytes) {
  for (const std::shared_ptr<vector::Buffer>* buffer :
       {&vector.validity_buffer(), &vector.values_buffer(), &vector.data_buffer()}) {
    if (*buffer != nullptr && seen.insert(*buffer).second) {
      bytes += (*buffer)->size();
    }
  }
  if (vector.encoding() != vector::Encoding::kFlat) {
    CollectBuffers(vector.dictionary(), seen, bytes);
    return;
  }
  for (int64_t child = 0; child < vector.num_children(); ++child) {
    CollectBuffers(vector.child(child), seen, bytes);
  }
}

std::vector<std::string> ScanColumns(std::string_view case_name) {
  if (case_name == "scan_extendedprice") {
    return {"l_extendedprice"};
  }
  if (case_name == "scan_comment") {
    return {"l_comment"};
  }
  return {};
}

struct ScanTotals {
  int64_t rows = 0;
  int64_t bytes = 0;
};

/// Reads every batch of `reader`, adding its rows and, when asked, its decoded bytes.
Status Drain(ParquetReader& reader, bool is_counting_bytes, ScanTotals& totals) {
  std::unordered_set<std::shared_ptr<vector::Buffer>> seen;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader.Next());
    if (!batch.has_value()) {
      return Status::OK();
    }
    totals.rows += batch->num_rows();
    if (is_counting_bytes) {
      for (int64_t column = 0; column < batch->num_columns(); ++column) {
        CollectBuffers(batch->column(column), seen, totals.bytes);
      }
    }
  }
}

/// Scans the file once, returning the rows read and, when asked, the decoded bytes. With one
/// thread a single reader streams the file; with more, the row groups are morsels that the
/// scheduler's threads claim, each reading its row group with its own reader over the footer
/// read once, which is how the SQL engine's scans run.
Result<std::pair<int64_t, int64_t>> ScanOnce(const io::FileSystemRegistry& registry,
                                             const std::string& file,
                                             const std::vector<std::string>& columns,
                                             TaskScheduler* scheduler, int threads,
                                             bool is_counting_bytes) {
  ParquetReadOptions options;
  options.column_names = columns;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader,
                        ParquetReader::Open(registry, file, options));
  int64_t expected_rows = reader->metadata().num_rows;
  ScanTotals totals;
  if (scheduler == nullptr || threads <= 1) {
    FLOE_RETURN_NOT_OK(Drain(*reader, is_counting_bytes, totals));
  } else {
    options.footer = reader->shared_metadata();
    std::vector<int> row_groups = reader->row_groups();
    std::vector<ScanTotals> per_row_group(row_groups.size());
    FLOE_RETURN_NOT_OK(scheduler->ParallelFor(
        static_cast<int64_t>(row_groups.size()),
        [&](int64_t morsel) -> Status {
          ParquetReadOptions morsel_options = options;
          morsel_options.row_groups = {row_groups[static_cast<size_t>(morsel)]};
          FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> part,
                                ParquetReader::Open(registry, file, std::move(morsel_options)));
          return Drain(*part, is_counting_bytes, per_row_group[static_cast<size_t>(morsel)]);
        },
        threads));
    for (const ScanTotals& part : per_row_group) {
      totals.rows += part.rows;
      totals.bytes += part.bytes;
    }
  }
  if (totals.rows != expected_rows) {
    return Status::Internal("{}: read {} rows, the footer says {}", file, totals.rows,
                            expected_rows);
  }
  return std::make_pair(totals.rows, totals.bytes);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Result<Measurement> MeasureScan(const Arguments& arguments, const io::FileSystemRegistry& registry,
                                const std::string& case_name, int threads) {
  // The calling thread decodes too, so threads - 1 workers make `threads` decoding threads.
  std::unique_ptr<TaskScheduler> scheduler;
  if (threads > 1) {
    scheduler = std::make_unique<TaskScheduler>(threads - 1);
  }
  Measurement measurement{.case_name = case_name, .threads = threads};
  std::vector<std::string> columns = ScanColumns(case_name);
  // The byte count runs outside the timed scans so that its hashing costs nothing there.
  FLOE_ASSIGN_OR_RETURN(
      auto counted, ScanOnce(registry, arguments.file, columns, scheduler.get(), threads, true));
  measurement.rows = counted.first;
  measurement.decoded_bytes = counted.second;
  for (int run = 0; run < arguments.warmup + arguments.runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    FLOE_ASSIGN_OR_RETURN(
        auto scanned, ScanOnce(registry, arguments.file, columns, scheduler.get(), threads, false));
    double seconds = SecondsSince(start);
    if (run >= arguments.warmup) {
      measurement.seconds.push_back(seconds);
    }
    (void)scanned;
  }
  return measurement;
}

/// The whole file as 2048-row batches, as a scan hands them out.
struct Table {
  std::shared_ptr<const vector::Schema> schema;
  std::vector<vector::Batch> batches{};
  int64_t rows = 0;
};

Result<Table> LoadTable(const io::FileSystemRegistry& registry, const std::string& file) {
  TaskScheduler scheduler;
  ParquetReadOptions options;
  options.scheduler = &scheduler;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader,
                        ParquetReader::Open(registry, file, std::move(options)));
  Table table{.schema = reader->schema()};
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, reader->Next());
    if (!batch.has_value()) {
      break;
    }
    table.rows += batch->num_rows();
    table.batches.push_back(std::move(*batch));
  }
  return table;
}

/// Writes the table once and returns the file's size.
Result<int64_t> WriteOnce(io::FileSystem& file_system, const std::string& path, const Table& table,
                          CompressionCodec codec) {
  ParquetWriterOptions options;
  options.codec = codec;
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetWriter> writer,
                        ParquetWriter::Open(file_system, path, *table.schema, std::move(options)));
  for (const vector::Batch& batch : table.batches) {
    FLOE_RETURN_NOT_OK(writer->Write(batch));
  }
  FLOE_RETURN_NOT_OK(writer->Close());
  FLOE_ASSIGN_OR_RETURN(io::FileInfo info, file_system.Stat(path));
  return info.size;
}

Result<Measurement> MeasureWrite(const Arguments& arguments, const Table& table,
                                 const std::string& case_name) {
  CompressionCodec codec =
      case_name == "write_snappy" ? CompressionCodec::kSnappy : CompressionCodec::kZstd;
  // Scratch output: no fsync, as DuckDB's COPY does not sync either.
  io::LocalFileSystem file_system(io::LocalFileSystemOptions{.is_durable = false});
  std::string path = fmt::format("{}/floe-{}.parquet", arguments.temp_dir, case_name);
  Measurement measurement{.case_name = case_name, .threads = 1, .rows = table.rows};
  for (int run = 0; run < arguments.warmup + arguments.runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    FLOE_ASSIGN_OR_RETURN(measurement.output_bytes, WriteOnce(file_system, path, table, codec));
    double seconds = SecondsSince(start);
    if (run >= arguments.warmup) {
      measurement.seconds.push_back(seconds);
    }
    FLOE_RETURN_NOT_OK(file_system.Delete(path));
  }
  return measurement;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

void Print(const Arguments& arguments, const Measurement& measurement) {
  double median = Median(measurement.seconds);
  std::string samples;
  for (double seconds : measurement.seconds) {
    samples += fmt::format("{}{:.6f}", samples.empty() ? "" : ",", seconds);
  }
  std::string line = fmt::format(
      R"({{"engine":"floe","case":"{}","threads":{},"round":{},"rows":{},"seconds":[{}],)"
      R"("median_seconds":{:.6f},"rows_per_second":{:.0f})",
      measurement.case_name, measurement.threads, arguments.round, measurement.rows, samples,
      median, static_cast<double>(measurement.rows) / median);
  if (measurement.case_name.starts_with("scan_")) {
    line += fmt::format(R"(,"decoded_bytes":{},"decoded_bytes_per_second":{:.0f})",
                        measurement.decoded_bytes,
                        static_cast<double>(measurement.decoded_bytes) / median);
  } else {
    line += fmt::format(R"(,"output_bytes":{})", measurement.output_bytes);
  }
  std::printf("%s}\n", line.c_str());
  std::fflush(stdout);
}

Status Run(const Arguments& arguments) {
  io::FileSystemRegistry registry;
  std::optional<Table> table;
  for (const std::string& case_name : arguments.cases) {
    if (case_name.starts_with("scan_")) {
      for (int threads : arguments.threads) {
        FLOE_ASSIGN_OR_RETURN(Measurement measurement,
                              MeasureScan(arguments, registry, case_name, threads));
        Print(arguments, measurement);
      }
    } else if (case_name == "write_zstd" || case_name == "write_snappy") {
      if (!table.has_value()) {
        FLOE_ASSIGN_OR_RETURN(table, LoadTable(registry, arguments.file));
      }
      FLOE_ASSIGN_OR_RETURN(Measurement measurement, MeasureWrite(arguments, *table, case_name));
      Print(arguments, measurement);
    } else {
      return Status::InvalidArgument("unknown case {}", case_name);
    }
  }
  return Status::OK();
}

}  // namespace
}  // namespace floe::bench

int main(int argc, char** argv) {
  floe::Result<floe::bench::Arguments> arguments = floe::bench::ParseArguments(argc, argv);
  floe::Status status = arguments.ok() ? floe::bench::Run(*arguments) : arguments.status();
  if (!status.ok()) {
    std::fprintf(stderr, "parquet_scan_benchmark: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
