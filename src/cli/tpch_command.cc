#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "catalog/metastore.h"
#include "catalog/table_catalog.h"
#include "cli/command.h"
#include "cli/tpch/generate.h"
#include "io/file_system_registry.h"
#include "io/object_storage_settings.h"

namespace floe::cli {
namespace {

struct TpchGenerateFlags {
  double scale_factor = 1;
  std::string output_directory;
  std::string format = "parquet";
  std::string namespace_name = "public";
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

void PrintReports(const std::vector<tpch::TableReport>& reports) {
  for (const tpch::TableReport& report : reports) {
    std::printf("%-9s %12lld rows  %7.2f s  %s\n",
                std::string(tpch::TableName(report.table)).c_str(),
                static_cast<long long>(report.num_rows), report.seconds, report.path.c_str());
  }
}

// Iceberg output goes to the configured warehouse and metastore; `--out` names another
// warehouse, whose embedded metastore is used unless one was configured.
Status GenerateIceberg(tpch::GenerateOptions options, const TpchGenerateFlags& flags,
                       const Config& config, const io::FileSystemRegistry& registry,
                       TaskScheduler& scheduler) {
  std::string warehouse = config.settings().warehouse;
  std::string metastore_uri = config.settings().metastore;
  if (!flags.output_directory.empty()) {
    warehouse = flags.output_directory;
    if (config.SourceOf("metastore") == SettingSource::kDefault) {
      metastore_uri = EmbeddedMetastoreOf(warehouse);
    }
  }
  if (warehouse.find("://") == std::string::npos) {
    std::error_code error;
    std::filesystem::create_directories(warehouse, error);
    if (error) {
      return Status::IOError("cannot create the warehouse directory {}: {}", warehouse,
                             error.message());
    }
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::Metastore> metastore,
                        catalog::OpenMetastore(metastore_uri));
  const catalog::Namespace namespace_name = {flags.namespace_name};
  FLOE_RETURN_NOT_OK(catalog::ValidateNamespace(namespace_name));
  FLOE_ASSIGN_OR_RETURN(bool exists, metastore->NamespaceExists(namespace_name));
  if (!exists) {
    FLOE_RETURN_NOT_OK(metastore->CreateNamespace(namespace_name, {}));
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system, registry.Resolve(warehouse));
  catalog::TableCatalog tables(*metastore, file_system, warehouse);
  const tpch::IcebergTarget target{&tables, file_system, namespace_name};
  options.iceberg = &target;
  FLOE_ASSIGN_OR_RETURN(std::vector<tpch::TableReport> reports,
                        tpch::Generate(options, *file_system, scheduler));
  PrintReports(reports);
  return Status::OK();
}

Status RunGenerate(const TpchGenerateFlags& flags, const Config& config) {
  FLOE_ASSIGN_OR_RETURN(tpch::GenerateOptions options, MakeOptions(flags));
  // The scheduler's workers plus the calling thread make up --threads.
  TaskScheduler scheduler(options.threads > 0 ? std::max(1, options.threads - 1) : 0);
  io::FileSystemRegistry registry;
  FLOE_RETURN_NOT_OK(io::ConfigureObjectStorage(registry, config.settings()));
  if (options.format == tpch::OutputFormat::kIceberg) {
    return GenerateIceberg(std::move(options), flags, config, registry, scheduler);
  }
  if (options.output_directory.empty()) {
    return Status::InvalidArgument("--out is required for {} output", flags.format);
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        registry.Resolve(options.output_directory));
  FLOE_ASSIGN_OR_RETURN(std::vector<tpch::TableReport> reports,
                        tpch::Generate(options, *file_system, scheduler));
  PrintReports(reports);
  return Status::OK();
}

}  // namespace

void RegisterTpchCommand(CLI::App& app, CommandRunner& runner) {
  CLI::App* tpch = app.add_subcommand("tpch", "TPC-H benchmark data");
  tpch->require_subcommand(1);
  CLI::App* generate = tpch->add_subcommand(
      "generate", "Generate the TPC-H tables at a scale factor: a file or an Iceberg table each");
  auto flags = std::make_shared<TpchGenerateFlags>();
  generate->add_option("--sf", flags->scale_factor, "Scale factor (1 = about 1 GB of data)")
      ->required();
  generate
      ->add_option("--out", flags->output_directory,
                   "Folder receiving the files (Iceberg: the warehouse, default the configured "
                   "one)")
      ->type_name("DIR");
  generate->add_option("--format", flags->format, "parquet, csv ('|'-separated) or iceberg")
      ->capture_default_str();
  generate->add_option("--namespace", flags->namespace_name, "Namespace of Iceberg tables")
      ->capture_default_str();
  generate->add_option("--tables", flags->tables,
                       "Comma-separated tables to generate (default: all eight)");
  generate->add_option("--threads", flags->threads, "Generating threads (default: one per core)");
  generate->callback([&runner, flags] {
    runner = [flags](const CommandContext& context) {
      const Status status = RunGenerate(*flags, context.config);
      if (!status.ok()) {
        std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
        return 1;
      }
      return 0;
    };
  });
}

}  // namespace floe::cli
