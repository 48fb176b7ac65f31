#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe::server::http {

/// Limits on what one request may hold.
struct HttpLimits {
  size_t max_head_bytes = 64 * 1024;  // Request line and headers together.
  size_t max_headers = 100;
  size_t max_body_bytes = size_t{16} << 20;  // After de-chunking.
};

/// One parsed HTTP/1.x request (RFC 9112).
struct HttpRequest {
  std::string method{};
  std::string target{};   // As sent: "/api/v1/sql?format=csv".
  std::string path{};     // Percent-decoded path without the query.
  std::string query{};    // Raw query string without '?'.
  int version_minor = 1;  // HTTP/1.0 or HTTP/1.1.
  /// Header names lower-cased, values without surrounding whitespace, in the order sent.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};

  /// Returns the first header named `name` (lower case), or nullptr.
  const std::string* Header(std::string_view name) const;
  /// Returns the percent-decoded value of query parameter `name`.
  std::optional<std::string> QueryParameter(std::string_view name) const;
  /// True when the connection stays open after the response (HTTP/1.1 unless
  /// "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").
  bool keep_alive() const;
};

/// How the body of a request is framed, decided by its head.
struct BodyFraming {
  bool is_chunked = false;
  size_t content_length = 0;
};

/// Parses the request line and header fields in `head` (up to, not including, the empty line).
/// Errors name what is wrong; their codes choose the response: InvalidArgument 400,
/// OutOfRange 431 (too many or too large header fields), ResourceExhausted 413 (a declared
/// body over the limit), NotSupported 501 (a transfer coding other than chunked) or 505 (an
/// HTTP version other than 1.x; the message says "version").
Result<HttpRequest> ParseRequestHead(std::string_view head, const HttpLimits& limits);
/// Returns how the body of `request` is framed; the errors of ParseRequestHead.
Result<BodyFraming> BodyFramingOf(const HttpRequest& request, const HttpLimits& limits);

/// Decodes a chunked body from the start of `data`. Returns nullopt when more bytes are
/// needed; otherwise the body, with `*consumed` set to the bytes it took (trailers included).
Result<std::optional<std::string>> DecodeChunkedBody(std::string_view data,
                                                     const HttpLimits& limits, size_t* consumed);

/// Returns the HTTP status for a parse error (400, 413, 431, 501, 505).
int HttpStatusOfParseError(const Status& status);

/// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt for a bad escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace floe::server::http
