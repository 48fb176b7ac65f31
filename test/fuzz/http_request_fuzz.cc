// The HTTP server parses whatever arrives on its port: request heads, body framing and chunked
// bodies must fail with a Status on bad input, never crash, and never exceed their limits; so
// must the SQL API's reading of a request: its JSON body, format choice and paging parameters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "server/http/http_request.h"
#include "server/http/result_writer.h"
#include "server/http/sql_request.h"

namespace http = floe::server::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  http::HttpLimits limits;
  limits.max_head_bytes = 4096;
  limits.max_body_bytes = 4096;
  limits.max_headers = 32;
  size_t head_end = input.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    size_t consumed = 0;
    floe::Result<std::optional<std::string>> body =
        http::DecodeChunkedBody(input, limits, &consumed);
    if (body.ok() && body->has_value()) {
      FLOE_CHECK((*body)->size() <= limits.max_body_bytes);
      FLOE_CHECK(consumed <= input.size());
    }
    return 0;
  }
  floe::Result<http::HttpRequest> request =
      http::ParseRequestHead(input.substr(0, head_end), limits);
  if (!request.ok()) {
    int status = http::HttpStatusOfParseError(request.status());
    FLOE_CHECK(status >= 400 && status < 600);
    return 0;
  }
  FLOE_CHECK(request->headers.size() <= limits.max_headers);
  FLOE_CHECK(!request->path.empty());
  (void)request->keep_alive();
  (void)request->QueryParameter("format");
  floe::Result<http::BodyFraming> framing = http::BodyFramingOf(*request, limits);
  if (framing.ok() && framing->is_chunked) {
    size_t consumed = 0;
    std::string_view rest = input.substr(head_end + 4);
    floe::Result<std::optional<std::string>> body =
        http::DecodeChunkedBody(rest, limits, &consumed);
    if (body.ok() && body->has_value()) {
      FLOE_CHECK((*body)->size() <= limits.max_body_bytes);
      FLOE_CHECK(consumed <= rest.size());
    }
  } else if (framing.ok()) {
    FLOE_CHECK(framing->content_length <= limits.max_body_bytes);
  }
  request->body = std::string(input.substr(head_end + 4));
  floe::Result<http::SqlRequest> sql = http::ParseSqlRequest(*request);
  const std::string* format = sql.ok() && sql->format.has_value() ? &*sql->format : nullptr;
  (void)http::ChooseResultFormat(*request, format);
  for (std::string_view name : {"offset", "limit"}) {
    floe::Result<int64_t> value = http::ParsePagingParameter(*request, name, 0);
    FLOE_CHECK(!value.ok() || *value >= 0);
  }
  return 0;
}
