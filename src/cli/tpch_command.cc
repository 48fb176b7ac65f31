#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/tpch/generate.h"
#include "io/file_system_registry.h"

namespace floe::cli {
namespace {

struct TpchGenerateFlags {
  double scale_factor = 1;
  std::string output_directory;
  std::string format = "parquet";
  std::string tables;
  int threads = 0;
};

Result<std::vector<tpch::TableId>> ParseTables(const std::string& list) {
  std::vector<tpch::TableId> tables;
  size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    const size_t end = std::min(list.find(',', start), list.size());
    FLOE_ASSIGN_OR_RETURN(tpch::TableId table,
                          tpch::ParseTableName(std::string_view(list).substr(start, end - start)));
    tables.push_back(table);
    start = end + 1;
  }
  return tables;
}

Result<tpch::GenerateOptions> MakeOptions(const TpchGenerateFlags& flags) {
  tpch::GenerateOptions options;
  options.scale_factor = flags.scale_factor;
  options.output_directory = flags.output_directory;
  FLOE_ASSIGN_OR_RETURN(options.format, tpch::ParseOutputFormat(flags.format));
  FLOE_ASSIGN_OR_RETURN(options.tables, ParseTables(flags.tables));
  options.threads = flags.threads;
  if (flags.threads < 0) {
    return Status::InvalidArgument("--threads must not be negative: {}", flags.threads);
  }
  return options;
}

Status RunGenerate(const TpchGenerateFlags& flags) {
  FLOE_ASSIGN_OR_RETURN(tpch::GenerateOptions options, MakeOptions(flags));
  io::FileSystemRegistry registry;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        registry.Resolve(options.output_directory));
  // The scheduler's workers plus the calling thread make up --threads.
  TaskScheduler scheduler(options.threads > 0 ? std::max(1, options.threads - 1) : 0);
  FLOE_ASSIGN_OR_RETURN(std::vector<tpch::TableReport> reports,
                        tpch::Generate(options, *file_system, scheduler));
  for (const tpch::TableReport& report : reports) {
    std::printf("%-9s %12lld rows  %7.2f s  %s\n",
                std::string(tpch::TableName(report.table)).c_str(),
                static_cast<long long>(report.num_rows), report.seconds, report.path.c_str());
  }
  return Status::OK();
}

}  // namespace

void RegisterTpchCommand(CLI::App& app, CommandRunner& runner) {
  CLI::App* tpch = app.add_subcommand("tpch", "TPC-H benchmark data");
  tpch->require_subcommand(1);
  CLI::App* generate = tpch->add_subcommand(
      "generate", "Generate the TPC-H tables at a scale factor, one file per table");
  auto flags = std::make_shared<TpchGenerateFlags>();
  generate->add_option("--sf", flags->scale_factor, "Scale factor (1 = about 1 GB of data)")
      ->required();
  generate->add_option("--out", flags->output_directory, "Folder receiving the files")
      ->required()
      ->type_name("DIR");
  generate->add_option("--format", flags->format, "parquet or csv ('|'-separated)")
      ->capture_default_str();
  generate->add_option("--tables", flags->tables,
                       "Comma-separated tables to generate (default: all eight)");
  generate->add_option("--threads", flags->threads, "Generating threads (default: one per core)");
  generate->callback([&runner, flags] {
    runner = [flags](const CommandContext&) {
      const Status status = RunGenerate(*flags);
      if (!status.ok()) {
        std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
        return 1;
      }
      return 0;
    };
  });
}

}  // namespace floe::cli
