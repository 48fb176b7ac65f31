// `floe parquet schema|meta|cat FILE`: inspect and print Parquet files with Floe's own reader.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "common/json_text.h"
#include "format/parquet/reader/parquet_reader.h"
#include "io/file_system_registry.h"
#include "io/object_storage_settings.h"
#include "types/bytea.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/temporal.h"
#include "types/uuid.h"
#include "types/value.h"

namespace floe::cli {
namespace {

using format::parquet::ParquetReader;
using types::TypeId;
using types::Value;

struct ParquetArguments {
  std::string file;
  std::string columns;
  int64_t limit = -1;
  std::string format = "csv";
  /// The process settings, for object storage; set when the command runs.
  const Settings* settings = nullptr;
};

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return 1;
}

Result<std::unique_ptr<ParquetReader>> OpenFile(const ParquetArguments& arguments,
                                                format::parquet::ParquetReadOptions options) {
  io::FileSystemRegistry registry;
  FLOE_RETURN_NOT_OK(io::ConfigureObjectStorage(registry, *arguments.settings));
  return ParquetReader::Open(registry, arguments.file, std::move(options));
}

// Integers beyond 2^53 lose precision in JavaScript and many JSON parsers: print them as text.
void AppendJsonInteger(int64_t value, std::string& output) {
  constexpr int64_t kExactLimit = int64_t{1} << 53;
  if (value > kExactLimit || value < -kExactLimit) {
    output += fmt::format("\"{}\"", value);
  } else {
    output += fmt::format("{}", value);
  }
}

void AppendJsonFloat(double value, std::string_view shortest, std::string& output) {
  if (std::isnan(value)) {
    output += "\"NaN\"";
  } else if (std::isinf(value)) {
    output += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    output += shortest;
  }
}

void AppendJson(const Value& value, std::string& output) {
  if (value.is_null()) {
    output += "null";
    return;
  }
  const types::LogicalType& type = value.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      output += value.boolean_value() ? "true" : "false";
      return;
    case TypeId::kSmallInt:
      output += fmt::format("{}", value.smallint_value());
      return;
    case TypeId::kInteger:
      output += fmt::format("{}", value.integer_value());
      return;
    case TypeId::kBigInt:
      AppendJsonInteger(value.bigint_value(), output);
      return;
    case TypeId::kReal:
      AppendJsonFloat(value.real_value(), fmt::format("{}", value.real_value()), output);
      return;
    case TypeId::kDouble:
      AppendJsonFloat(value.double_value(), fmt::format("{}", value.double_value()), output);
      return;
    case TypeId::kDecimal:
      AppendJsonString(output, types::FormatDecimal(value.decimal_value(), type.scale()));
      return;
    case TypeId::kDate:
      AppendJsonString(output, types::FormatDate(value.date_value()));
      return;
    case TypeId::kTime:
      AppendJsonString(output, types::FormatTime(value.time_value()));
      return;
    case TypeId::kTimestamp:
      AppendJsonString(output, types::FormatTimestamp(value.timestamp_value()));
      return;
    case TypeId::kTimestampTz:
      AppendJsonString(output, types::FormatTimestampTz(value.timestamp_value()));
      return;
    case TypeId::kInterval:
      AppendJsonString(output, types::FormatInterval(value.interval_value()));
      return;
    case TypeId::kVarchar:
      AppendJsonString(output, value.string_value());
      return;
    case TypeId::kBytea:
      AppendJsonString(output, types::FormatBytea(value.string_value()));
      return;
    case TypeId::kUuid:
      AppendJsonString(output, types::FormatUuid(value.uuid_value()));
      return;
    case TypeId::kList: {
      output += '[';
      for (size_t i = 0; i < value.children().size(); ++i) {
        output += i == 0 ? "" : ",";
        AppendJson(value.children()[i], output);
      }
      output += ']';
      return;
    }
    case TypeId::kStruct: {
      output += '{';
      for (size_t i = 0; i < value.children().size(); ++i) {
        output += i == 0 ? "" : ",";
        AppendJsonString(output, type.fields()[i].name);
        output += ':';
        AppendJson(value.children()[i], output);
      }
      output += '}';
      return;
    }
    case TypeId::kMap: {
      output += '[';
      for (size_t i = 0; i < value.map_size(); ++i) {
        output += i == 0 ? "{\"key\":" : ",{\"key\":";
        AppendJson(value.map_key(i), output);
        output += ",\"value\":";
        AppendJson(value.map_value(i), output);
        output += '}';
      }
      output += ']';
      return;
    }
    default:
      output += "null";
      return;
  }
}

