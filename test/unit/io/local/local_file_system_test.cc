#include "io/local/local_file_system.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

namespace floe::io {
namespace {

class LocalFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "floe-local-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }

  std::string PathOf(std::string_view name) const { return root_ + "/" + std::string(name); }

  // Returns every entry on disk under the root, hidden ones included.
  std::vector<std::string> EntriesOnDisk() const {
    std::vector<std::string> entries;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
      entries.push_back(std::filesystem::relative(entry.path(), root_).string());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
  }

  std::string root_;
  LocalFileSystem file_system_;
};

TEST_F(LocalFileSystemTest, FileUrisNameTheSameFilesAsPlainPaths) {
  ASSERT_TRUE(file_system_.CreateExclusive("file://" + PathOf("a/uri"), "1").ok());
  EXPECT_EQ(file_system_.ReadAll(PathOf("a/uri")).ValueOr("?"), "1");
  EXPECT_EQ(file_system_.ReadAll("file:" + PathOf("a/uri")).ValueOr("?"), "1");
  EXPECT_EQ(file_system_.ReadAll("file://localhost" + PathOf("a/uri")).ValueOr("?"), "1");
  EXPECT_EQ(file_system_.ReadAll("FILE://" + PathOf("a/uri")).ValueOr("?"), "1");
}

TEST_F(LocalFileSystemTest, ListAnswersInTheFormOfThePrefix) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("t/m/v1.json"), "1").ok());
  auto infos = file_system_.List("file://" + PathOf("t/"));
  ASSERT_TRUE(infos.ok()) << infos.status().ToString();
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ((*infos)[0].path, "file://" + PathOf("t/m/v1.json"));
  auto stat = file_system_.Stat("file:" + PathOf("t/m/v1.json"));
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->path, "file:" + PathOf("t/m/v1.json"));
}

TEST_F(LocalFileSystemTest, RejectsLocationsItCannotServe) {
  EXPECT_EQ(file_system_.ReadAll("file://elsewhere" + PathOf("x")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(file_system_.ReadAll("file:relative").status().code(), StatusCode::kInvalidArgument);
  Status status = file_system_.ReadAll("s3://bucket/key").status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "local file system cannot access s3://bucket/key");
}

TEST_F(LocalFileSystemTest, MissingFileErrorNamesPathAndSystemError) {
  Status status = file_system_.OpenInputFile(PathOf("nope")).status();
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "cannot open " + PathOf("nope") + ": No such file or directory");
}

TEST_F(LocalFileSystemTest, WritingCreatesParentDirectories) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("x/y/z/file"), "deep").ok());
  EXPECT_TRUE(std::filesystem::is_directory(PathOf("x/y/z")));
  EXPECT_EQ(EntriesOnDisk(), (std::vector<std::string>{"x", "x/y", "x/y/z", "x/y/z/file"}));
}

TEST_F(LocalFileSystemTest, NoTemporaryFileRemainsAfterCloseAbortOrLostRace) {
  auto closed = file_system_.OpenOutputStream(PathOf("closed"));
  auto aborted = file_system_.OpenOutputStream(PathOf("aborted"));
  ASSERT_TRUE(closed.ok() && aborted.ok());
  ASSERT_TRUE((*closed)->Write(AsBytes("c")).ok());
  ASSERT_TRUE((*aborted)->Write(AsBytes("a")).ok());
  EXPECT_EQ(EntriesOnDisk().size(), 2u);  // The two hidden staging files.
  EXPECT_TRUE(file_system_.List(PathOf("")).ValueOr({FileInfo{}}).empty());
  ASSERT_TRUE((*closed)->Close().ok());
  ASSERT_TRUE((*aborted)->Abort().ok());
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("exclusive"), "1").ok());
  EXPECT_FALSE(file_system_.CreateExclusive(PathOf("exclusive"), "2").ok());
  EXPECT_EQ(EntriesOnDisk(), (std::vector<std::string>{"closed", "exclusive"}));
}

