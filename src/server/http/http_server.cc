#include "server/http/http_server.h"

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "server/metrics.h"
#include "server/net/tls_context.h"

namespace floe::server::http {
namespace {

constexpr size_t kChunkSize = 64 * 1024;
constexpr size_t kReadSize = 16 * 1024;

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 499:
      return "Client Closed Request";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

}  // namespace

std::string HttpResponse::Head(int status, std::string_view content_type,
                               const HttpHeaders& headers, std::string_view framing) const {
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", status, ReasonPhrase(status));
  if (!content_type.empty()) {
    head += fmt::format("Content-Type: {}\r\n", content_type);
  }
  for (const auto& [name, value] : headers) {
    head += fmt::format("{}: {}\r\n", name, value);
  }
  head += framing;
  head += keep_alive_ ? "" : "Connection: close\r\n";
  head += "\r\n";
  return head;
}

Status HttpResponse::Send(int status, std::string_view content_type, std::string_view body,
                          const HttpHeaders& headers) {
  status_ = status;
  is_started_ = true;
  is_finished_ = true;
  std::string message =
      Head(status, content_type, headers, fmt::format("Content-Length: {}\r\n", body.size()));
  if (!is_head_) {
    message += body;
  }
  return connection_.WriteAll(message, net::DeadlineAfter(write_timeout_));
}

Status HttpResponse::Start(int status, std::string_view content_type, const HttpHeaders& headers) {
  status_ = status;
  is_started_ = true;
  std::string head = Head(status, content_type, headers, "Transfer-Encoding: chunked\r\n");
  return connection_.WriteAll(head, net::DeadlineAfter(write_timeout_));
}

Status HttpResponse::Write(std::string_view data) {
  pending_ += data;
  return pending_.size() >= kChunkSize ? FlushChunk() : Status::OK();
}

Status HttpResponse::FlushChunk() {
  if (pending_.empty() || is_head_) {
    pending_.clear();
    return Status::OK();
  }
  std::string chunk = fmt::format("{:x}\r\n", pending_.size());
  chunk += pending_;
  chunk += "\r\n";
  pending_.clear();
  return connection_.WriteAll(chunk, net::DeadlineAfter(write_timeout_));
}

Status HttpResponse::Finish() {
  FLOE_RETURN_NOT_OK(FlushChunk());
  is_finished_ = true;
  if (is_head_) {
    return Status::OK();
  }
  return connection_.WriteAll("0\r\n\r\n", net::DeadlineAfter(write_timeout_));
}

void HttpResponse::Abort() {
  (void)FlushChunk();
  is_finished_ = true;
  keep_alive_ = false;
  connection_.Shutdown();
}

void HttpRouter::Add(std::string method, std::string path, HttpHandler handler) {
  routes_.push_back({std::move(method), std::move(path), false, std::move(handler)});
}

void HttpRouter::AddPrefix(std::string prefix, HttpHandler handler) {
  routes_.push_back({"", std::move(prefix), true, std::move(handler)});
}

const HttpHandler* HttpRouter::Find(std::string_view method, std::string_view path,
                                    bool* path_exists) const {
  *path_exists = false;
  for (const Route& route : routes_) {
    if (!route.is_prefix && route.path == path) {
      *path_exists = true;
      if (route.method == method || (method == "HEAD" && route.method == "GET")) {
        return &route.handler;
      }
    }
  }
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (route.is_prefix && path.starts_with(route.path) &&
        (best == nullptr || route.path.size() > best->path.size())) {
      best = &route;
    }
  }
  if (best != nullptr) {
    *path_exists = true;
    return &best->handler;
  }
  return nullptr;
}

