#pragma once

// The behaviour every FileSystem backend promises, as a type-parameterized suite. A test binary
// instantiates it with INSTANTIATE_TYPED_TEST_SUITE_P for its backends. A backend type provides
// file_system(), root() (a fresh, empty location per test, without a trailing '/') and the
// constant kHonoursConditionalCreate (false for servers that ignore If-None-Match).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "io/file_system.h"

namespace floe::io {

template <typename Backend>
class FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(backend_.root().empty()); }

  FileSystem& fs() { return backend_.file_system(); }
  std::string PathOf(std::string_view name) { return backend_.root() + "/" + std::string(name); }

  void Put(std::string_view name, std::string_view bytes) {
    auto stream = fs().OpenOutputStream(PathOf(name));
    ASSERT_TRUE(stream.ok()) << stream.status().ToString();
    ASSERT_TRUE((*stream)->Write(AsBytes(bytes)).ok());
    ASSERT_TRUE((*stream)->Close().ok());
  }

  std::vector<std::string> ListedPaths(std::string_view prefix) {
    std::vector<std::string> paths;
    auto infos = fs().List(prefix);
    EXPECT_TRUE(infos.ok()) << infos.status().ToString();
    if (infos.ok()) {
      for (const FileInfo& info : *infos) {
        paths.push_back(info.path);
      }
    }
    return paths;
  }

  Backend backend_;
};

TYPED_TEST_SUITE_P(FileSystemTest);

TYPED_TEST_P(FileSystemTest, WritesAndReadsBack) {
  std::string path = this->PathOf("table/data.parquet");
  auto stream = this->fs().OpenOutputStream(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ((*stream)->path(), path);
  EXPECT_EQ((*stream)->Tell(), 0);
  ASSERT_TRUE((*stream)->Write(AsBytes("hello ")).ok());
  ASSERT_TRUE((*stream)->Write(AsBytes("world")).ok());
  EXPECT_EQ((*stream)->Tell(), 11);
  ASSERT_TRUE((*stream)->Close().ok());

  auto bytes = this->fs().ReadAll(path);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "hello world");
  auto info = this->fs().Stat(path);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->path, path);
  EXPECT_EQ(info->size, 11);
  EXPECT_EQ(this->fs().Exists(path).ValueOr(false), true);
}

TYPED_TEST_P(FileSystemTest, EmptyObjectHasSizeZero) {
  this->Put("empty", "");
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("empty")).ValueOr("x"), "");
  EXPECT_EQ(this->fs().Stat(this->PathOf("empty"))->size, 0);
}

TYPED_TEST_P(FileSystemTest, StatReportsModificationTimeOfTheWrite) {
  auto before = std::chrono::system_clock::now();
  this->Put("timed", "x");
  auto after = std::chrono::system_clock::now();
  auto info = this->fs().Stat(this->PathOf("timed"));
  ASSERT_TRUE(info.ok());
  // File system clocks may tick coarser than the system clock, hence the second of slack.
  EXPECT_GE(info->modification_time, before - std::chrono::seconds(1));
  EXPECT_LE(info->modification_time, after + std::chrono::seconds(1));
}

TYPED_TEST_P(FileSystemTest, RangedReadsAtTheEdges) {
  this->Put("digits", "0123456789");
  auto file = this->fs().OpenInputFile(this->PathOf("digits"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const RandomAccessFile& reader = **file;
  EXPECT_EQ(reader.path(), this->PathOf("digits"));
  EXPECT_EQ(reader.Size(), 10);
  EXPECT_EQ(reader.ReadAt(0, 1).ValueOr("?"), "0");
  EXPECT_EQ(reader.ReadAt(9, 1).ValueOr("?"), "9");
  EXPECT_EQ(reader.ReadAt(0, 10).ValueOr("?"), "0123456789");
  EXPECT_EQ(reader.ReadAt(3, 4).ValueOr("?"), "3456");
  EXPECT_EQ(reader.ReadAt(0, 0).ValueOr("?"), "");
  EXPECT_EQ(reader.ReadAt(10, 0).ValueOr("?"), "");
}

TYPED_TEST_P(FileSystemTest, ReadsIntoACallerBuffer) {
  this->Put("digits", "0123456789");
  auto file = this->fs().OpenInputFile(this->PathOf("digits"));
  ASSERT_TRUE(file.ok());
  std::vector<std::byte> buffer(4);
  ASSERT_TRUE((*file)->ReadAt(6, buffer).ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buffer.data()), buffer.size()), "6789");
}

