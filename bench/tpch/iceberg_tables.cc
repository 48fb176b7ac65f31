// Makes Iceberg tables of existing Parquet files without rewriting them, so that the TPC-H
// benchmark (docs/benchmarks.md, "TPC-H") runs Floe over Iceberg tables and over read_parquet()
// on the very same bytes:
//
//   tpch_iceberg_tables --warehouse DIR --metastore sqlite:PATH [--namespace public]
//       TABLE=FILE.parquet ...
//
// Each table gets the file's schema (field ids assigned by the table, a name mapping for the
// file, which has no ids) and one append snapshot holding the file as its only data file, with
// the record count, size and per-column statistics Iceberg keeps, taken from the footer.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/metastore.h"
#include "catalog/table_catalog.h"
#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/reader/parquet_reader.h"
#include "io/local/local_file_system.h"
#include "table/data_file_writer.h"
#include "table/schema.h"
#include "table/snapshot_producer.h"
#include "table/value_serialization.h"

namespace floe::bench {
namespace {

struct Arguments {
  std::string warehouse;
  std::string metastore;
  std::string namespace_name = "public";
  std::vector<std::pair<std::string, std::string>> tables;  // Name, Parquet file.
};

// The file has no field ids, so readers find its columns by name (spec: "Column Projection").
std::string NameMapping(const table::Schema& schema) {
  std::string json = "[";
  for (const table::NestedField& field : schema.fields()) {
    json += fmt::format("{}{{\"field-id\":{},\"names\":[\"{}\"]}}", json.size() > 1 ? "," : "",
                        field.id, field.name);
  }
  return json + "]";
}

// Fills value and null counts, column sizes and bounds of top-level primitive columns, merging
// the row groups' chunk statistics. A column without statistics in some row group gets no
// bounds: a bound that misses a row group would prune files wrongly.
Status AddColumnStatistics(const format::parquet::ParquetReader& reader,
                           const table::Schema& schema, table::DataFile& file) {
  const format::parquet::FileMetaData& metadata = reader.metadata();
  const auto& columns = reader.file_schema().columns();
  for (size_t i = 0; i < columns.size() && i < schema.fields().size(); ++i) {
    const table::NestedField& field = schema.fields()[i];
    int64_t values = 0;
    int64_t nulls = 0;
    int64_t bytes = 0;
    std::optional<types::Value> low;
    std::optional<types::Value> high;
    bool has_bounds = true;
    for (const format::parquet::RowGroup& group : metadata.row_groups) {
      const auto& chunk = group.columns.at(i).meta_data;
      if (!chunk.has_value()) {
        return Status::NotSupported("column chunk without metadata in {}", file.file_path);
      }
      format::parquet::ColumnStatistics statistics =
          format::parquet::ChunkStatistics(columns[i], *chunk, group.num_rows);
      values += group.num_rows;
      nulls += statistics.null_count.value_or(0);
      bytes += chunk->total_compressed_size;
      if (!statistics.min.has_value() || !statistics.max.has_value()) {
        has_bounds = false;
        continue;
      }
      if (!low.has_value() || statistics.min->Compare(*low) < 0) {
        low = statistics.min;
      }
      if (!high.has_value() || statistics.max->Compare(*high) > 0) {
        high = statistics.max;
      }
    }
    file.value_counts.emplace_back(field.id, values);
    file.null_value_counts.emplace_back(field.id, nulls);
    file.column_sizes.emplace_back(field.id, bytes);
    if (!has_bounds || !low.has_value()) {
      continue;
    }
    const bool is_string = field.type.kind() == table::TypeKind::kString;
    FLOE_ASSIGN_OR_RETURN(std::string lower, table::SerializeValue(field.type, *low));
    FLOE_ASSIGN_OR_RETURN(std::string upper, table::SerializeValue(field.type, *high));
    std::optional<std::string> lower_cut = table::TruncateBound(lower, is_string, false);
    std::optional<std::string> upper_cut = table::TruncateBound(upper, is_string, true);
    if (lower_cut.has_value() && upper_cut.has_value()) {
      file.lower_bounds.emplace_back(field.id, *lower_cut);
      file.upper_bounds.emplace_back(field.id, *upper_cut);
    }
  }
  return Status::OK();
}

Status RegisterTable(catalog::TableCatalog& tables, io::FileSystem& file_system,
                     const std::string& namespace_name, const std::string& name,
                     const std::string& path) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> input,
                        file_system.OpenInputFile(path));
  FLOE_ASSIGN_OR_RETURN(io::FileInfo info, file_system.Stat(path));
  FLOE_ASSIGN_OR_RETURN(auto reader, format::parquet::ParquetReader::Open(std::move(input)));
  FLOE_ASSIGN_OR_RETURN(table::Schema schema,
                        table::Schema::FromFloeSchema(reader->file_schema().schema()));
  table::NewTableOptions options;
  options.schema = schema;
  options.properties = {{"schema.name-mapping.default", NameMapping(schema)}};
  const catalog::TableIdentifier identifier{{namespace_name}, name};
  FLOE_ASSIGN_OR_RETURN(table::Table created, tables.CreateTable(identifier, std::move(options)));
  // The table assigns ids from 1 in field order, as FromFloeSchema did; its schema is the one
  // the statistics must be keyed by.
  const table::Schema* table_schema = created.metadata->CurrentSchema();
  if (table_schema == nullptr) {
    return Status::Internal("table {} has no current schema", name);
  }
  table::DataFile file;
  file.file_path = path;
  file.record_count = reader->metadata().num_rows;
  file.file_size_in_bytes = info.size;
  for (const format::parquet::RowGroup& group : reader->metadata().row_groups) {
    if (group.file_offset.has_value()) {
      file.split_offsets.push_back(*group.file_offset);
    }
  }
  FLOE_RETURN_NOT_OK(AddColumnStatistics(*reader, *table_schema, file));
  auto append = table::SnapshotProducer::Append();
  append->AddDataFile(std::move(file));
  FLOE_RETURN_NOT_OK(tables.Commit(identifier, *append).status());
  fmt::print("{}.{}: {} rows from {}\n", namespace_name, name, reader->metadata().num_rows, path);
  return Status::OK();
}

