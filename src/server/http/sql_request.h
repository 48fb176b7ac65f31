#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/http/http_request.h"
#include "types/value.h"

namespace floe::server::http {

/// A POST /api/v1/sql body, checked (docs/protocols/http.md).
struct SqlRequest {
  std::string sql{};
  std::vector<types::Value> parameters{};
  std::optional<int64_t> timeout_ms{};
  std::optional<std::string> format{};
  bool is_async = false;
  bool prefers_async = false;  // Asked for with "Prefer: respond-async".
};

/// Reads the JSON body and the Prefer header of a POST /api/v1/sql request. SyntaxError when
/// the body is not a JSON object, InvalidArgument or OutOfRange for members of the wrong type.
Result<SqlRequest> ParseSqlRequest(const HttpRequest& request);

/// Returns query parameter `name` as a non-negative integer, `default_value` when absent, and
/// INT64_MAX for numbers too large to hold; InvalidArgument for anything else.
Result<int64_t> ParsePagingParameter(const HttpRequest& request, std::string_view name,
                                     int64_t default_value);

}  // namespace floe::server::http