TYPED_TEST_P(FileSystemTest, ReadPastTheEndIsAnErrorNamingPathOffsetAndSize) {
  this->Put("digits", "0123456789");
  std::string path = this->PathOf("digits");
  auto file = this->fs().OpenInputFile(path);
  ASSERT_TRUE(file.ok());
  auto read = (*file)->ReadAt(8, 3);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kIOError);
  EXPECT_EQ(read.status().message(),
            "read past the end of " + path + ": offset 8, length 3, size 10");
  EXPECT_EQ((*file)->ReadAt(11, 0).status().code(), StatusCode::kIOError);
  EXPECT_EQ((*file)->ReadAt(-1, 2).status().code(), StatusCode::kIOError);
  EXPECT_EQ((*file)->ReadAt(0, -2).status().code(), StatusCode::kIOError);
  EXPECT_EQ((*file)->ReadAt(INT64_MAX, 2).status().code(), StatusCode::kIOError);
  std::vector<std::byte> buffer(11);
  EXPECT_EQ((*file)->ReadAt(0, buffer).code(), StatusCode::kIOError);
}

// Returns the bytes read at [offset, offset + length) of `path` opened with a recorded `size`,
// or the error of the open or of the read.
inline Result<std::string> ReadWithRecordedSize(FileSystem& file_system, std::string_view path,
                                                int64_t size, int64_t offset, int64_t length) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file,
                        file_system.OpenInputFileOfSize(path, size));
  if (file->Size() != size) {
    return Status::Internal("opened with size {}, reports {}", size, file->Size());
  }
  return file->ReadAt(offset, length);
}

