#include "io/s3/http_client.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include <curl/curl.h>

namespace floe::io {
namespace {

// Idle handles beyond this are closed, bounding the connections one client keeps open.
constexpr size_t kMaxIdleHandles = 64;
// Error bodies are small XML documents; anything larger is cut, never buffered whole.
constexpr size_t kMaxBufferedErrorBody = size_t{1} << 20;

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& character : lower) {
    if (character >= 'A' && character <= 'Z') {
      character = static_cast<char>(character - 'A' + 'a');
    }
  }
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// The state one transfer's callbacks share.
struct Transfer {
  CURL* handle = nullptr;
  std::span<std::byte> body_target;
  HttpResponse* response = nullptr;
};

bool IsSuccess(CURL* handle) {
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return status >= 200 && status < 300;
}

size_t OnBody(char* data, size_t size, size_t count, void* user_data) {
  auto* transfer = static_cast<Transfer*>(user_data);
  size_t length = size * count;
  HttpResponse& response = *transfer->response;
  if (!transfer->body_target.empty() && IsSuccess(transfer->handle)) {
    auto offset = static_cast<size_t>(response.target_bytes);
    size_t fitting = std::min(length, transfer->body_target.size() - offset);
    std::memcpy(transfer->body_target.data() + offset, data, fitting);
    response.target_bytes += static_cast<int64_t>(fitting);
    if (fitting < length) {
      response.did_overflow_target = true;
      return 0;  // Stops the transfer.
    }
    return length;
  }
  if (!transfer->body_target.empty() && response.body.size() + length > kMaxBufferedErrorBody) {
    return length;
  }
  response.body.append(data, length);
  return length;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user_data) {
  auto* transfer = static_cast<Transfer*>(user_data);
  size_t length = size * count;
  std::string_view line(data, length);
  if (line.starts_with("HTTP/")) {
    // A new status line (after "100 Continue" or a redirect) starts a new header block.
    transfer->response->headers.clear();
    return length;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->response->headers.emplace_back(ToLower(Trim(line.substr(0, colon))),
                                             std::string(Trim(line.substr(colon + 1))));
  }
  return length;
}

Status StatusOfCurlError(CURLcode code, const char* error_text, const HttpRequest& request) {
  std::string_view detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::Timeout("{} {} timed out: {}", request.method, request.url, detail);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return Status::Unavailable("{} {} failed: {}", request.method, request.url, detail);
    default:
      return Status::IOError("{} {} failed: {}", request.method, request.url, detail);
  }
}

}  // namespace

std::string_view HttpResponse::Header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) {
      return value;
    }
  }
  return {};
}

class HttpClient::HandlePool {
 public:
  HandlePool(const HandlePool&) = delete;
  HandlePool& operator=(const HandlePool&) = delete;
  HandlePool() = default;
  ~HandlePool() {
    for (CURL* handle : idle_) {
      curl_easy_cleanup(handle);
    }
  }

  CURL* Acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  // Keeps the handle, and with it its open connections, for the next request.
  void Release(CURL* handle) {
    curl_easy_reset(handle);
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(handle);
      return;
    }
    curl_easy_cleanup(handle);
  }

 private:
  std::mutex mutex_;
  std::vector<CURL*> idle_;  // Guarded by mutex_.
};

namespace {

// Returns the header list to send; the caller frees it. Empty "Expect:" and "Content-Type:"
// entries stop libcurl from adding its own.
curl_slist* BuildHeaderList(const HttpRequest& request) {
  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    has_content_type = has_content_type || ToLower(name) == "content-type";
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  list = curl_slist_append(list, "Expect:");
  if (!has_content_type) {
    list = curl_slist_append(list, "Content-Type:");
  }
  return list;
}

void SetMethodAndBody(CURL* handle, const HttpRequest& request) {
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    return;
  }
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method == "PUT" || request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
  }
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options)
    : options_(options), pool_(std::make_unique<HandlePool>()) {
  InitializeCurlOnce();
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) const {
  CURL* handle = pool_->Acquire();
  if (handle == nullptr) {
    return Status::ResourceExhausted("cannot create an HTTP handle for {}", request.url);
  }
  HttpResponse response;
  Transfer transfer{handle, request.body_target, &response};
  char error_text[CURL_ERROR_SIZE] = {};
  curl_slist* headers = BuildHeaderList(request);
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  SetMethodAndBody(handle, request);
  CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  Status error;
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && response.did_overflow_target)) {
    error = StatusOfCurlError(code, error_text, request);
  }
  pool_->Release(handle);
  if (!error.ok()) {
    return error;
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace floe::io
