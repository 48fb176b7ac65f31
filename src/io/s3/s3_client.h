#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "io/s3/http_client.h"
#include "io/s3/s3_options.h"
#include "io/s3/sigv4.h"

namespace floe::io {

/// A bucket and key named by "s3://bucket/key" (or "s3a://", "s3n://").
struct S3Location {
  std::string bucket;
  std::string key;  // Empty for the bucket itself.
};

/// Splits `location`; InvalidArgument for another scheme or a missing bucket name.
Result<S3Location> ParseS3Location(std::string_view location);

/// One S3 REST request, before addressing and signing.
struct S3Request {
  S3Request(std::string method, std::string bucket, std::string key,
            std::vector<std::pair<std::string, std::string>> query = {})
      : method(std::move(method)),
        bucket(std::move(bucket)),
        key(std::move(key)),
        query(std::move(query)) {}

  std::string method;
  std::string bucket;
  std::string key;
  std::vector<std::pair<std::string, std::string>> query;  // Decoded.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  std::span<std::byte> body_target;  // See HttpRequest::body_target.
  /// Whether a 412 answer means that the object already exists (If-None-Match: *).
  bool is_conditional_create = false;
};

/// Sends signed S3 requests with retries.
///
/// Each attempt is signed afresh. Connection failures, timeouts, 5xx, 429 and throttling codes
/// are retried up to S3Options::max_retries times with jittered exponential backoff, within
/// S3Options::retry_total_time. Thread-safe.
class S3Client {
 public:
  explicit S3Client(S3Options options);

  /// Returns the 2xx response to `request`; errors as StatusOfS3Error describes, naming
  /// `location`, or the HttpClient error of the last attempt.
  Result<HttpResponse> Send(const S3Request& request, std::string_view location) const;

  const S3Options& options() const { return options_; }

 private:
  HttpRequest BuildHttpRequest(const S3Request& request) const;
  Result<HttpResponse> SendOnce(const S3Request& request, std::string_view location,
                                bool* is_retryable) const;

  const S3Options options_;
  std::string endpoint_scheme_;  // "http" or "https".
  std::string endpoint_host_;    // "host[:port]".
  const SigV4Signer signer_;
  const HttpClient http_;
};

}  // namespace floe::io
