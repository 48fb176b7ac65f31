#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace floe::io {

/// How a bucket appears in request URLs.
enum class S3Addressing {
  /// Path style for a custom endpoint (MinIO, s3rver...), virtual-hosted for AWS.
  kAuto,
  /// "https://endpoint/bucket/key".
  kPathStyle,
  /// "https://bucket.endpoint/key".
  kVirtualHosted,
};

/// Everything an S3FileSystem needs to reach a bucket. The defaults reach AWS in us-east-1.
struct S3Options {
  /// "http(s)://host[:port]"; empty for AWS: "https://s3.<region>.amazonaws.com".
  std::string endpoint;
  std::string region = "us-east-1";
  /// Empty for anonymous access (requests are then not signed).
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  S3Addressing addressing = S3Addressing::kAuto;

  std::chrono::milliseconds connect_timeout{10'000};
  /// One request, from connecting to the last byte; a part upload must fit in it.
  std::chrono::milliseconds request_timeout{300'000};
  /// Retries after the first attempt of a request that failed in a way worth retrying.
  int max_retries = 5;
  /// The first retry waits up to this long; each further one up to twice as long.
  std::chrono::milliseconds retry_base_delay{100};
  /// No single wait is longer.
  std::chrono::milliseconds retry_max_delay{10'000};
  /// No request is retried once this much time has passed since its first attempt.
  std::chrono::milliseconds retry_total_time{60'000};

  /// Writes buffer this many bytes before they start a multipart upload, and upload parts of
  /// this size; objects that end smaller go up in one PUT. At least 5 MiB (the S3 minimum).
  int64_t part_size = int64_t{8} << 20;
  /// Keys asked for per ListObjectsV2 page (1 to 1000); smaller only to test pagination.
  int max_keys_per_list_page = 1000;

  /// Returns the options named by AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
  /// AWS_REGION (else AWS_DEFAULT_REGION), AWS_ENDPOINT_URL_S3 (else AWS_ENDPOINT_URL) in
  /// `variables`; the rest keep their defaults.
  static S3Options FromVariables(const std::vector<std::pair<std::string, std::string>>& variables);
  /// Returns FromVariables of the process environment.
  static S3Options FromEnvironment();

  /// Returns the endpoint requests go to (the AWS one when `endpoint` is empty).
  std::string ResolvedEndpoint() const;
  /// Returns whether URLs name the bucket in the path.
  bool IsPathStyle() const;
  /// Returns InvalidArgument naming the first setting out of range.
  Status Validate() const;
};

}  // namespace floe::io
