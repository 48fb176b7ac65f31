#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "catalog/metastore.h"

namespace floe::catalog {
namespace {

TEST(OpenMetastoreTest, RedactsPasswordsFromUris) {
  EXPECT_EQ(RedactMetastoreUri("postgresql://floe:s3cret@db:5432/meta"),
            "postgresql://floe:***@db:5432/meta");
  EXPECT_EQ(RedactMetastoreUri("postgres://floe@db/meta?password=s3cret&sslmode=require"),
            "postgres://floe@db/meta?password=***&sslmode=require");
  EXPECT_EQ(RedactMetastoreUri("postgresql://db/meta"), "postgresql://db/meta");
  EXPECT_EQ(RedactMetastoreUri("sqlite:./warehouse/floe.db"), "sqlite:./warehouse/floe.db");
}

TEST(OpenMetastoreTest, RejectsUnknownSchemesWithoutShowingPasswords) {
  Result<std::unique_ptr<Metastore>> opened = OpenMetastore("mysql://floe:s3cret@db/meta");
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(opened.status().message().find("s3cret"), std::string_view::npos);
  EXPECT_EQ(OpenMetastore("sqlite:").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenMetastoreTest, CreatesSqliteFilesAndTheirFolders) {
  std::string pattern = (std::filesystem::temp_directory_path() / "floe-open-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  std::string path = pattern + "/a/b/floe.db";
  {
    Result<std::unique_ptr<Metastore>> opened = OpenMetastore("sqlite:" + path);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_TRUE((*opened)->CheckHealth().ok());
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove_all(pattern);
}

TEST(OpenMetastoreTest, KeepsMemoryDatabasesApart) {
  Result<std::unique_ptr<Metastore>> first = OpenMetastore("sqlite::memory:");
  Result<std::unique_ptr<Metastore>> second = OpenMetastore("sqlite::memory:");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE((*first)->CreateNamespace({"only_here"}, {}).ok());
  EXPECT_TRUE((*first)->NamespaceExists({"only_here"}).ValueOr(false));
  EXPECT_FALSE((*second)->NamespaceExists({"only_here"}).ValueOr(true));
}

TEST(OpenMetastoreTest, ReportsADownServerWithoutItsPassword) {
  // Port 1 on loopback refuses connections: nothing listens there unprivileged.
  Result<std::unique_ptr<Metastore>> opened =
      OpenMetastore("postgresql://floe:hunter2-secret@127.0.0.1:1/meta");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(opened.status().ToString().find("hunter2-secret"), std::string::npos)
      << opened.status().ToString();
}

}  // namespace
}  // namespace floe::catalog
