#include "sql/engine/copy_format.h"

#include <cmath>
#include <set>
#include <span>
#include <utility>

#include "common/json_text.h"
#include "format/parquet/writer/parquet_writer.h"
#include "vector/schema.h"
#include "vector/vector_builder.h"

namespace floe::sql::engine {
namespace {

using Kind = CopyFormat::Kind;

bool EndsWith(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) {
    return false;
  }
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = text[text.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != suffix[i]) {
      return false;
    }
  }
  return true;
}

Kind KindFromFileName(std::string_view file) {
  if (EndsWith(file, ".parquet")) {
    return Kind::kParquet;
  }
  if (EndsWith(file, ".csv")) {
    return Kind::kCsv;
  }
  if (EndsWith(file, ".json") || EndsWith(file, ".jsonl") || EndsWith(file, ".ndjson")) {
    return Kind::kJson;
  }
  return Kind::kText;
}

Status BadValue(const parser::Option& option) {
  return Status::InvalidArgument("invalid value for COPY option \"{}\": \"{}\"", option.name,
                                 option.value.text)
      .WithSqlState("22023");
}

Result<bool> BooleanOption(const parser::Option& option) {
  if (option.value.kind == parser::OptionValueKind::kNone) {
    return true;
  }
  const std::string& text = option.value.text;
  if (text == "true" || text == "on" || text == "1") {
    return true;
  }
  if (text == "false" || text == "off" || text == "0") {
    return false;
  }
  return Status::InvalidArgument("{} requires a Boolean value", option.name).WithSqlState("22023");
}

Result<char> SingleCharacter(const parser::Option& option, std::string_view what) {
  if (option.value.text.size() != 1) {
    return Status::NotSupported("COPY {} must be a single one-byte character", what);
  }
  return option.value.text[0];
}

Result<format::CompressionCodec> CodecOption(const parser::Option& option) {
  const std::string& name = option.value.text;
  if (name == "zstd") {
    return format::CompressionCodec::kZstd;
  }
  if (name == "snappy") {
    return format::CompressionCodec::kSnappy;
  }
  if (name == "gzip") {
    return format::CompressionCodec::kGzip;
  }
  if (name == "lz4" || name == "lz4_raw") {
    return format::CompressionCodec::kLz4Raw;
  }
  if (name == "brotli") {
    return format::CompressionCodec::kBrotli;
  }
  if (name == "uncompressed" || name == "none") {
    return format::CompressionCodec::kUncompressed;
  }
  return BadValue(option);
}

/// One JSON object per row, keyed by column name. Numbers and booleans keep their JSON types;
/// NaN and the infinities, which JSON cannot spell, and every other type are strings in
/// PostgreSQL's text format.
void AppendJsonRow(const std::vector<ResultColumn>& columns, const TextRow& row, std::string& out) {
  out.push_back('{');
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    AppendJsonString(out, columns[i].name);
    out.push_back(':');
    out += JsonValueOfText(row[i], columns[i].type);
  }
  out += "}\n";
}

Status WriteText(io::OutputStream& stream, const std::string& text) {
  return stream.Write(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

Result<int64_t> CopyRowsAsText(QueryResult& rows, const CopyFormat& format,
                               io::OutputStream& stream) {
  CopyTextEncoder encoder(format);
  std::string out;
  if (format.header && format.kind != Kind::kJson) {
    encoder.AppendHeader(rows.columns(), out);
  }
  int64_t count = 0;
  std::vector<TextRow> text_rows;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, rows.Next());
    if (!batch) {
      break;
    }
    text_rows.clear();
    FLOE_RETURN_NOT_OK(AppendTextRows(*batch, text_rows));
    for (const TextRow& row : text_rows) {
      if (format.kind == Kind::kJson) {
        AppendJsonRow(rows.columns(), row, out);
      } else {
        encoder.AppendRow(row, out);
      }
    }
    count += static_cast<int64_t>(text_rows.size());
    if (out.size() >= (1 << 20)) {
      FLOE_RETURN_NOT_OK(WriteText(stream, out));
      out.clear();
    }
  }
  FLOE_RETURN_NOT_OK(WriteText(stream, out));
  return count;
}

Result<int64_t> CopyRowsAsParquet(QueryResult& rows, const CopyFormat& format,
                                  std::unique_ptr<io::OutputStream> stream,
                                  MemoryTracker* tracker) {
  std::vector<vector::Field> fields;
  for (const ResultColumn& column : rows.columns()) {
    fields.push_back({column.name, column.type, true});
  }
  vector::Schema schema(std::move(fields));
  format::parquet::ParquetWriterOptions options;
  options.codec = format.codec;
  if (format.compression_level) {
    options.compression_level = *format.compression_level;
  }
  FLOE_ASSIGN_OR_RETURN(
      std::unique_ptr<format::parquet::ParquetWriter> writer,
      format::parquet::ParquetWriter::Make(std::move(stream), schema, options, tracker));
  while (true) {
    Result<std::optional<vector::Batch>> batch = rows.Next();
    Status status = batch.status();
    if (status.ok() && !*batch) {
      break;
    }
    if (status.ok()) {
      status = writer->Write(**batch);
    }
    if (!status.ok()) {
      (void)writer->Abort();
      return status;
    }
  }
  FLOE_RETURN_NOT_OK(writer->Close());
  return writer->num_rows();
}

