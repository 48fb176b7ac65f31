#include "sql/execution/spill_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace floe::sql::execution {
namespace {

std::filesystem::path FreshDirectory(const std::string& name) {
  // Named by process: test binaries of several builds may run at once.
  std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / (name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  return path;
}

bool IsEmptyFolder(const std::filesystem::path& path) {
  return std::filesystem::is_directory(path) && std::filesystem::is_empty(path);
}

TEST(SpillDirectoryTest, WritesReadsAndRemovesEverything) {
  std::filesystem::path temp = FreshDirectory("spill_round_trip");
  {
    SpillDirectory directory(temp.string());
    auto writer = directory.CreateFile();
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    // More than one buffer, so flushing and refilling both run.
    for (int64_t i = 0; i < 50'000; ++i) {
      ASSERT_TRUE((*writer)->AppendValue(i).ok());
    }
    std::string text(200'000, 'x');
    ASSERT_TRUE((*writer)->Append(text.data(), text.size()).ok());
    auto file = (*writer)->Finish();
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_EQ(file->size(), 50'000 * 8 + 200'000);
    EXPECT_EQ(directory.counters().bytes.load(), file->size());
    EXPECT_EQ(directory.counters().files.load(), 1);
    auto reader = SpillReader::Open(*file);
    ASSERT_TRUE(reader.ok());
    for (int64_t i = 0; i < 50'000; ++i) {
      int64_t value = -1;
      ASSERT_TRUE((*reader)->ReadValue(value).ok());
      ASSERT_EQ(value, i);
    }
    std::string back(text.size(), ' ');
    ASSERT_TRUE((*reader)->Read(back.data(), back.size()).ok());
    EXPECT_EQ(back, text);
    EXPECT_TRUE((*reader)->AtEnd());
    int64_t past_end = 0;
    EXPECT_EQ((*reader)->ReadValue(past_end).code(), StatusCode::kCorruption);
    EXPECT_FALSE(IsEmptyFolder(temp));
  }
  // The query's folder is gone; the temp directory itself stays.
  EXPECT_TRUE(IsEmptyFolder(temp));
}

TEST(SpillDirectoryTest, FileIsDeletedWithItsHandle) {
  std::filesystem::path temp = FreshDirectory("spill_handle");
  SpillDirectory directory(temp.string());
  std::string path;
  {
    auto writer = directory.CreateFile();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->AppendValue(int32_t{7}).ok());
    auto file = (*writer)->Finish();
    ASSERT_TRUE(file.ok());
    path = file->path();
    EXPECT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SpillDirectoryTest, UnusableTempDirectoryIsAClearError) {
  std::filesystem::path temp = FreshDirectory("spill_not_a_folder");
  std::filesystem::create_directories(temp);
  std::ofstream(temp / "file") << "not a folder";
  SpillDirectory directory((temp / "file" / "tmp").string());
  auto writer = directory.CreateFile();
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kIOError);
  EXPECT_NE(writer.status().message().find("cannot spill to the temp directory"), std::string::npos)
      << writer.status().ToString();
  EXPECT_NE(writer.status().message().find("engine.temp_directory"), std::string::npos);
}

}  // namespace
}  // namespace floe::sql::execution