Status Run(const Arguments& arguments) {
  FLOE_ASSIGN_OR_RETURN(auto metastore, catalog::OpenMetastore(arguments.metastore));
  const catalog::Namespace namespace_name{arguments.namespace_name};
  FLOE_ASSIGN_OR_RETURN(bool exists, metastore->NamespaceExists(namespace_name));
  if (!exists) {
    FLOE_RETURN_NOT_OK(metastore->CreateNamespace(namespace_name, {}));
  }
  auto file_system = std::make_shared<io::LocalFileSystem>(io::LocalFileSystemOptions{});
  catalog::TableCatalog tables(*metastore, file_system, arguments.warehouse);
  for (const auto& [name, path] : arguments.tables) {
    FLOE_RETURN_NOT_OK(RegisterTable(tables, *file_system, arguments.namespace_name, name, path));
  }
  return Status::OK();
}

Result<Arguments> ParseArguments(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    const bool has_value = i + 1 < argc;
    if (argument == "--warehouse" && has_value) {
      arguments.warehouse = argv[++i];
    } else if (argument == "--metastore" && has_value) {
      arguments.metastore = argv[++i];
    } else if (argument == "--namespace" && has_value) {
      arguments.namespace_name = argv[++i];
    } else if (size_t equals = argument.find('='); equals != std::string::npos && equals > 0) {
      arguments.tables.emplace_back(argument.substr(0, equals), argument.substr(equals + 1));
    } else {
      return Status::InvalidArgument("unexpected argument {}", argument);
    }
  }
  if (arguments.warehouse.empty() || arguments.metastore.empty()) {
    return Status::InvalidArgument("--warehouse and --metastore are required");
  }
  return arguments;
}

}  // namespace
}  // namespace floe::bench

int main(int argc, char** argv) {
  floe::Result<floe::bench::Arguments> arguments = floe::bench::ParseArguments(argc, argv);
  floe::Status status = arguments.ok() ? floe::bench::Run(*arguments) : arguments.status();
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
