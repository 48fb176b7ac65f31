#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace floe::io {

/// The parts of an S3 error response that decide what the caller sees.
struct S3ErrorResponse {
  int http_status = 0;
  std::string code;  // "NoSuchKey", "SlowDown"... Empty when the body had none (HEAD).
  std::string message;
  std::string request_id;
};

/// Reads Code, Message and RequestId from an S3 error body (`<Error>...</Error>`); a body that
/// is empty or not such a document leaves them empty. `request_id_header` (x-amz-request-id) is
/// used when the body has none.
S3ErrorResponse ParseS3Error(int http_status, std::string_view body,
                             std::string_view request_id_header);

/// Returns the Status for a failed S3 request on `location` (`action` names it: "GET"):
/// NoSuchKey, NoSuchBucket or 404 → NotFound; AccessDenied, InvalidAccessKeyId,
/// SignatureDoesNotMatch or 403 → PermissionDenied; 412 → AlreadyExists when
/// `is_conditional_create` (If-None-Match lost), else Conflict (the object changed since it was
/// opened); anything else → IOError. Every message names the location, the S3 code and message
/// and the request id.
Status StatusOfS3Error(const S3ErrorResponse& error, std::string_view action,
                       std::string_view location, bool is_conditional_create);

/// Returns whether a request that failed with `error` may succeed when sent again: 5xx, 429,
/// throttling codes, RequestTimeout, and 409 ConditionalRequestConflict.
bool IsRetryableS3Error(const S3ErrorResponse& error);

/// Returns the wait before retry number `retry` (1 for the first) with "full jitter": a uniform
/// draw, taken from `random`, between zero and base * 2^(retry-1) capped at `max_delay`.
std::chrono::milliseconds RetryDelay(int retry, std::chrono::milliseconds base_delay,
                                     std::chrono::milliseconds max_delay, uint64_t random);

}  // namespace floe::io
