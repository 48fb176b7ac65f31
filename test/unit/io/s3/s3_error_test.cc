#include "io/s3/s3_error.h"

#include <gtest/gtest.h>

namespace floe::io {
namespace {

constexpr const char* kNoSuchKey =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
    "<Message>The resource you requested does not exist</Message>"
    "<Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>";

TEST(S3ErrorTest, ParsesCodeMessageAndRequestId) {
  S3ErrorResponse error = ParseS3Error(404, kNoSuchKey, "header-id");
  EXPECT_EQ(error.http_status, 404);
  EXPECT_EQ(error.code, "NoSuchKey");
  EXPECT_EQ(error.message, "The resource you requested does not exist");
  EXPECT_EQ(error.request_id, "4442587FB7D0A2F9");
  S3ErrorResponse bodiless = ParseS3Error(403, "", "header-id");
  EXPECT_EQ(bodiless.code, "");
  EXPECT_EQ(bodiless.request_id, "header-id");
  EXPECT_EQ(ParseS3Error(500, "<html>oops", "").code, "");
}

TEST(S3ErrorTest, MapsCodesToStatus) {
  Status not_found = StatusOfS3Error(ParseS3Error(404, kNoSuchKey, ""), "GET", "s3://b/k", false);
  EXPECT_EQ(not_found.code(), StatusCode::kNotFound);
  EXPECT_EQ(not_found.message(),
            "no object at s3://b/k: HTTP 404 NoSuchKey: The resource you requested does not "
            "exist (request id 4442587FB7D0A2F9)");
  EXPECT_EQ(StatusOfS3Error({404, "", "", ""}, "HEAD", "s3://b/k", false).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(StatusOfS3Error({403, "AccessDenied", "Access Denied", "id"}, "GET", "s3://b/k", false)
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusOfS3Error({403, "", "", ""}, "HEAD", "s3://b/k", false).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusOfS3Error({400, "InvalidAccessKeyId", "", ""}, "GET", "s3://b/k", false).code(),
            StatusCode::kPermissionDenied);
  Status exists = StatusOfS3Error({412, "PreconditionFailed", "", ""}, "PUT", "s3://b/k", true);
  EXPECT_EQ(exists.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(exists.message(), "object already exists at s3://b/k");
  EXPECT_EQ(StatusOfS3Error({412, "PreconditionFailed", "", ""}, "GET", "s3://b/k", false).code(),
            StatusCode::kConflict);
  Status other = StatusOfS3Error({503, "SlowDown", "Reduce your request rate.", "RID"}, "PUT",
                                 "s3://b/k", false);
  EXPECT_EQ(other.code(), StatusCode::kIOError);
  EXPECT_EQ(other.message(),
            "S3 PUT of s3://b/k failed: HTTP 503 SlowDown: Reduce your request rate. (request id "
            "RID)");
}

TEST(S3ErrorTest, RetriesServerErrorsAndThrottlingOnly) {
  EXPECT_TRUE(IsRetryableS3Error({500, "InternalError", "", ""}));
  EXPECT_TRUE(IsRetryableS3Error({503, "SlowDown", "", ""}));
  EXPECT_TRUE(IsRetryableS3Error({429, "", "", ""}));
  EXPECT_TRUE(IsRetryableS3Error({400, "RequestTimeout", "", ""}));
  EXPECT_TRUE(IsRetryableS3Error({400, "Throttling", "", ""}));
  EXPECT_TRUE(IsRetryableS3Error({409, "ConditionalRequestConflict", "", ""}));
  EXPECT_FALSE(IsRetryableS3Error({404, "NoSuchKey", "", ""}));
  EXPECT_FALSE(IsRetryableS3Error({403, "AccessDenied", "", ""}));
  EXPECT_FALSE(IsRetryableS3Error({412, "PreconditionFailed", "", ""}));
}

TEST(S3ErrorTest, RetryDelayGrowsExponentiallyWithFullJitterUpToTheCap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(RetryDelay(1, milliseconds(100), milliseconds(10'000), 100), milliseconds(100));
  EXPECT_EQ(RetryDelay(1, milliseconds(100), milliseconds(10'000), 101), milliseconds(0));
  EXPECT_EQ(RetryDelay(3, milliseconds(100), milliseconds(10'000), 400), milliseconds(400));
  EXPECT_EQ(RetryDelay(3, milliseconds(100), milliseconds(10'000), 401), milliseconds(0));
  EXPECT_EQ(RetryDelay(40, milliseconds(100), milliseconds(10'000), 10'000), milliseconds(10'000));
  for (uint64_t random = 0; random < 1000; random += 7) {
    EXPECT_LE(RetryDelay(5, milliseconds(100), milliseconds(1'000), random), milliseconds(1'000));
  }
}

}  // namespace
}  // namespace floe::io
