#include <string>

#include <gtest/gtest.h>

#include "io/memory/memory_file_system.h"
#include "table/table.h"

namespace floe::table {
namespace {

// Which metadata file a table folder's newest is; the files need not parse for that.
class TableLocationTest : public ::testing::Test {
 protected:
  void Put(const std::string& name, const std::string& bytes = "{}") {
    ASSERT_TRUE(files_.CreateExclusive("memory://t/metadata/" + name, bytes).ok()) << name;
  }
  Result<std::string> Latest() { return FindLatestMetadataFile(files_, "memory://t/"); }

  io::MemoryFileSystem files_;
};

TEST_F(TableLocationTest, HighestVersionWinsAndTiesGoToTheLastName) {
  EXPECT_EQ(Latest().status().code(), StatusCode::kNotFound);
  Put("v1.metadata.json");
  Put("00002-aaa.metadata.json");
  Put("00002-bbb.metadata.json");
  // Only the folder's own files count.
  Put("old/v9.metadata.json");
  ASSERT_TRUE(Latest().ok()) << Latest().status().ToString();
  EXPECT_EQ(*Latest(), "memory://t/metadata/00002-bbb.metadata.json");
  Put("v2.gz.metadata.json");
  EXPECT_EQ(*Latest(), "memory://t/metadata/v2.gz.metadata.json");
}

TEST_F(TableLocationTest, VersionHintNamesAVersionOrAFile) {
  Put("v1.metadata.json");
  Put("00003-aaa.metadata.json");
  Put("00003-bbb.metadata.json");
  Put("version-hint.text", "1\n");
  EXPECT_EQ(*Latest(), "memory://t/metadata/v1.metadata.json");
  ASSERT_TRUE(files_.Delete("memory://t/metadata/version-hint.text").ok());
  Put("version-hint.text", "3");
  EXPECT_EQ(*Latest(), "memory://t/metadata/00003-bbb.metadata.json");
  ASSERT_TRUE(files_.Delete("memory://t/metadata/version-hint.text").ok());
  Put("version-hint.text", "00003-aaa");
  EXPECT_EQ(*Latest(), "memory://t/metadata/00003-aaa.metadata.json");
  ASSERT_TRUE(files_.Delete("memory://t/metadata/version-hint.text").ok());
  Put("version-hint.text", "00003-aaa.metadata.json");
  EXPECT_EQ(*Latest(), "memory://t/metadata/00003-aaa.metadata.json");
}

TEST_F(TableLocationTest, VersionHintThatNamesNothingIsAnError) {
  Put("v1.metadata.json");
  Put("version-hint.text", "2");
  EXPECT_EQ(Latest().status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(files_.Delete("memory://t/metadata/version-hint.text").ok());
  Put("version-hint.text", "v7.metadata.json");
  EXPECT_EQ(Latest().status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(files_.Delete("memory://t/metadata/version-hint.text").ok());
  Put("version-hint.text", " \n");
  EXPECT_EQ(Latest().status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::table