void SendError(HttpResponse& response, int status, const Status& error) {
  nlohmann::json body;
  body["error"]["code"] = std::string(StatusCodeName(error.code()));
  body["error"]["sqlstate"] = std::string(error.sql_state());
  body["error"]["message"] = std::string(error.message());
  if (error.position() > 0) {
    body["error"]["position"] = error.position();
  }
  if (!error.detail().empty()) {
    body["error"]["detail"] = std::string(error.detail());
  }
  if (!error.hint().empty()) {
    body["error"]["hint"] = std::string(error.hint());
  }
  HttpHeaders headers;
  if (status == 401) {
    headers.emplace_back("WWW-Authenticate", "Basic realm=\"floe\", charset=\"UTF-8\"");
  }
  (void)response.Send(status, "application/json",
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                      headers);
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options, HttpRouter router,
                                                      ServerMetrics& metrics) {
  std::unique_ptr<HttpServer> server(
      new HttpServer(std::move(options), std::move(router), metrics));
  HttpServer* raw = server.get();
  auto handler = [raw](net::Connection& connection, net::ConnectionControl& control) {
    raw->Serve(connection, control);
  };
  auto reject = [](net::Connection& connection) {
    std::string_view response =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Content-Length: 41\r\nConnection: close\r\n\r\n{\"error\":{\"message\":\"too many "
        "clients\"}}";
    (void)connection.WriteAll(response, net::DeadlineAfter(std::chrono::seconds(1)));
  };
  FLOE_ASSIGN_OR_RETURN(server->tcp_,
                        net::TcpServer::Start(server->options_.tcp, std::move(handler), reject));
  return server;
}

HttpServer::~HttpServer() {
  Shutdown(std::chrono::milliseconds(0));
}

int HttpServer::port() const {
  return tcp_->port();
}

int HttpServer::active_connections() const {
  return tcp_->active_connections();
}

void HttpServer::Shutdown(std::chrono::milliseconds grace) {
  if (tcp_ != nullptr) {
    tcp_->Shutdown(grace);
  }
}

Result<std::optional<HttpRequest>> HttpServer::ReadRequest(net::Connection& connection,
                                                           net::ConnectionControl& control,
                                                           std::string& buffer) {
  const HttpLimits& limits = options_.limits;
  char chunk[kReadSize];
  if (buffer.empty()) {
    if (!control.BecomeIdle()) {
      return std::optional<HttpRequest>();
    }
    Result<size_t> read = connection.Read(chunk, net::DeadlineAfter(options_.keep_alive_timeout));
    if (!read.ok() || *read == 0) {
      return std::optional<HttpRequest>();  // Closed or idle: end quietly.
    }
    buffer.append(chunk, *read);
  }
  control.BecomeBusy();
  net::Deadline deadline = net::DeadlineAfter(options_.request_timeout);
  auto read_more = [&]() -> Status {
    FLOE_ASSIGN_OR_RETURN(size_t read, connection.Read(chunk, deadline));
    if (read == 0) {
      return Status::IOError("client closed the connection in the middle of a request");
    }
    buffer.append(chunk, read);
    return Status::OK();
  };
  size_t head_end = 0;
  size_t searched = 0;
  while ((head_end = buffer.find("\r\n\r\n", searched)) == std::string::npos) {
    if (buffer.size() > limits.max_head_bytes) {
      return Status::OutOfRange("request header fields too large: more than {} bytes",
                                limits.max_head_bytes);
    }
    searched = buffer.size() >= 3 ? buffer.size() - 3 : 0;
    FLOE_RETURN_NOT_OK(read_more());
  }
  FLOE_ASSIGN_OR_RETURN(HttpRequest request,
                        ParseRequestHead(std::string_view(buffer).substr(0, head_end), limits));
  FLOE_ASSIGN_OR_RETURN(BodyFraming framing, BodyFramingOf(request, limits));
  size_t body_start = head_end + 4;
  bool has_body = framing.is_chunked || framing.content_length > 0;
  const std::string* expect = request.Header("expect");
  if (has_body && expect != nullptr && *expect == "100-continue" && buffer.size() == body_start) {
    FLOE_RETURN_NOT_OK(connection.WriteAll("HTTP/1.1 100 Continue\r\n\r\n", deadline));
  }
  if (framing.is_chunked) {
    while (true) {
      size_t consumed = 0;
      FLOE_ASSIGN_OR_RETURN(
          std::optional<std::string> body,
          DecodeChunkedBody(std::string_view(buffer).substr(body_start), limits, &consumed));
      if (body.has_value()) {
        request.body = std::move(*body);
        buffer.erase(0, body_start + consumed);
        return std::optional<HttpRequest>(std::move(request));
      }
      FLOE_RETURN_NOT_OK(read_more());
    }
  }
  while (buffer.size() - body_start < framing.content_length) {
    FLOE_RETURN_NOT_OK(read_more());
  }
  request.body = buffer.substr(body_start, framing.content_length);
  buffer.erase(0, body_start + framing.content_length);
  return std::optional<HttpRequest>(std::move(request));
}

void HttpServer::Serve(net::Connection& connection, net::ConnectionControl& control) {
  metrics_.RecordConnection(Protocol::kHttp);
  RequestContext context{
      .peer = connection.peer(), .is_loopback = connection.is_loopback(), .control = &control};
  FLOE_LOG_DEBUG("http connection", {"peer", context.peer});
  if (options_.tls != nullptr) {
    Status handshake =
        connection.StartTls(*options_.tls, net::DeadlineAfter(options_.request_timeout));
    if (!handshake.ok()) {
      FLOE_LOG_INFO("https handshake failed", {"peer", context.peer},
                    {"error", handshake.ToString()});
      return;
    }
    context.is_tls = true;
  }
  std::string buffer;
  while (true) {
    Result<std::optional<HttpRequest>> request = ReadRequest(connection, control, buffer);
    if (!request.ok()) {
      const Status& error = request.status();
      if (error.code() != StatusCode::kIOError) {
        HttpResponse response(connection, false, false, options_.write_timeout);
        int status = error.code() == StatusCode::kTimeout ? 408 : HttpStatusOfParseError(error);
        SendError(response, status, error);
      }
      FLOE_LOG_INFO("http request refused", {"peer", context.peer}, {"error", error.ToString()});
      break;
    }
    if (!request->has_value()) {
      break;
    }
    const HttpRequest& current = **request;
    bool keep_alive = current.keep_alive() && !control.is_draining();
    HttpResponse response(connection, keep_alive, current.method == "HEAD", options_.write_timeout);
    bool path_exists = false;
    const HttpHandler* handler = router_.Find(current.method, current.path, &path_exists);
    if (handler == nullptr) {
      SendError(response, path_exists ? 405 : 404,
                path_exists ? Status::NotSupported("method {} not allowed on {}", current.method,
                                                   current.path)
                            : Status::NotFound("no resource at {}", current.path));
    } else {
      (*handler)(current, response, context);
    }
    if (!response.is_started()) {
      SendError(response, 500, Status::Internal("the handler sent no response"));
    } else if (!response.is_finished()) {
      response.Abort();
    }
    FLOE_LOG_DEBUG("http request", {"peer", context.peer}, {"method", current.method},
                   {"path", current.path}, {"status", response.status()});
    if (!response.keep_alive()) {
      break;
    }
  }
  metrics_.AddBytes(connection.bytes_read(), connection.bytes_written());
}

}  // namespace floe::server::http