/// Renders a query's batches as COPY lines, one VARCHAR row per line, the header first.
class CopyLinesStream final : public BatchStream {
 public:
  CopyLinesStream(QueryResult rows, const CopyFormat& format)
      : rows_(std::move(rows)), format_(format), encoder_(format_) {}

  Result<std::optional<vector::Batch>> Next() override {
    std::vector<std::string> lines;
    if (format_.header && format_.kind != Kind::kJson && !header_sent_) {
      header_sent_ = true;
      lines.emplace_back();
      encoder_.AppendHeader(rows_.columns(), lines.back());
    }
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, rows_.Next());
    if (!batch && lines.empty()) {
      return std::optional<vector::Batch>();
    }
    if (batch) {
      text_rows_.clear();
      FLOE_RETURN_NOT_OK(AppendTextRows(*batch, text_rows_));
      for (const TextRow& row : text_rows_) {
        lines.emplace_back();
        if (format_.kind == Kind::kJson) {
          AppendJsonRow(rows_.columns(), row, lines.back());
        } else {
          encoder_.AppendRow(row, lines.back());
        }
      }
    }
    vector::VectorBuilder builder(types::LogicalType::Varchar());
    for (const std::string& line : lines) {
      FLOE_RETURN_NOT_OK(builder.AppendString(line));
    }
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    auto schema = std::make_shared<const vector::Schema>(
        std::vector<vector::Field>{{"COPY", types::LogicalType::Varchar(), false}});
    FLOE_ASSIGN_OR_RETURN(
        vector::Batch out,
        vector::Batch::Make(schema, {std::move(column)}, static_cast<int64_t>(lines.size())));
    return std::optional<vector::Batch>(std::move(out));
  }

 private:
  QueryResult rows_;
  CopyFormat format_;
  CopyTextEncoder encoder_;
  std::vector<TextRow> text_rows_;
  bool header_sent_ = false;
};

}  // namespace

Result<CopyFormat> ParseCopyFormat(const std::vector<parser::Option>& options,
                                   std::string_view file) {
  CopyFormat format;
  format.kind = KindFromFileName(file);
  const parser::Option* delimiter = nullptr;
  const parser::Option* null_text = nullptr;
  const parser::Option* quote = nullptr;
  const parser::Option* escape = nullptr;
  std::set<std::string> seen;
  for (const parser::Option& option : options) {
    if (!seen.insert(option.name).second) {
      return Status::InvalidArgument("conflicting or redundant options").WithSqlState("42601");
    }
    if (option.name == "format") {
      const std::string& name = option.value.text;
      if (name == "text") {
        format.kind = Kind::kText;
      } else if (name == "csv") {
        format.kind = Kind::kCsv;
      } else if (name == "json") {
        format.kind = Kind::kJson;
      } else if (name == "parquet") {
        format.kind = Kind::kParquet;
      } else if (name == "binary") {
        return Status::NotSupported("COPY in binary format is not supported");
      } else {
        return Status::InvalidArgument("COPY format \"{}\" not recognized", name)
            .WithSqlState("22023");
      }
    } else if (option.name == "header") {
      if (option.value.text == "match") {
        return Status::NotSupported("COPY HEADER MATCH is not supported");
      }
      FLOE_ASSIGN_OR_RETURN(format.header, BooleanOption(option));
    } else if (option.name == "delimiter") {
      delimiter = &option;
    } else if (option.name == "null") {
      null_text = &option;
    } else if (option.name == "quote") {
      quote = &option;
    } else if (option.name == "escape") {
      escape = &option;
    } else if (option.name == "encoding") {
      std::string name = option.value.text;
      for (char& c : name) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
      if (name != "utf8" && name != "utf-8" && name != "unicode" && name != "sql_ascii") {
        return Status::NotSupported(
            "COPY encoding \"{}\" is not supported; Floe reads and "
            "writes UTF8",
            option.value.text);
      }
    } else if (option.name == "freeze") {
      FLOE_RETURN_NOT_OK(BooleanOption(option).status());
    } else if (option.name == "compression") {
      FLOE_ASSIGN_OR_RETURN(format.codec, CodecOption(option));
    } else if (option.name == "compression_level") {
      char* end = nullptr;
      long level = std::strtol(option.value.text.c_str(), &end, 10);
      if (option.value.text.empty() || *end != '\0' || level < -131072 || level > 22) {
        return BadValue(option);
      }
      format.compression_level = static_cast<int>(level);
    } else {
      return Status::InvalidArgument("option \"{}\" not recognized", option.name)
          .WithSqlState("42601");
    }
  }
  bool is_text = format.kind == Kind::kText || format.kind == Kind::kCsv;
  if (format.kind == Kind::kCsv) {
    format.delimiter = ',';
    format.null_text = "";
  }
  if (!is_text) {
    for (const parser::Option* option : {delimiter, null_text, quote, escape}) {
      if (option != nullptr) {
        return Status::NotSupported("COPY option \"{}\" applies only to the text and CSV formats",
                                    option->name);
      }
    }
    if (format.header) {
      return Status::NotSupported("COPY HEADER applies only to the text and CSV formats");
    }
    return format;
  }
  if (delimiter != nullptr) {
    FLOE_ASSIGN_OR_RETURN(format.delimiter, SingleCharacter(*delimiter, "delimiter"));
    if (format.delimiter == '\n' || format.delimiter == '\r') {
      return Status::InvalidArgument("COPY delimiter cannot be newline or carriage return")
          .WithSqlState("22023");
    }
  }
  if (null_text != nullptr) {
    format.null_text = null_text->value.text;
    if (format.null_text.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument(
                 "COPY null representation cannot use newline or carriage return")
          .WithSqlState("22023");
    }
  }
  if (format.kind == Kind::kText && (quote != nullptr || escape != nullptr)) {
    return Status::NotSupported("COPY {} available only in CSV mode",
                                quote != nullptr ? "quote" : "escape");
  }
  if (quote != nullptr) {
    FLOE_ASSIGN_OR_RETURN(format.quote, SingleCharacter(*quote, "quote"));
  }
  format.escape = format.quote;
  if (escape != nullptr) {
    FLOE_ASSIGN_OR_RETURN(format.escape, SingleCharacter(*escape, "escape"));
  }
  if (format.kind == Kind::kCsv && format.delimiter == format.quote) {
    return Status::InvalidArgument("COPY delimiter and quote must be different")
        .WithSqlState("22023");
  }
  return format;
}

