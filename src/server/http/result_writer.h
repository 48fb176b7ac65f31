#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/http/http_server.h"
#include "server/sql_service.h"
#include "vector/batch.h"

namespace floe::server::http {

class ArrowIpcWriter;

/// How SQL results go out (docs/protocols/http.md).
enum class ResultFormat : uint8_t { kJson, kCsv, kArrow };

inline constexpr std::string_view kArrowStreamMediaType = "application/vnd.apache.arrow.stream";

/// Returns the format a request asks for: the `format` query parameter, else `body_format`
/// (the "format" member of a JSON body, may be null), else the Accept header, else JSON.
/// InvalidArgument for an unknown name (answered with 406).
Result<ResultFormat> ChooseResultFormat(const HttpRequest& request, const std::string* body_format);

/// Returns the Content-Type of `format`.
std::string_view ContentTypeOf(ResultFormat format);

/// Returns `text` as a JSON string literal; invalid UTF-8 is replaced.
std::string JsonString(std::string_view text);

/// Writes rows in one format on a response: Start() sends the head and the column header,
/// Write() each batch, End() the footer. Not thread-safe.
class ResultEncoder {
 public:
  ResultEncoder(HttpResponse& response, ResultFormat format);
  ResultEncoder(const ResultEncoder&) = delete;
  ResultEncoder& operator=(const ResultEncoder&) = delete;
  ~ResultEncoder();

  /// Starts a 200 response and writes what comes before the rows.
  Status Start(const std::vector<ColumnInfo>& columns, const HttpHeaders& headers = {});
  Status Write(const vector::Batch& batch);
  /// Ends the body. An error after the start goes inside the JSON object; CSV and Arrow bodies
  /// end without their last chunk instead, so that the client sees them incomplete.
  /// `json_members` (",\"name\":value...") are added to the JSON object. Returns `status`, or
  /// the error that stopped the writing.
  Status End(std::string_view command_tag, const Status& status,
             std::string_view json_members = {});

  int64_t rows() const { return rows_; }

 private:
  HttpResponse& response_;
  ResultFormat format_;
  std::unique_ptr<ArrowIpcWriter> arrow_;
  int64_t rows_ = 0;
};

/// Streams a statement's result in `format`, pulling the first batch before answering so that
/// an early error gets its own status. Sets `*rows` to the rows written.
Status StreamResult(StatementResult& result, HttpResponse& response, ResultFormat format,
                    int64_t* rows);

}  // namespace floe::server::http
