#include "io/s3/s3_error.h"

#include <algorithm>

#include "common/result.h"
#include "io/s3/xml_reader.h"

namespace floe::io {
namespace {

bool IsOneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string Describe(const S3ErrorResponse& error) {
  std::string description = fmt::format("HTTP {}", error.http_status);
  if (!error.code.empty()) {
    description += " " + error.code;
  }
  if (!error.message.empty()) {
    description += ": " + error.message;
  }
  if (!error.request_id.empty()) {
    description += " (request id " + error.request_id + ")";
  }
  return description;
}

}  // namespace

S3ErrorResponse ParseS3Error(int http_status, std::string_view body,
                             std::string_view request_id_header) {
  S3ErrorResponse error;
  error.http_status = http_status;
  error.request_id = std::string(request_id_header);
  Result<XmlElement> document = ParseXml(body);
  if (document.ok() && document->name == "Error") {
    error.code = std::string(document->ChildText("Code"));
    error.message = std::string(document->ChildText("Message"));
    if (std::string_view id = document->ChildText("RequestId"); !id.empty()) {
      error.request_id = std::string(id);
    }
  }
  return error;
}

Status StatusOfS3Error(const S3ErrorResponse& error, std::string_view action,
                       std::string_view location, bool is_conditional_create) {
  std::string description = Describe(error);
  if (IsOneOf(error.code, {"NoSuchKey", "NoSuchBucket", "NoSuchUpload"}) ||
      (error.code.empty() && error.http_status == 404)) {
    return Status::NotFound("no object at {}: {}", location, description);
  }
  if (IsOneOf(error.code, {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                           "AllAccessDisabled", "ExpiredToken", "InvalidToken"}) ||
      error.http_status == 403) {
    return Status::PermissionDenied("S3 {} of {} denied: {}", action, location, description);
  }
  if (error.http_status == 412 || error.code == "PreconditionFailed") {
    if (is_conditional_create) {
      return Status::AlreadyExists("object already exists at {}", location);
    }
    return Status::Conflict("object at {} changed since it was opened: {}", location, description);
  }
  return Status::IOError("S3 {} of {} failed: {}", action, location, description);
}

bool IsRetryableS3Error(const S3ErrorResponse& error) {
  if (error.http_status >= 500 || error.http_status == 429) {
    return true;
  }
  return IsOneOf(error.code, {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout",
                              "RequestThrottled", "TooManyRequestsException",
                              "ConditionalRequestConflict", "InternalError"});
}

std::chrono::milliseconds RetryDelay(int retry, std::chrono::milliseconds base_delay,
                                     std::chrono::milliseconds max_delay, uint64_t random) {
  int64_t ceiling = base_delay.count();
  for (int step = 1; step < retry && ceiling < max_delay.count(); ++step) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, max_delay.count());
  if (ceiling <= 0) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::milliseconds(
      static_cast<int64_t>(random % static_cast<uint64_t>(ceiling + 1)));
}

}  // namespace floe::io