void CopyTextEncoder::AppendHeader(const std::vector<ResultColumn>& columns,
                                   std::string& out) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      out.push_back(format_.delimiter);
    }
    AppendField(columns[i].name, out);
  }
  out.push_back('\n');
}

void CopyTextEncoder::AppendRow(const TextRow& row, std::string& out) const {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) {
      out.push_back(format_.delimiter);
    }
    if (!row[i]) {
      out += format_.null_text;
    } else {
      AppendField(*row[i], out);
    }
  }
  out.push_back('\n');
}

void CopyTextEncoder::AppendField(std::string_view value, std::string& out) const {
  if (format_.kind == CopyFormat::Kind::kCsv) {
    // A field is quoted when it holds the delimiter, the quote, a line break, or would read
    // back as NULL or as the end-of-data marker.
    bool needs_quotes = value == format_.null_text || value.starts_with("\\.");
    for (char c : value) {
      if (c == format_.delimiter || c == format_.quote || c == '\n' || c == '\r') {
        needs_quotes = true;
        break;
      }
    }
    if (!needs_quotes) {
      out += value;
      return;
    }
    out.push_back(format_.quote);
    for (char c : value) {
      if (c == format_.quote || c == format_.escape) {
        out.push_back(format_.escape);
      }
      out.push_back(c);
    }
    out.push_back(format_.quote);
    return;
  }
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c == format_.delimiter) {
          out.push_back('\\');
        }
        out.push_back(c);
    }
  }
}

Result<QueryResult> CopyToStdout(QueryResult rows, const CopyFormat& format) {
  if (format.kind == Kind::kParquet) {
    return Status::NotSupported(
        "COPY ... TO STDOUT in Parquet format is not supported; copy to "
        "a file instead");
  }
  auto data_columns = static_cast<int64_t>(rows.columns().size());
  bool has_header = format.header && format.kind != Kind::kJson;
  return QueryResult::CopyOut(data_columns, has_header,
                              std::make_unique<CopyLinesStream>(std::move(rows), format));
}

Result<int64_t> CopyToFile(QueryResult& rows, const CopyFormat& format,
                           io::FileSystemRegistry& file_systems, const std::string& path,
                           MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system, file_systems.Resolve(path));
  Result<std::unique_ptr<io::OutputStream>> opened = file_system->OpenOutputStream(path);
  if (!opened.ok()) {
    return Status(opened.status().code(), fmt::format("could not open file \"{}\" for writing: {}",
                                                      path, opened.status().message()))
        .WithSqlState("58030");
  }
  std::unique_ptr<io::OutputStream> stream = std::move(*opened);
  if (format.kind == Kind::kParquet) {
    return CopyRowsAsParquet(rows, format, std::move(stream), tracker);
  }
  Result<int64_t> count = CopyRowsAsText(rows, format, *stream);
  Status status = count.status();
  if (status.ok()) {
    status = stream->Close();
  }
  if (!status.ok()) {
    (void)stream->Abort();
    return status;
  }
  return count;
}

}  // namespace floe::sql::engine
