// Iceberg table benchmarks (docs/benchmarks.md, "Tables"), printed as one JSON object per line:
//
//   table_benchmark commits [--metastore sqlite|postgres] [--commits 200] [--threads 1]
//       Append commits per second through TableCatalog: each commit appends one small data file
//       (written before the clock starts) to one table; with several threads they race and retry.
//   table_benchmark planning [--files 100000] [--runs 5] [--threads 1] [--case NAME]
//       Scan planning time of a table with that many data files in 100 manifests (1,000
//       partitions of an identity-partitioned column, id bounds per file): without a filter, with
//       a filter on the partition column (manifest and partition pruning) and with one on a
//       column's statistics; --case runs one of them (no_filter, partition_equal,
//       statistics_equal). Each case times a first plan, which parses the manifests unless an
//       earlier case of the process did (the process-wide parsed-file cache), then --runs more.
//
// Work happens in a temporary folder under --temp-dir (default: the system's); PostgreSQL is
// started by the program itself (test/testing/postgres).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "catalog/metastore.h"
#include "catalog/table_catalog.h"
#include "common/task_scheduler.h"
#include "io/local/local_file_system.h"
#include "table/data_file_writer.h"
#include "table/parsed_file_cache.h"
#include "table/snapshot_producer.h"
#include "table/table_scan.h"
#include "table/value_serialization.h"
#include "testing/postgres/postgres_server.h"
#include "vector/vector_builder.h"

namespace floe::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Arguments {
  std::string mode;
  std::string metastore = "sqlite";
  std::string temp_dir = std::filesystem::temp_directory_path().string();
  int commits = 200;
  int threads = 1;
  int64_t files = 100000;
  int runs = 5;
  std::string planning_case;  // Empty: every planning case.
};

table::NewTableOptions TableOptions() {
  table::NewTableOptions options;
  options.schema = *table::Schema::Make(
      0, {table::NestedField{1, "id", table::Type::Primitive(table::TypeKind::kLong), true},
          table::NestedField{2, "day", table::Type::Primitive(table::TypeKind::kInt), false}});
  options.spec =
      table::PartitionSpec(0, {table::PartitionField{{2}, 0, "day", table::Transform::Identity()}});
  options.properties = {{"commit.retry.num-retries", "10000"},
                        {"commit.retry.min-wait-ms", "1"},
                        {"commit.retry.max-wait-ms", "50"}};
  return options;
}

Result<vector::Batch> OneRow(int64_t id) {
  vector::VectorBuilder ids(types::LogicalType::BigInt());
  vector::VectorBuilder days(types::LogicalType::Integer());
  FLOE_RETURN_NOT_OK(ids.Append<int64_t>(id));
  FLOE_RETURN_NOT_OK(days.Append<int32_t>(static_cast<int32_t>(id % 10)));
  auto schema = std::make_shared<const vector::Schema>(std::vector<vector::Field>{
      {"id", types::LogicalType::BigInt(), false}, {"day", types::LogicalType::Integer(), true}});
  FLOE_ASSIGN_OR_RETURN(vector::Vector id_column, ids.Finish());
  FLOE_ASSIGN_OR_RETURN(vector::Vector day_column, days.Finish());
  return vector::Batch::Make(schema, {std::move(id_column), std::move(day_column)}, 1);
}

