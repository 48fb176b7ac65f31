#include "server/http/result_writer.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "server/http/arrow_ipc_writer.h"

namespace floe::server::http {
namespace {

using types::TypeId;
using types::Value;

constexpr size_t kFlushBytes = 32 * 1024;

std::string JsonValue(const Value& value) {
  if (value.is_null()) {
    return "null";
  }
  switch (value.type().id()) {
    case TypeId::kBoolean:
      return value.boolean_value() ? "true" : "false";
    case TypeId::kSmallInt:
      return std::to_string(value.smallint_value());
    case TypeId::kInteger:
      return std::to_string(value.integer_value());
    case TypeId::kBigInt:
      return std::to_string(value.bigint_value());
    case TypeId::kReal:
    case TypeId::kDouble: {
      double number =
          value.type().id() == TypeId::kReal ? value.real_value() : value.double_value();
      if (!std::isfinite(number)) {
        return JsonString(value.ToString());
      }
      return value.ToString();
    }
    default:
      return JsonString(value.ToString());
  }
}

std::string CsvField(const std::string& text) {
  bool needs_quotes = text.empty() || text.find_first_of(",\"\r\n") != std::string::npos ||
                      text.front() == ' ' || text.back() == ' ';
  if (!needs_quotes) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

Result<ResultFormat> FormatNamed(std::string_view name) {
  if (name == "json") {
    return ResultFormat::kJson;
  }
  if (name == "csv") {
    return ResultFormat::kCsv;
  }
  if (name == "arrow") {
    return ResultFormat::kArrow;
  }
  return Status::InvalidArgument("unknown format \"{}\": use json, csv or arrow",
                                 name.substr(0, 100));
}

}  // namespace

std::string JsonString(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ResultFormat> ChooseResultFormat(const HttpRequest& request,
                                        const std::string* body_format) {
  if (std::optional<std::string> format = request.QueryParameter("format"); format.has_value()) {
    return FormatNamed(*format);
  }
  if (body_format != nullptr) {
    return FormatNamed(*body_format);
  }
  const std::string* accept = request.Header("accept");
  if (accept == nullptr) {
    return ResultFormat::kJson;
  }
  // The first of the known media types named wins; quality values are not weighed.
  size_t csv = accept->find("text/csv");
  size_t arrow = accept->find(kArrowStreamMediaType);
  if (arrow != std::string::npos && (csv == std::string::npos || arrow < csv)) {
    return ResultFormat::kArrow;
  }
  return csv != std::string::npos ? ResultFormat::kCsv : ResultFormat::kJson;
}

std::string_view ContentTypeOf(ResultFormat format) {
  switch (format) {
    case ResultFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ResultFormat::kArrow:
      return kArrowStreamMediaType;
    case ResultFormat::kJson:
      break;
  }
  return "application/json";
}

ResultEncoder::ResultEncoder(HttpResponse& response, ResultFormat format)
    : response_(response), format_(format) {
  if (format_ == ResultFormat::kArrow) {
    arrow_ = std::make_unique<ArrowIpcWriter>(
        [this](std::string_view bytes) { return response_.Write(bytes); });
  }
}

ResultEncoder::~ResultEncoder() = default;

Status ResultEncoder::Start(const std::vector<ColumnInfo>& columns, const HttpHeaders& headers) {
  HttpHeaders all = headers;
  all.emplace_back("Cache-Control", "no-store");
  FLOE_RETURN_NOT_OK(response_.Start(200, ContentTypeOf(format_), all));
  std::string text;
  switch (format_) {
    case ResultFormat::kArrow:
      return arrow_->WriteSchema(columns);
    case ResultFormat::kCsv:
      for (size_t index = 0; index < columns.size(); ++index) {
        text += index == 0 ? "" : ",";
        text += CsvField(columns[index].name);
      }
      if (!columns.empty()) {
        text += "\r\n";
      }
      break;
    case ResultFormat::kJson:
      text = "{\"columns\":[";
      for (size_t index = 0; index < columns.size(); ++index) {
        const ColumnInfo& column = columns[index];
        text += fmt::format("{}{{\"name\":{},\"type\":{}}}", index == 0 ? "" : ",",
                            JsonString(column.name), JsonString(column.type.ToString()));
      }
      text += "],\"rows\":[";
      break;
  }
  return response_.Write(text);
}

Status ResultEncoder::Write(const vector::Batch& batch) {
  if (format_ == ResultFormat::kArrow) {
    FLOE_RETURN_NOT_OK(arrow_->WriteBatch(batch));
    rows_ += batch.num_rows();
    return Status::OK();
  }
  bool is_csv = format_ == ResultFormat::kCsv;
  std::string text;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    if (!is_csv) {
      text += rows_ == 0 ? "[" : ",[";
    }
    for (int64_t column = 0; column < batch.num_columns(); ++column) {
      const vector::Vector& values = batch.column(column);
      text += column == 0 ? "" : ",";
      if (values.IsNull(row)) {
        text += is_csv ? "" : "null";
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(Value value, values.GetValue(row));
      text += is_csv ? CsvField(value.ToString()) : JsonValue(value);
    }
    text += is_csv ? "\r\n" : "]";
    ++rows_;
    if (text.size() >= kFlushBytes) {
      FLOE_RETURN_NOT_OK(response_.Write(text));
      text.clear();
    }
  }
  return response_.Write(text);
}

Status ResultEncoder::End(std::string_view command_tag, const Status& status,
                          std::string_view json_members) {
  if (format_ != ResultFormat::kJson) {
    if (!status.ok()) {
      response_.Abort();
      return status;
    }
    if (format_ == ResultFormat::kArrow) {
      FLOE_RETURN_NOT_OK(arrow_->WriteEnd());
    }
    FLOE_RETURN_NOT_OK(response_.Finish());
    return status;
  }
  std::string text = fmt::format("],\"command_tag\":{},\"row_count\":{}{}", JsonString(command_tag),
                                 rows_, json_members);
  if (!status.ok()) {
    text += fmt::format(",\"error\":{{\"code\":{},\"sqlstate\":{},\"message\":{}}}",
                        JsonString(StatusCodeName(status.code())), JsonString(status.sql_state()),
                        JsonString(status.message()));
  }
  text += "}\n";
  FLOE_RETURN_NOT_OK(response_.Write(text));
  FLOE_RETURN_NOT_OK(response_.Finish());
  return status;
}

Status StreamResult(StatementResult& result, HttpResponse& response, ResultFormat format,
                    int64_t* rows) {
  FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, result.Next());
  ResultEncoder encoder(response, format);
  FLOE_RETURN_NOT_OK(encoder.Start(result.columns()));
  Status status;
  while (batch.has_value()) {
    status = encoder.Write(*batch);
    if (!status.ok()) {
      break;
    }
    Result<std::optional<vector::Batch>> next = result.Next();
    if (!next.ok()) {
      status = next.status();
      break;
    }
    batch = std::move(next).value();
  }
  *rows = encoder.rows();
  return encoder.End(result.command_tag(), status);
}

}  // namespace floe::server::http
