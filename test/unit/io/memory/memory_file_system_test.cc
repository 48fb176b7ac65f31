#include "io/memory/memory_file_system.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace floe::io {
namespace {

TEST(MemoryFileSystemTest, SchemeIsOptional) {
  MemoryFileSystem file_system;
  ASSERT_TRUE(file_system.CreateExclusive("memory://warehouse/t/v1.json", "1").ok());
  EXPECT_EQ(file_system.ReadAll("warehouse/t/v1.json").ValueOr("?"), "1");
  EXPECT_EQ(file_system.CreateExclusive("warehouse/t/v1.json", "2").code(),
            StatusCode::kAlreadyExists);
}

TEST(MemoryFileSystemTest, ListAnswersInTheFormOfThePrefix) {
  MemoryFileSystem file_system;
  ASSERT_TRUE(file_system.CreateExclusive("w/a", "1").ok());
  ASSERT_TRUE(file_system.CreateExclusive("w/b", "22").ok());
  auto with_scheme = file_system.List("memory://w/");
  ASSERT_TRUE(with_scheme.ok());
  ASSERT_EQ(with_scheme->size(), 2u);
  EXPECT_EQ((*with_scheme)[0].path, "memory://w/a");
  EXPECT_EQ((*with_scheme)[1].path, "memory://w/b");
  EXPECT_EQ((*with_scheme)[1].size, 2);
  auto plain = file_system.List("w");
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->size(), 2u);
  EXPECT_EQ((*plain)[0].path, "w/a");
}

TEST(MemoryFileSystemTest, RejectsOtherSchemes) {
  MemoryFileSystem file_system;
  Status status = file_system.CreateExclusive("s3://bucket/key", "1");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "memory file system cannot access s3://bucket/key");
}

TEST(MemoryFileSystemTest, ReaderKeepsTheVersionItOpened) {
  MemoryFileSystem file_system;
  ASSERT_TRUE(file_system.CreateExclusive("k", "old").ok());
  auto file = file_system.OpenInputFile("k");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file_system.Delete("k").ok());
  ASSERT_TRUE(file_system.CreateExclusive("k", "newer").ok());
  EXPECT_EQ((*file)->Size(), 3);
  EXPECT_EQ((*file)->ReadAt(0, 3).ValueOr("?"), "old");
  EXPECT_EQ(file_system.ReadAll("k").ValueOr("?"), "newer");
}

TEST(MemoryFileSystemTest, StreamsAndFilesOutliveTheFileSystem) {
  auto file_system = std::make_unique<MemoryFileSystem>();
  ASSERT_TRUE(file_system->CreateExclusive("k", "kept").ok());
  auto file = file_system->OpenInputFile("k");
  auto stream = file_system->OpenOutputStream("late");
  ASSERT_TRUE(file.ok() && stream.ok());
  file_system.reset();
  EXPECT_EQ((*file)->ReadAt(0, 4).ValueOr("?"), "kept");
  EXPECT_TRUE((*stream)->Write(AsBytes("x")).ok());
  EXPECT_TRUE((*stream)->Close().ok());
}

TEST(MemoryFileSystemTest, InstancesAreIndependent) {
  MemoryFileSystem first;
  MemoryFileSystem second;
  ASSERT_TRUE(first.CreateExclusive("k", "1").ok());
  EXPECT_FALSE(second.Exists("k").ValueOr(true));
}

}  // namespace
}  // namespace floe::io