TEST_F(LocalFileSystemTest, DirectoriesAreNotObjects) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("dir/file"), "1").ok());
  EXPECT_EQ(file_system_.Stat(PathOf("dir")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(file_system_.OpenInputFile(PathOf("dir")).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(file_system_.Exists(PathOf("dir")).ValueOr(true));
  EXPECT_EQ(file_system_.Delete(PathOf("dir")).code(), StatusCode::kIOError);
  EXPECT_TRUE(file_system_.Exists(PathOf("dir/file")).ValueOr(false));
}

TEST_F(LocalFileSystemTest, DeleteFilesTriesEveryPathAndCountsFailures) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("dir/file"), "1").ok());
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("other"), "2").ok());
  std::vector<std::string> paths = {PathOf("dir"), PathOf("missing"), PathOf("other")};
  Status status = file_system_.DeleteFiles(paths);
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_EQ(status.message(), "1 of 3 deletes failed, the first: cannot delete " + PathOf("dir") +
                                  ": Is a directory");
  EXPECT_FALSE(file_system_.Exists(PathOf("other")).ValueOr(true));
}

TEST_F(LocalFileSystemTest, ListFollowsLinksToFilesButNotToDirectories) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("real/file"), "1234").ok());
  std::filesystem::create_symlink(PathOf("real/file"), PathOf("file_link"));
  std::filesystem::create_directory_symlink(PathOf("real"), PathOf("real/loop"));
  std::filesystem::create_symlink(PathOf("gone"), PathOf("dangling"));
  auto infos = file_system_.List(PathOf(""));
  ASSERT_TRUE(infos.ok()) << infos.status().ToString();
  ASSERT_EQ(infos->size(), 2u);
  EXPECT_EQ((*infos)[0].path, PathOf("file_link"));
  EXPECT_EQ((*infos)[0].size, 4);
  EXPECT_EQ((*infos)[1].path, PathOf("real/file"));
}

TEST_F(LocalFileSystemTest, FileThatShrankAfterOpenIsAnErrorNotAShortRead) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("shrinks"), "0123456789").ok());
  auto file = file_system_.OpenInputFile(PathOf("shrinks"));
  ASSERT_TRUE(file.ok());
  std::filesystem::resize_file(PathOf("shrinks"), 4);
  auto bytes = (*file)->ReadAt(2, 6);
  EXPECT_EQ(bytes.status().code(), StatusCode::kIOError);
  EXPECT_EQ(bytes.status().message(),
            "unexpected end of " + PathOf("shrinks") + " at offset 4, wanted 4 more bytes");
}

TEST_F(LocalFileSystemTest, WritingOverAFileInThePathFails) {
  ASSERT_TRUE(file_system_.CreateExclusive(PathOf("plain"), "1").ok());
  EXPECT_EQ(file_system_.CreateExclusive(PathOf("plain/child"), "2").code(), StatusCode::kIOError);
  EXPECT_EQ(file_system_.OpenOutputStream(PathOf("plain/child")).status().code(),
            StatusCode::kIOError);
}

TEST_F(LocalFileSystemTest, NonDurableModeWritesTheSameBytes) {
  LocalFileSystem scratch(LocalFileSystemOptions{.is_durable = false});
  auto stream = scratch.OpenOutputStream(PathOf("spill/run-1"));
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes("spilled")).ok());
  ASSERT_TRUE((*stream)->Close().ok());
  ASSERT_TRUE(scratch.CreateExclusive(PathOf("spill/once"), "x").ok());
  EXPECT_EQ(scratch.ReadAll(PathOf("spill/run-1")).ValueOr("?"), "spilled");
  EXPECT_EQ(scratch.ReadAll(PathOf("spill/once")).ValueOr("?"), "x");
}

}  // namespace
}  // namespace floe::io