TYPED_TEST_P(FileSystemTest, OpenWithTheRecordedSizeReadsAndAWrongSizeIsCorruption) {
  this->Put("digits", "0123456789");
  std::string path = this->PathOf("digits");
  EXPECT_EQ(ReadWithRecordedSize(this->fs(), path, 10, 3, 4).ValueOr("?"), "3456");
  EXPECT_EQ(this->fs().ReadAllOfSize(path, 10).ValueOr("?"), "0123456789");
  // Larger than the object: reading the end that is not there must not give made-up bytes.
  auto larger = ReadWithRecordedSize(this->fs(), path, 15, 10, 5);
  ASSERT_FALSE(larger.ok());
  EXPECT_EQ(larger.status().code(), StatusCode::kCorruption) << larger.status().ToString();
  EXPECT_NE(larger.status().message().find("file size mismatch"), std::string_view::npos);
  EXPECT_NE(larger.status().message().find(path), std::string_view::npos);
  // Smaller: the bytes asked for exist, but a reader would look for a footer at the wrong end.
  auto smaller = ReadWithRecordedSize(this->fs(), path, 6, 2, 4);
  ASSERT_FALSE(smaller.ok());
  EXPECT_EQ(smaller.status().code(), StatusCode::kCorruption) << smaller.status().ToString();
  EXPECT_EQ(this->fs().ReadAllOfSize(path, 9).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(this->fs().ReadAllOfSize(path, 11).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(this->fs().OpenInputFileOfSize(path, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadWithRecordedSize(this->fs(), this->PathOf("missing"), 10, 0, 1).status().code(),
            StatusCode::kNotFound);
}

TYPED_TEST_P(FileSystemTest, MissingObjectIsNotFound) {
  std::string path = this->PathOf("missing/object");
  EXPECT_EQ(this->fs().OpenInputFile(path).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->fs().ReadAll(path).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->fs().Stat(path).status().code(), StatusCode::kNotFound);
  EXPECT_NE(this->fs().Stat(path).status().message().find(path), std::string_view::npos);
  auto exists = this->fs().Exists(path);
  ASSERT_TRUE(exists.ok());
  EXPECT_FALSE(*exists);
}

TYPED_TEST_P(FileSystemTest, PathsThatCannotNameAnObjectAreRejected) {
  EXPECT_EQ(this->fs().OpenOutputStream(this->PathOf("dir/")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(this->fs().CreateExclusive(this->PathOf("dir/"), "x").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(this->fs().Delete(this->PathOf("dir/")).code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(FileSystemTest, CreateExclusiveTwiceKeepsTheFirstContent) {
  if (!TypeParam::kHonoursConditionalCreate) {
    GTEST_SKIP() << "the server ignores If-None-Match, so CreateExclusive cannot be exclusive";
  }
  std::string path = this->PathOf("metadata/v1.metadata.json");
  ASSERT_TRUE(this->fs().CreateExclusive(path, "first").ok());
  Status second = this->fs().CreateExclusive(path, "second");
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(second.message(), "object already exists at " + path);
  EXPECT_EQ(this->fs().ReadAll(path).ValueOr("?"), "first");
  EXPECT_EQ(this->ListedPaths(this->PathOf("metadata/")), std::vector<std::string>{path});
}

TYPED_TEST_P(FileSystemTest, CreateExclusiveFailsOverAnObjectWrittenByAStream) {
  if (!TypeParam::kHonoursConditionalCreate) {
    GTEST_SKIP() << "the server ignores If-None-Match, so CreateExclusive cannot be exclusive";
  }
  this->Put("v2.json", "streamed");
  EXPECT_EQ(this->fs().CreateExclusive(this->PathOf("v2.json"), "x").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("v2.json")).ValueOr("?"), "streamed");
}

TYPED_TEST_P(FileSystemTest, ExactlyOneOfManyRacingCreateExclusiveWins) {
  if (!TypeParam::kHonoursConditionalCreate) {
    GTEST_SKIP() << "the server ignores If-None-Match, so CreateExclusive cannot be exclusive";
  }
  constexpr int kThreads = 16;
  std::string path = this->PathOf("metadata/v7.metadata.json");
  std::atomic<int> num_winners{0};
  std::atomic<int> num_already_exists{0};
  std::atomic<int> winner{-1};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      Status status = this->fs().CreateExclusive(path, "writer " + std::to_string(thread));
      if (status.ok()) {
        ++num_winners;
        winner = thread;
      } else if (status.code() == StatusCode::kAlreadyExists) {
        ++num_already_exists;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(num_winners.load(), 1);
  EXPECT_EQ(num_already_exists.load(), kThreads - 1);
  EXPECT_EQ(this->fs().ReadAll(path).ValueOr("?"), "writer " + std::to_string(winner.load()));
  EXPECT_EQ(this->ListedPaths(this->PathOf("metadata/")), std::vector<std::string>{path});
}

TYPED_TEST_P(FileSystemTest, AbortedStreamLeavesNothing) {
  std::string path = this->PathOf("aborted/file");
  auto stream = this->fs().OpenOutputStream(path);
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes("partial")).ok());
  ASSERT_TRUE((*stream)->Abort().ok());
  EXPECT_TRUE((*stream)->Abort().ok());
  EXPECT_EQ((*stream)->Write(AsBytes("more")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*stream)->Close().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(this->fs().Exists(path).ValueOr(true));
  EXPECT_TRUE(this->ListedPaths(this->PathOf("")).empty());
}

TYPED_TEST_P(FileSystemTest, StreamDestroyedBeforeCloseLeavesNothing) {
  std::string path = this->PathOf("dropped");
  {
    auto stream = this->fs().OpenOutputStream(path);
    ASSERT_TRUE(stream.ok());
    ASSERT_TRUE((*stream)->Write(AsBytes("partial")).ok());
  }
  EXPECT_FALSE(this->fs().Exists(path).ValueOr(true));
  EXPECT_TRUE(this->ListedPaths(this->PathOf("")).empty());
}

TYPED_TEST_P(FileSystemTest, OpenStreamHidesItsBytesAndTheOldObjectStaysUntilClose) {
  this->Put("table", "old");
  auto stream = this->fs().OpenOutputStream(this->PathOf("table"));
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes("new bytes")).ok());
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("table")).ValueOr("?"), "old");
  EXPECT_EQ(this->ListedPaths(this->PathOf("")), std::vector<std::string>{this->PathOf("table")});
  ASSERT_TRUE((*stream)->Close().ok());
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("table")).ValueOr("?"), "new bytes");
}

TYPED_TEST_P(FileSystemTest, SecondCloseIsANoOpAndWriteAfterCloseFails) {
  auto stream = this->fs().OpenOutputStream(this->PathOf("closed"));
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes("abc")).ok());
  ASSERT_TRUE((*stream)->Close().ok());
  EXPECT_TRUE((*stream)->Close().ok());
  EXPECT_TRUE((*stream)->Abort().ok());
  EXPECT_EQ((*stream)->Write(AsBytes("d")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("closed")).ValueOr("?"), "abc");
}

TYPED_TEST_P(FileSystemTest, ListMatchesAStringPrefixAtAnyDepthInPathOrder) {
  this->Put("b", "1");
  this->Put("a/2", "22");
  this->Put("a/1", "1");
  this->Put("a/sub/deep/x", "4444");
  this->Put("ab", "333");
  this->Put("c/a", "1");

  auto infos = this->fs().List(this->PathOf("a"));
  ASSERT_TRUE(infos.ok()) << infos.status().ToString();
  ASSERT_EQ(infos->size(), 4u);
  EXPECT_EQ((*infos)[0].path, this->PathOf("a/1"));
  EXPECT_EQ((*infos)[1].path, this->PathOf("a/2"));
  EXPECT_EQ((*infos)[2].path, this->PathOf("a/sub/deep/x"));
  EXPECT_EQ((*infos)[3].path, this->PathOf("ab"));
  EXPECT_EQ((*infos)[0].size, 1);
  EXPECT_EQ((*infos)[1].size, 2);
  EXPECT_EQ((*infos)[2].size, 4);
  EXPECT_EQ((*infos)[3].size, 3);

  EXPECT_EQ(this->ListedPaths(this->PathOf("a/")),
            (std::vector<std::string>{this->PathOf("a/1"), this->PathOf("a/2"),
                                      this->PathOf("a/sub/deep/x")}));
  EXPECT_EQ(this->ListedPaths(this->PathOf("a/s")),
            std::vector<std::string>{this->PathOf("a/sub/deep/x")});
  EXPECT_EQ(this->ListedPaths(this->PathOf("")).size(), 6u);
  EXPECT_TRUE(this->ListedPaths(this->PathOf("zzz")).empty());
  EXPECT_TRUE(this->ListedPaths(this->PathOf("nothing/here/")).empty());
}