void AppendCsv(const Value& value, std::string& output) {
  if (value.is_null()) {
    return;
  }
  std::string text = value.ToString();
  if (text.find_first_of(",\"\n\r") == std::string::npos && !text.empty()) {
    output += text;
    return;
  }
  output += '"';
  for (char c : text) {
    output += c == '"' ? "\"\"" : std::string(1, c);
  }
  output += '"';
}

std::vector<std::string> SplitColumns(const std::string& text) {
  std::vector<std::string> names;
  std::stringstream stream(text);
  std::string name;
  while (std::getline(stream, name, ',')) {
    if (!name.empty()) {
      names.push_back(name);
    }
  }
  return names;
}

Status PrintBatch(const vector::Batch& batch, int64_t rows, bool is_json, std::string& output) {
  const vector::Schema& schema = batch.schema();
  for (int64_t row = 0; row < rows; ++row) {
    output += is_json ? "{" : "";
    for (int64_t column = 0; column < batch.num_columns(); ++column) {
      FLOE_ASSIGN_OR_RETURN(Value value, batch.column(column).GetValue(row));
      if (is_json) {
        output += column == 0 ? "" : ",";
        AppendJsonString(output, schema.field(column).name);
        output += ':';
        AppendJson(value, output);
      } else {
        output += column == 0 ? "" : ",";
        AppendCsv(value, output);
      }
    }
    output += is_json ? "}\n" : "\n";
  }
  return Status::OK();
}