Status RunCommits(const Arguments& arguments, const fs::path& folder) {
  std::unique_ptr<test::PostgresServer> server;
  std::string uri = "sqlite:" + (folder / "floe.db").string();
  if (arguments.metastore == "postgres") {
    FLOE_ASSIGN_OR_RETURN(server, test::PostgresServer::Start());
    FLOE_ASSIGN_OR_RETURN(uri, server->CreateDatabase("floe_bench"));
  }
  FLOE_ASSIGN_OR_RETURN(auto metastore, catalog::OpenMetastore(uri, {.max_connections = 8}));
  FLOE_RETURN_NOT_OK(metastore->CreateNamespace({"bench"}, {}));
  auto file_system = std::make_shared<io::LocalFileSystem>(io::LocalFileSystemOptions{});
  catalog::TableCatalog tables(*metastore, file_system, (folder / "warehouse").string());
  const catalog::TableIdentifier identifier{{"bench"}, "events"};
  FLOE_ASSIGN_OR_RETURN(table::Table created, tables.CreateTable(identifier, TableOptions()));
  std::vector<table::DataFile> files;
  for (int i = 0; i < arguments.commits; ++i) {
    FLOE_ASSIGN_OR_RETURN(auto writer, table::DataFileWriter::Open(file_system, *created.metadata));
    FLOE_ASSIGN_OR_RETURN(vector::Batch batch, OneRow(i));
    FLOE_RETURN_NOT_OK(writer->Write(batch));
    FLOE_ASSIGN_OR_RETURN(std::vector<table::DataFile> written, writer->Close());
    files.push_back(written.front());
  }
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int thread = 0; thread < arguments.threads; ++thread) {
    threads.emplace_back([&] {
      for (int i = next++; i < arguments.commits; i = next++) {
        auto append = table::SnapshotProducer::Append();
        append->AddDataFile(files[static_cast<size_t>(i)]);
        failures += tables.Commit(identifier, *append).ok() ? 0 : 1;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  fmt::print(
      "{{\"case\": \"commits\", \"metastore\": \"{}\", \"threads\": {}, \"commits\": {}, "
      "\"failures\": {}, \"seconds\": {:.3f}, \"commits_per_second\": {:.1f}}}\n",
      arguments.metastore, arguments.threads, arguments.commits, failures.load(), seconds,
      arguments.commits / seconds);
  return Status::OK();
}

Status RunPlanning(const Arguments& arguments, const fs::path& folder) {
  const std::string& only = arguments.planning_case;
  if (!only.empty() && only != "no_filter" && only != "partition_equal" &&
      only != "statistics_equal") {
    return Status::InvalidArgument(
        "unknown planning case {} (no_filter, partition_equal, statistics_equal)", only);
  }
  auto file_system = std::make_shared<io::LocalFileSystem>(io::LocalFileSystemOptions{});
  table::NewTableOptions options = TableOptions();
  options.location = (folder / "t").string();
  FLOE_ASSIGN_OR_RETURN(table::TableMetadata metadata, table::MakeNewTableMetadata(options));
  FLOE_ASSIGN_OR_RETURN(std::string location, table::WriteMetadataFile(*file_system, metadata, ""));
  table::Table table{std::make_shared<const table::TableMetadata>(metadata), location, file_system};
  constexpr int kManifests = 100;
  const int64_t per_manifest = arguments.files / kManifests;
  const table::Type long_type = table::Type::Primitive(table::TypeKind::kLong);
  const auto build_start = Clock::now();
  for (int manifest = 0; manifest < kManifests; ++manifest) {
    auto append = table::SnapshotProducer::Append();
    for (int64_t i = 0; i < per_manifest; ++i) {
      const int64_t file = manifest * per_manifest + i;
      table::DataFile data;
      data.file_path =
          fmt::format("{}/data/day={}/file-{}.parquet", table.metadata->location, file / 100, file);
      // Files of one manifest cover 10 consecutive partitions (days), 100 files each.
      data.partition = {types::Value::Integer(static_cast<int32_t>(file / 100))};
      data.record_count = 1000;
      data.file_size_in_bytes = 100000;
      data.value_counts = {{1, 1000}, {2, 1000}};
      data.null_value_counts = {{1, 0}, {2, 0}};
      FLOE_ASSIGN_OR_RETURN(std::string low,
                            table::SerializeValue(long_type, types::Value::BigInt(file * 1000)));
      FLOE_ASSIGN_OR_RETURN(
          std::string high,
          table::SerializeValue(long_type, types::Value::BigInt(file * 1000 + 999)));
      data.lower_bounds = {{1, low}};
      data.upper_bounds = {{1, high}};
      append->AddDataFile(std::move(data));
    }
    std::vector<std::string> written;
    FLOE_ASSIGN_OR_RETURN(table::TableMetadata next, append->Apply(table, 1, written));
    FLOE_ASSIGN_OR_RETURN(std::string next_location,
                          table::WriteMetadataFile(*file_system, next, table.metadata_location,
                                                   table.metadata.get()));
    table = table::Table{std::make_shared<const table::TableMetadata>(std::move(next)),
                         next_location, file_system};
  }
  const double build_seconds = std::chrono::duration<double>(Clock::now() - build_start).count();
  struct Case {
    const char* name;
    table::Predicate filter;
  };
  const int32_t middle_day = static_cast<int32_t>(arguments.files / 200);
  std::vector<Case> cases = {
      {"no_filter", table::Predicate::True()},
      {"partition_equal", table::Predicate::Equal(2, types::Value::Integer(middle_day))},
      {"statistics_equal",
       table::Predicate::Equal(1, types::Value::BigInt(arguments.files * 500 + 7))},
  };
  std::unique_ptr<TaskScheduler> scheduler;
  if (arguments.threads > 1) {
    scheduler = std::make_unique<TaskScheduler>(arguments.threads - 1);
  }
  for (const Case& test : cases) {
    if (!only.empty() && only != test.name) {
      continue;
    }
    std::vector<double> samples;
    size_t tasks = 0;
    table::ScanCounters counters;
    double first_seconds = 0;
    int64_t first_parse_misses = 0;
    // One plan before the timed runs: the first of a process parses every manifest it reads,
    // the later ones find them in the parsed-file cache, as a server's later queries do.
    for (int run = 0; run <= arguments.runs; ++run) {
      table::ScanOptions scan_options;
      scan_options.filter = test.filter;
      scan_options.scheduler = scheduler.get();
      FLOE_ASSIGN_OR_RETURN(table::TableScan scan, table::TableScan::Make(table, scan_options));
      const int64_t misses_before = table::ParsedFileCache::Shared().counters().misses;
      const auto start = Clock::now();
      FLOE_ASSIGN_OR_RETURN(std::vector<table::FileScanTask> planned, scan.PlanFiles(&counters));
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      tasks = planned.size();
      if (run == 0) {
        first_seconds = seconds;
        first_parse_misses = table::ParsedFileCache::Shared().counters().misses - misses_before;
      } else {
        samples.push_back(seconds);
      }
    }
    if (samples.empty()) {
      samples.push_back(first_seconds);
    }
    std::sort(samples.begin(), samples.end());
    fmt::print(
        "{{\"case\": \"planning_{}\", \"threads\": {}, \"files\": {}, \"manifests\": {}, "
        "\"tasks\": {}, \"manifests_pruned\": {}, \"first_seconds\": {:.4f}, "
        "\"first_parse_misses\": {}, \"runs\": {}, \"median_seconds\": {:.4f}, "
        "\"min_seconds\": {:.4f}, \"build_seconds\": {:.2f}}}\n",
        test.name, arguments.threads, arguments.files, kManifests, tasks, counters.manifests_pruned,
        first_seconds, first_parse_misses, arguments.runs, samples[samples.size() / 2],
        samples.front(), build_seconds);
  }
  return Status::OK();
}

Status Run(const Arguments& arguments) {
  fs::path folder =
      fs::path(arguments.temp_dir) / ("floe-table-bench-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  Status status =
      arguments.mode == "commits" ? RunCommits(arguments, folder)
      : arguments.mode == "planning"
          ? RunPlanning(arguments, folder)
          : Status::InvalidArgument("unknown mode {} (commits, planning)", arguments.mode);
  fs::remove_all(folder);
  return status;
}

}  // namespace
}  // namespace floe::bench

int main(int argc, char** argv) {
  floe::bench::Arguments arguments;
  if (argc < 2) {
    std::fprintf(stderr, "usage: table_benchmark commits|planning [options]\n");
    return 2;
  }
  arguments.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--metastore") {
      arguments.metastore = value;
    } else if (flag == "--temp-dir") {
      arguments.temp_dir = value;
    } else if (flag == "--commits") {
      arguments.commits = std::stoi(value);
    } else if (flag == "--threads") {
      arguments.threads = std::stoi(value);
    } else if (flag == "--files") {
      arguments.files = std::stoll(value);
    } else if (flag == "--runs") {
      arguments.runs = std::stoi(value);
    } else if (flag == "--case") {
      arguments.planning_case = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  floe::Status status = floe::bench::Run(arguments);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