TYPED_TEST_P(FileSystemTest, DeleteFilesIgnoresMissingObjects) {
  this->Put("x", "1");
  this->Put("y", "2");
  this->Put("z", "3");
  std::vector<std::string> paths = {this->PathOf("x"), this->PathOf("missing"), this->PathOf("y"),
                                    this->PathOf("x")};
  ASSERT_TRUE(this->fs().DeleteFiles(paths).ok());
  EXPECT_EQ(this->ListedPaths(this->PathOf("")), std::vector<std::string>{this->PathOf("z")});
  EXPECT_TRUE(this->fs().DeleteFiles({}).ok());
}

TYPED_TEST_P(FileSystemTest, DeleteRemovesAnObjectAndIgnoresAMissingOne) {
  this->Put("dir/x", "1");
  ASSERT_TRUE(this->fs().Delete(this->PathOf("dir/x")).ok());
  EXPECT_FALSE(this->fs().Exists(this->PathOf("dir/x")).ValueOr(true));
  EXPECT_TRUE(this->fs().Delete(this->PathOf("dir/x")).ok());
  EXPECT_TRUE(this->fs().Delete(this->PathOf("never/there")).ok());
}

TYPED_TEST_P(FileSystemTest, ReaderOpenedBeforeAnOverwriteIsNotCorrupted) {
  this->Put("data", std::string(100, 'a'));
  auto file = this->fs().OpenInputFile(this->PathOf("data"));
  ASSERT_TRUE(file.ok());
  this->Put("data", std::string(100, 'b'));
  // Writers replace objects whole, so an open reader sees one version or the other, never a mix.
  auto bytes = (*file)->ReadAt(0, 100);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(*bytes == std::string(100, 'a') || *bytes == std::string(100, 'b'));
}

TYPED_TEST_P(FileSystemTest, ConcurrentReadsSeeTheRightBytes) {
  constexpr int kSize = 1 << 20;
  std::string content(kSize, '\0');
  for (int index = 0; index < kSize; ++index) {
    content[index] = static_cast<char>((index * 7 + index / 251) & 0xff);
  }
  this->Put("big", content);
  auto file = this->fs().OpenInputFile(this->PathOf("big"));
  ASSERT_TRUE(file.ok());
  std::atomic<int> num_mismatches{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 8; ++thread) {
    threads.emplace_back([&, thread] {
      for (int read = 0; read < 200; ++read) {
        int64_t offset = (thread * 104729 + read * 7919) % (kSize - 4096);
        int64_t length = 1 + (read * 31) % 4096;
        auto bytes = (*file)->ReadAt(offset, length);
        if (!bytes.ok() || *bytes != content.substr(offset, length)) {
          ++num_mismatches;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(num_mismatches.load(), 0);
  EXPECT_EQ(this->fs().ReadAll(this->PathOf("big")).ValueOr(""), content);
}

REGISTER_TYPED_TEST_SUITE_P(
    FileSystemTest, WritesAndReadsBack, EmptyObjectHasSizeZero,
    StatReportsModificationTimeOfTheWrite, RangedReadsAtTheEdges, ReadsIntoACallerBuffer,
    ReadPastTheEndIsAnErrorNamingPathOffsetAndSize,
    OpenWithTheRecordedSizeReadsAndAWrongSizeIsCorruption, MissingObjectIsNotFound,
    PathsThatCannotNameAnObjectAreRejected, CreateExclusiveTwiceKeepsTheFirstContent,
    CreateExclusiveFailsOverAnObjectWrittenByAStream, ExactlyOneOfManyRacingCreateExclusiveWins,
    AbortedStreamLeavesNothing, StreamDestroyedBeforeCloseLeavesNothing,
    OpenStreamHidesItsBytesAndTheOldObjectStaysUntilClose,
    SecondCloseIsANoOpAndWriteAfterCloseFails, ListMatchesAStringPrefixAtAnyDepthInPathOrder,
    DeleteFilesIgnoresMissingObjects, DeleteRemovesAnObjectAndIgnoresAMissingOne,
    ReaderOpenedBeforeAnOverwriteIsNotCorrupted, ConcurrentReadsSeeTheRightBytes);

}  // namespace floe::io
