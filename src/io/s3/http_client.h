#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace floe::io {

/// One HTTP request for HttpClient::Send.
struct HttpRequest {
  std::string method;  // "GET", "HEAD", "PUT", "POST", "DELETE".
  std::string url;     // Absolute, already percent-encoded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  /// When not empty, the body of a 2xx response is written here instead of HttpResponse::body.
  /// Once it is full the transfer stops and HttpResponse::did_fill_target says so: a server may
  /// answer a range request with more than was asked for.
  std::span<std::byte> body_target;
};

/// What came back: the status, the headers (names in lower case) and the body.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body, unless it went to HttpRequest::body_target.
  std::string body;
  /// How many bytes went to HttpRequest::body_target.
  int64_t target_bytes = 0;
  /// Whether the body went on past the end of HttpRequest::body_target.
  bool did_overflow_target = false;

  /// Returns the value of the first header named `lower_case_name`, or an empty view.
  std::string_view Header(std::string_view lower_case_name) const;
};

/// Limits of every request an HttpClient sends.
struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  /// The whole request, from connecting to the last body byte.
  std::chrono::milliseconds request_timeout{300'000};
};

/// Sends HTTP/1.1 requests over plain or TLS connections that are kept alive and reused.
///
/// The only code that talks to libcurl. Idle connection handles wait in a pool for the next
/// request, so consecutive requests to one host reuse a connection and its TLS session.
/// Thread-safe: concurrent Send calls use different handles.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  /// Sends `request` and returns any response the server gave, whatever its status. Errors:
  /// Unavailable when no connection could be made or it broke (worth retrying), Timeout when a
  /// limit passed, IOError for anything else (the libcurl error text is included).
  Result<HttpResponse> Send(const HttpRequest& request) const;

 private:
  class HandlePool;

  const HttpClientOptions options_;
  std::unique_ptr<HandlePool> pool_;
};

}  // namespace floe::io