int RunCat(const ParquetArguments& arguments) {
  if (arguments.format != "csv" && arguments.format != "json") {
    return Fail(
        Status::InvalidArgument("unknown format \"{}\": use csv or json", arguments.format));
  }
  format::parquet::ParquetReadOptions options;
  options.column_names = SplitColumns(arguments.columns);
  auto reader = OpenFile(arguments, options);
  if (!reader.ok()) {
    return Fail(reader.status());
  }
  bool is_json = arguments.format == "json";
  std::string output;
  if (!is_json) {
    const vector::Schema& schema = *(*reader)->schema();
    for (int64_t i = 0; i < schema.num_fields(); ++i) {
      output += (i == 0 ? "" : ",") + schema.field(i).name;
    }
    output += '\n';
  }
  int64_t remaining = arguments.limit < 0 ? INT64_MAX : arguments.limit;
  while (remaining > 0) {
    auto batch = (*reader)->Next();
    if (!batch.ok()) {
      std::fwrite(output.data(), 1, output.size(), stdout);
      return Fail(batch.status());
    }
    if (!batch->has_value()) {
      break;
    }
    int64_t rows = std::min(remaining, (*batch)->num_rows());
    Status status = PrintBatch(**batch, rows, is_json, output);
    if (!status.ok()) {
      return Fail(status);
    }
    remaining -= rows;
    std::fwrite(output.data(), 1, output.size(), stdout);
    output.clear();
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

void PrintFields(const std::vector<format::parquet::SchemaNode>& nodes, int depth) {
  for (const auto& node : nodes) {
    std::string id = node.field_id.has_value() ? fmt::format(" (field id {})", *node.field_id) : "";
    std::printf("%*s%s %s%s%s\n", depth * 2, "", node.name.c_str(), node.type.ToString().c_str(),
                node.is_nullable ? "" : " NOT NULL", id.c_str());
    if (node.kind == format::parquet::NodeKind::kStruct) {
      PrintFields(node.children, depth + 1);
    }
  }
}

int RunSchema(const ParquetArguments& arguments) {
  auto reader = OpenFile(arguments, {});
  if (!reader.ok()) {
    return Fail(reader.status());
  }
  PrintFields((*reader)->file_schema().fields(), 0);
  return 0;
}

std::string StatisticsText(const format::parquet::ColumnDescriptor& column,
                           const format::parquet::ColumnMetaData& metadata, int64_t rows) {
  auto statistics = format::parquet::ChunkStatistics(column, metadata, rows);
  std::string text;
  if (statistics.min.has_value()) {
    text += " min=" + statistics.min->ToString();
  }
  if (statistics.max.has_value()) {
    text += " max=" + statistics.max->ToString();
  }
  if (statistics.null_count.has_value()) {
    text += fmt::format(" nulls={}", *statistics.null_count);
  }
  return text;
}

int RunMeta(const ParquetArguments& arguments) {
  auto reader = OpenFile(arguments, {});
  if (!reader.ok()) {
    return Fail(reader.status());
  }
  const auto& metadata = (*reader)->metadata();
  const auto& columns = (*reader)->file_schema().columns();
  std::printf("file: %s\ncreated by: %s\nversion: %d\nrows: %lld\nrow groups: %zu\n",
              arguments.file.c_str(), metadata.created_by.value_or("").c_str(), metadata.version,
              static_cast<long long>(metadata.num_rows), metadata.row_groups.size());
  for (size_t group = 0; group < metadata.row_groups.size(); ++group) {
    const auto& row_group = metadata.row_groups[group];
    std::printf("row group %zu: %lld rows, %lld bytes\n", group,
                static_cast<long long>(row_group.num_rows),
                static_cast<long long>(row_group.total_byte_size));
    for (size_t i = 0; i < row_group.columns.size() && i < columns.size(); ++i) {
      if (!row_group.columns[i].meta_data.has_value()) {
        continue;
      }
      const auto& meta = *row_group.columns[i].meta_data;
      std::string encodings;
      for (auto encoding : meta.encodings) {
        encodings += fmt::format("{}{}", encodings.empty() ? "" : "/", static_cast<int>(encoding));
      }
      std::printf("  %s: %s values=%lld compressed=%lld uncompressed=%lld encodings=%s%s\n",
                  columns[i].PathString().c_str(),
                  std::string(format::CompressionCodecName(meta.codec)).c_str(),
                  static_cast<long long>(meta.num_values),
                  static_cast<long long>(meta.total_compressed_size),
                  static_cast<long long>(meta.total_uncompressed_size), encodings.c_str(),
                  StatisticsText(columns[i], meta, row_group.num_rows).c_str());
    }
  }
  return 0;
}

}  // namespace

void RegisterParquetCommand(CLI::App& app, CommandRunner& runner) {
  CLI::App* command = app.add_subcommand("parquet", "Inspect and print Parquet files");
  command->require_subcommand(1);
  auto arguments = std::make_shared<ParquetArguments>();
  CLI::App* schema = command->add_subcommand("schema", "Print the schema as Floe types");
  schema->add_option("file", arguments->file, "Parquet file")->required();
  schema->callback([&runner, arguments] {
    runner = [arguments](const CommandContext& context) {
      arguments->settings = &context.config.settings();
      return RunSchema(*arguments);
    };
  });
  CLI::App* meta = command->add_subcommand("meta", "Print row groups, column chunks and stats");
  meta->add_option("file", arguments->file, "Parquet file")->required();
  meta->callback([&runner, arguments] {
    runner = [arguments](const CommandContext& context) {
      arguments->settings = &context.config.settings();
      return RunMeta(*arguments);
    };
  });
  CLI::App* cat = command->add_subcommand("cat", "Print rows as CSV or JSON lines");
  cat->add_option("file", arguments->file, "Parquet file")->required();
  cat->add_option("--columns", arguments->columns, "Comma-separated columns to print");
  cat->add_option("--limit", arguments->limit, "Print at most this many rows");
  cat->add_option("--format", arguments->format, "csv or json (one object per line)");
  cat->callback([&runner, arguments] {
    runner = [arguments](const CommandContext& context) {
      arguments->settings = &context.config.settings();
      return RunCat(*arguments);
    };
  });
}

}  // namespace floe::cli
