#include "io/s3/s3_options.h"

#include <gtest/gtest.h>

#include "io/s3/s3_client.h"

namespace floe::io {
namespace {

TEST(S3OptionsTest, ReadsTheAwsVariables) {
  S3Options options = S3Options::FromVariables({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                {"AWS_SESSION_TOKEN", "token"},
                                                {"AWS_DEFAULT_REGION", "eu-west-1"},
                                                {"AWS_REGION", "eu-central-1"},
                                                {"AWS_ENDPOINT_URL", "http://general:9000"},
                                                {"AWS_ENDPOINT_URL_S3", "http://minio:9000/"},
                                                {"OTHER", "x"}});
  EXPECT_EQ(options.access_key_id, "AKID");
  EXPECT_EQ(options.secret_access_key, "secret");
  EXPECT_EQ(options.session_token, "token");
  EXPECT_EQ(options.region, "eu-central-1");
  EXPECT_EQ(options.endpoint, "http://minio:9000/");
  EXPECT_EQ(options.ResolvedEndpoint(), "http://minio:9000");
  EXPECT_TRUE(options.IsPathStyle());
  EXPECT_TRUE(options.Validate().ok());
}

TEST(S3OptionsTest, DefaultsReachAwsWithVirtualHostedAddressing) {
  S3Options options = S3Options::FromVariables({{"AWS_DEFAULT_REGION", "eu-west-1"}});
  EXPECT_EQ(options.region, "eu-west-1");
  EXPECT_EQ(options.ResolvedEndpoint(), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(options.IsPathStyle());
  options.addressing = S3Addressing::kPathStyle;
  EXPECT_TRUE(options.IsPathStyle());
}

TEST(S3OptionsTest, ValidateNamesTheBadSetting) {
  S3Options options;
  options.part_size = 1 << 20;
  EXPECT_EQ(options.Validate().code(), StatusCode::kInvalidArgument);
  options = S3Options();
  options.max_keys_per_list_page = 1001;
  EXPECT_EQ(options.Validate().code(), StatusCode::kInvalidArgument);
  options = S3Options();
  options.endpoint = "ftp://host";
  EXPECT_EQ(options.Validate().code(), StatusCode::kInvalidArgument);
  options = S3Options();
  options.access_key_id = "only-the-id";
  EXPECT_EQ(options.Validate().code(), StatusCode::kInvalidArgument);
}

TEST(S3LocationTest, SplitsBucketAndKeyForEverySchemeSpelling) {
  for (const char* location :
       {"s3://bucket/a/b.parquet", "s3a://bucket/a/b.parquet", "S3N://bucket/a/b.parquet"}) {
    auto parsed = ParseS3Location(location);
    ASSERT_TRUE(parsed.ok()) << location;
    EXPECT_EQ(parsed->bucket, "bucket");
    EXPECT_EQ(parsed->key, "a/b.parquet");
  }
  EXPECT_EQ(ParseS3Location("s3://bucket")->key, "");
  EXPECT_EQ(ParseS3Location("s3://bucket/")->key, "");
  EXPECT_EQ(ParseS3Location("s3:///key").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Location("/local/path").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseS3Location("gs://bucket/key").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::io
