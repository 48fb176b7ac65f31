#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "server/http/http_request.h"
#include "server/net/connection.h"
#include "server/net/tcp_server.h"

namespace floe::server {
class ServerMetrics;
namespace net {
class TlsContext;
}  // namespace net
}  // namespace floe::server

namespace floe::server::http {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Writes one response on a connection: whole (Send) or streamed in chunks (Start, Write,
/// Finish). Not thread-safe.
class HttpResponse {
 public:
  HttpResponse(net::Connection& connection, bool keep_alive, bool is_head,
               std::chrono::milliseconds write_timeout)
      : connection_(connection),
        keep_alive_(keep_alive),
        is_head_(is_head),
        write_timeout_(write_timeout) {}
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;
  ~HttpResponse() = default;

  /// Sends a complete response with Content-Length.
  Status Send(int status, std::string_view content_type, std::string_view body,
              const HttpHeaders& headers = {});
  /// Starts a chunked response; the body follows through Write() and Finish().
  Status Start(int status, std::string_view content_type, const HttpHeaders& headers = {});
  /// Appends to a started response's body; sends a chunk once enough is buffered.
  Status Write(std::string_view data);
  /// Sends what is buffered and the last chunk.
  Status Finish();
  /// Ends a started response without its last chunk and closes the connection, so that the
  /// client sees the body as incomplete.
  void Abort();

  bool is_started() const { return is_started_; }
  bool is_finished() const { return is_finished_; }
  bool keep_alive() const { return keep_alive_; }
  int status() const { return status_; }

 private:
  std::string Head(int status, std::string_view content_type, const HttpHeaders& headers,
                   std::string_view framing) const;
  Status FlushChunk();

  net::Connection& connection_;
  bool keep_alive_;
  bool is_head_;
  std::chrono::milliseconds write_timeout_;
  bool is_started_ = false;
  bool is_finished_ = false;
  int status_ = 0;
  std::string pending_{};
};

/// What a handler knows about the connection a request came on.
struct RequestContext {
  std::string peer{};
  bool is_loopback = false;
  bool is_tls = false;
  /// Lets a handler register how to cancel its work when the server shuts down.
  net::ConnectionControl* control = nullptr;
};

using HttpHandler = std::function<void(const HttpRequest& request, HttpResponse& response,
                                       const RequestContext& context)>;

/// Maps method and path to handlers: exact paths first, then the longest matching prefix
/// ("/v1/" for the Iceberg REST catalog).
class HttpRouter {
 public:
  void Add(std::string method, std::string path, HttpHandler handler);
  void AddPrefix(std::string prefix, HttpHandler handler);
  /// Returns the handler, or nullptr; `*path_exists` tells 405 from 404.
  const HttpHandler* Find(std::string_view method, std::string_view path, bool* path_exists) const;

 private:
  struct Route {
    std::string method{};  // Empty for prefix routes: every method.
    std::string path{};
    bool is_prefix = false;
    HttpHandler handler;
  };
  std::vector<Route> routes_{};
};

/// Sends a JSON error body: {"error": {"code", "sqlstate", "message", ...}} with `status`.
void SendError(HttpResponse& response, int status, const Status& error);

struct HttpServerOptions {
  net::TcpServerOptions tcp{.name = "http", .address = "127.0.0.1", .port = 8181};
  /// HTTPS on every connection when set.
  std::shared_ptr<net::TlsContext> tls{};
  HttpLimits limits;
  /// How long an idle keep-alive connection stays open.
  std::chrono::milliseconds keep_alive_timeout{std::chrono::seconds(60)};
  /// How long a request's head and body may take to arrive once it has begun.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(60)};
};

/// An HTTP/1.1 server (docs/protocols/http.md): keep-alive, chunked requests and responses,
/// size limits and timeouts; a thread per connection. Thread-safe.
class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options, HttpRouter router,
                                                   ServerMetrics& metrics);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  int port() const;
  int active_connections() const;
  void Shutdown(std::chrono::milliseconds grace);

 private:
  HttpServer(HttpServerOptions options, HttpRouter router, ServerMetrics& metrics)
      : options_(std::move(options)), router_(std::move(router)), metrics_(metrics) {}
  void Serve(net::Connection& connection, net::ConnectionControl& control);
  /// Reads one request; nullopt when the client closed or idled out between requests.
  Result<std::optional<HttpRequest>> ReadRequest(net::Connection& connection,
                                                 net::ConnectionControl& control,
                                                 std::string& buffer);

  HttpServerOptions options_;
  HttpRouter router_;
  ServerMetrics& metrics_;
  std::unique_ptr<net::TcpServer> tcp_;
};

}  // namespace floe::server::http
