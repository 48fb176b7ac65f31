#include "io/s3/s3_client.h"

#include <random>
#include <thread>

#include "common/logging.h"
#include "io/s3/s3_error.h"
#include "io/uri.h"

namespace floe::io {
namespace {

uint64_t NextRandom() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator();
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string text;
  for (const auto& [name, value] : query) {
    text += text.empty() ? "?" : "&";
    text += UriEncode(name, false) + "=" + UriEncode(value, false);
  }
  return text;
}

}  // namespace

Result<S3Location> ParseS3Location(std::string_view location) {
  std::string scheme = SchemeOf(location);
  if (scheme != "s3" && scheme != "s3a" && scheme != "s3n") {
    return Status::InvalidArgument("not an S3 location: {}", location);
  }
  std::string_view rest = location.substr(scheme.size() + 3);
  size_t slash = rest.find('/');
  S3Location parsed;
  parsed.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    parsed.key = std::string(rest.substr(slash + 1));
  }
  if (parsed.bucket.empty()) {
    return Status::InvalidArgument("S3 location has no bucket: {}", location);
  }
  return parsed;
}

S3Client::S3Client(S3Options options)
    : options_(std::move(options)),
      signer_(AwsCredentials{options_.access_key_id, options_.secret_access_key,
                             options_.session_token},
              options_.region),
      http_(HttpClientOptions{options_.connect_timeout, options_.request_timeout}) {
  std::string endpoint = options_.ResolvedEndpoint();
  size_t separator = endpoint.find("://");
  endpoint_scheme_ = endpoint.substr(0, separator);
  std::string_view authority = std::string_view(endpoint).substr(separator + 3);
  endpoint_host_ = std::string(authority.substr(0, authority.find('/')));
}

HttpRequest S3Client::BuildHttpRequest(const S3Request& request) const {
  std::string host = endpoint_host_;
  std::string path = "/" + UriEncode(request.key, /*keep_slash=*/true);
  if (options_.IsPathStyle()) {
    path = "/" + UriEncode(request.bucket, false) + (request.key.empty() ? "" : path);
  } else {
    host = request.bucket + "." + host;
  }
  SigningRequest signing{request.method, path, request.query, request.headers,
                         Sha256Hex(request.body)};
  signing.headers.emplace_back("Host", host);
  if (!options_.access_key_id.empty()) {
    signer_.Sign(signing, std::chrono::system_clock::now());
  }
  HttpRequest http{request.method,
                   endpoint_scheme_ + "://" + host + path + QueryString(request.query),
                   std::move(signing.headers), request.body, request.body_target};
  return http;
}

Result<HttpResponse> S3Client::SendOnce(const S3Request& request, std::string_view location,
                                        bool* is_retryable) const {
  Result<HttpResponse> response = http_.Send(BuildHttpRequest(request));
  if (!response.ok()) {
    StatusCode code = response.status().code();
    *is_retryable = code == StatusCode::kUnavailable || code == StatusCode::kTimeout;
    return response;
  }
  if (response->status >= 200 && response->status < 300) {
    return response;
  }
  S3ErrorResponse error =
      ParseS3Error(response->status, response->body, response->Header("x-amz-request-id"));
  *is_retryable = IsRetryableS3Error(error);
  return StatusOfS3Error(error, request.method, location, request.is_conditional_create);
}

Result<HttpResponse> S3Client::Send(const S3Request& request, std::string_view location) const {
  auto start = std::chrono::steady_clock::now();
  for (int retry = 1;; ++retry) {
    bool is_retryable = false;
    Result<HttpResponse> response = SendOnce(request, location, &is_retryable);
    if (response.ok() || !is_retryable || retry > options_.max_retries) {
      return response;
    }
    auto delay =
        RetryDelay(retry, options_.retry_base_delay, options_.retry_max_delay, NextRandom());
    if (std::chrono::steady_clock::now() + delay - start > options_.retry_total_time) {
      return response;
    }
    FLOE_LOG_DEBUG("retrying S3 request", {"location", location},
                   {"error", response.status().ToString()}, {"retry", retry});
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace floe::io
