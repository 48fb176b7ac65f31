#include "io/uri.h"

#include <gtest/gtest.h>

namespace floe::io {
namespace {

TEST(UriTest, SchemeOfNamesTheSchemeInLowerCase) {
  EXPECT_EQ(SchemeOf("s3://bucket/key"), "s3");
  EXPECT_EQ(SchemeOf("S3A://bucket/key"), "s3a");
  EXPECT_EQ(SchemeOf("file:///dir/file"), "file");
  EXPECT_EQ(SchemeOf("file:/dir/file"), "file");
  EXPECT_EQ(SchemeOf("memory://key"), "memory");
  EXPECT_EQ(SchemeOf("x+y.z-w://a"), "x+y.z-w");
}

TEST(UriTest, PathsHaveNoScheme) {
  EXPECT_EQ(SchemeOf("/dir/file"), "");
  EXPECT_EQ(SchemeOf("relative/file"), "");
  EXPECT_EQ(SchemeOf("a:b/c"), "");
  EXPECT_EQ(SchemeOf("1s3://bucket"), "");
  EXPECT_EQ(SchemeOf("://bucket"), "");
  EXPECT_EQ(SchemeOf("dir/s3://x"), "");
  EXPECT_EQ(SchemeOf(""), "");
}

}  // namespace
}  // namespace floe::io
