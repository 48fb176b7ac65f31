#include "io/cache/caching_file_system.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "io/memory/memory_file_system.h"
#include "unit/io/file_system_test_suite.h"

namespace floe::io {
namespace {

// A MemoryFileSystem that counts the opens and reads which reach it.
class CountingFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) override {
    ++num_opens_;
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, inner_.OpenInputFile(path));
    return std::unique_ptr<RandomAccessFile>(
        std::make_unique<CountingFile>(std::move(file), &num_reads_, &num_bytes_read_));
  }
  Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) override {
    return inner_.OpenOutputStream(path);
  }
  Status CreateExclusive(std::string_view path, std::string_view bytes) override {
    return inner_.CreateExclusive(path, bytes);
  }
  Result<FileInfo> Stat(std::string_view path) override { return inner_.Stat(path); }
  Result<std::vector<FileInfo>> List(std::string_view prefix) override {
    return inner_.List(prefix);
  }
  Status Delete(std::string_view path) override { return inner_.Delete(path); }

  int num_opens() const { return num_opens_.load(); }
  int num_reads() const { return num_reads_.load(); }
  int64_t num_bytes_read() const { return num_bytes_read_.load(); }

 private:
  class CountingFile final : public RandomAccessFile {
   public:
    CountingFile(std::unique_ptr<RandomAccessFile> inner, std::atomic<int>* num_reads,
                 std::atomic<int64_t>* num_bytes)
        : RandomAccessFile(inner->path(), inner->Size()),
          inner_(std::move(inner)),
          num_reads_(num_reads),
          num_bytes_(num_bytes) {}

   protected:
    Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const override {
      ++*num_reads_;
      *num_bytes_ += static_cast<int64_t>(buffer.size());
      return inner_->ReadAt(offset, buffer);
    }

   private:
    std::unique_ptr<RandomAccessFile> inner_;
    std::atomic<int>* num_reads_;
    std::atomic<int64_t>* num_bytes_;
  };

  MemoryFileSystem inner_;
  std::atomic<int> num_opens_{0};
  std::atomic<int> num_reads_{0};
  std::atomic<int64_t> num_bytes_read_{0};
};

class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "floe-cache-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  ~TemporaryFolder() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The behaviour every file system promises holds with the cache in front.
class CachingBackend {
 public:
  static constexpr bool kHonoursConditionalCreate = true;

  CachingBackend() {
    auto file_system = CachingFileSystem::Make(std::make_shared<MemoryFileSystem>(),
                                               {.directory = folder_.path() + "/cache",
                                                .capacity_bytes = int64_t{4} << 20,
                                                .block_size = 4096});
    if (file_system.ok()) {
      file_system_ = std::move(file_system).value();
    }
  }
  FileSystem& file_system() { return *file_system_; }
  const std::string& root() const { return root_; }

 private:
  TemporaryFolder folder_;
  std::unique_ptr<CachingFileSystem> file_system_;
  std::string root_ = "memory://bucket";
};

INSTANTIATE_TYPED_TEST_SUITE_P(Caching, FileSystemTest, ::testing::Types<CachingBackend>);

std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t index = 0; index < size; ++index) {
    bytes[index] = static_cast<char>((index * 131 + index / 977) & 0xff);
  }
  return bytes;
}

class CachingFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(folder_.path().empty());
    backend_ = std::make_shared<CountingFileSystem>();
    Make(int64_t{1} << 20);
  }

  void Make(int64_t capacity_bytes, bool is_persistent = false) {
    auto file_system = CachingFileSystem::Make(backend_, {.directory = CacheFolder(),
                                                          .is_persistent = is_persistent,
                                                          .capacity_bytes = capacity_bytes,
                                                          .block_size = 1000});
    ASSERT_TRUE(file_system.ok()) << file_system.status().ToString();
    file_system_ = std::move(file_system).value();
  }

  std::string CacheFolder() const { return folder_.path() + "/cache"; }

  std::string Read(std::string_view path, int64_t offset, int64_t length) {
    auto file = file_system_->OpenInputFile(path);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    return file.ok() ? (*file)->ReadAt(offset, length).ValueOr("<error>") : "<error>";
  }

  // Reads as Iceberg data files are read: opened with the size their manifest records.
  std::string ReadSized(std::string_view path, int64_t size, int64_t offset, int64_t length) {
    auto file = file_system_->OpenInputFileOfSize(path, size);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    return file.ok() ? (*file)->ReadAt(offset, length).ValueOr("<error>") : "<error>";
  }

  std::vector<std::string> BlockFiles() const {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(CacheFolder())) {
      if (entry.path().extension() == ".block") {
        files.push_back(entry.path().string());
      }
    }
    return files;
  }

  TemporaryFolder folder_;
  std::shared_ptr<CountingFileSystem> backend_;
  std::unique_ptr<CachingFileSystem> file_system_;
};

TEST_F(CachingFileSystemTest, SecondReadIsServedFromTheCache) {
  std::string content = Pattern(10'500);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/data.parquet", content).ok());
  EXPECT_EQ(Read("memory://t/data.parquet", 1500, 2000), content.substr(1500, 2000));
  // Blocks 1, 2 and 3 of 1000 bytes each were fetched whole.
  EXPECT_EQ(backend_->num_reads(), 3);
  EXPECT_EQ(backend_->num_bytes_read(), 3000);
  EXPECT_EQ(Read("memory://t/data.parquet", 1500, 2000), content.substr(1500, 2000));
  EXPECT_EQ(Read("memory://t/data.parquet", 1000, 10), content.substr(1000, 10));
  EXPECT_EQ(backend_->num_reads(), 3);
  CacheStatistics statistics = file_system_->statistics();
  EXPECT_EQ(statistics.misses, 3);
  EXPECT_EQ(statistics.hits, 4);
  EXPECT_EQ(statistics.cached_bytes, 3000);
}

TEST_F(CachingFileSystemTest, LastShortBlockAndWholeObjectReads) {
  std::string content = Pattern(2'345);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  EXPECT_EQ(Read("memory://t/f", 2340, 5), content.substr(2340));
  EXPECT_EQ(backend_->num_bytes_read(), 345);
  EXPECT_EQ(file_system_->ReadAll("memory://t/f").ValueOr(""), content);
  EXPECT_EQ(file_system_->ReadAll("memory://t/f").ValueOr(""), content);
  EXPECT_EQ(backend_->num_bytes_read(), 2345);
}

TEST_F(CachingFileSystemTest, EvictionKeepsTheCapacityAndDropsTheLeastRecentlyUsed) {
  Make(5000);
  std::string content = Pattern(20'000);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  for (int block = 0; block < 20; ++block) {
    ASSERT_EQ(Read("memory://t/f", block * 1000, 1000), content.substr(block * 1000, 1000));
    EXPECT_LE(file_system_->statistics().cached_bytes, 5000);
  }
  CacheStatistics statistics = file_system_->statistics();
  EXPECT_EQ(statistics.cached_bytes, 5000);
  EXPECT_EQ(statistics.evictions, 15);
  int64_t block_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CacheFolder())) {
    block_files += entry.path().extension() == ".block" ? 1 : 0;
  }
  EXPECT_EQ(block_files, 5);
  // The five most recent blocks are cached, the first is not.
  int reads = backend_->num_reads();
  EXPECT_EQ(Read("memory://t/f", 15'000, 5000), content.substr(15'000));
  EXPECT_EQ(backend_->num_reads(), reads);
  EXPECT_EQ(Read("memory://t/f", 0, 10), content.substr(0, 10));
  EXPECT_EQ(backend_->num_reads(), reads + 1);
}

TEST_F(CachingFileSystemTest, DamagedOrTruncatedBlockFilesAreDetectedAndFetchedAgain) {
  std::string content = Pattern(3000);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  ASSERT_EQ(Read("memory://t/f", 0, 3000), content);
  BlockCache& cache = file_system_->cache();
  std::string truncated = cache.FileOf({"memory://t/f", 3000, "", 0});
  std::string flipped = cache.FileOf({"memory://t/f", 3000, "", 1});
  ASSERT_TRUE(std::filesystem::exists(truncated));
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) - 10);
  {
    std::fstream file(flipped, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-5, std::ios::end);
    file.put('\x7f');
  }
  int reads = backend_->num_reads();
  EXPECT_EQ(Read("memory://t/f", 0, 3000), content);
  EXPECT_EQ(backend_->num_reads(), reads + 2);
  EXPECT_EQ(file_system_->statistics().corruptions, 2);
  EXPECT_EQ(Read("memory://t/f", 0, 3000), content);
  EXPECT_EQ(backend_->num_reads(), reads + 2);
}

TEST_F(CachingFileSystemTest, WritesAndDeletesInvalidate) {
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", std::string(1500, 'a')).ok());
  ASSERT_EQ(Read("memory://t/f", 0, 1500), std::string(1500, 'a'));
  auto stream = file_system_->OpenOutputStream("memory://t/f");
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->Write(AsBytes(std::string(1500, 'b'))).ok());
  ASSERT_TRUE((*stream)->Close().ok());
  EXPECT_EQ(Read("memory://t/f", 0, 1500), std::string(1500, 'b'));
  ASSERT_TRUE(file_system_->Delete("memory://t/f").ok());
  EXPECT_EQ(file_system_->statistics().cached_bytes, 0);
  EXPECT_EQ(file_system_->OpenInputFile("memory://t/f").status().code(), StatusCode::kNotFound);
}

TEST_F(CachingFileSystemTest, ConcurrentReadersGetTheRightBytes) {
  Make(20'000);
  std::string content = Pattern(100'000);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  auto file = file_system_->OpenInputFile("memory://t/f");
  ASSERT_TRUE(file.ok());
  std::atomic<int> num_mismatches{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 8; ++thread) {
    threads.emplace_back([&, thread] {
      for (int read = 0; read < 300; ++read) {
        int64_t offset = (thread * 7919 + read * 104729) % 95'000;
        int64_t length = 1 + (read * 37) % 5000;
        if ((*file)->ReadAt(offset, length).ValueOr("") != content.substr(offset, length)) {
          ++num_mismatches;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(num_mismatches.load(), 0);
  EXPECT_LE(file_system_->statistics().cached_bytes, 20'000);
}

TEST_F(CachingFileSystemTest, StartingEmptiesTheFolderOfOldBlocks) {
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", "abc").ok());
  ASSERT_EQ(Read("memory://t/f", 0, 3), "abc");
  file_system_.reset();
  Make(1 << 20);
  EXPECT_TRUE(std::filesystem::is_empty(CacheFolder()));
}

TEST_F(CachingFileSystemTest, SizedOpenOfCachedRangesMakesNoRequest) {
  std::string content = Pattern(10'500);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/data.parquet", content).ok());
  auto file = file_system_->OpenInputFileOfSize("memory://t/data.parquet", 10'500);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(backend_->num_opens(), 0);
  EXPECT_EQ((*file)->ReadAt(1500, 2000).ValueOr("?"), content.substr(1500, 2000));
  EXPECT_EQ(backend_->num_opens(), 1);
  EXPECT_EQ(backend_->num_reads(), 3);
  // Warm: neither an open (S3: a HEAD) nor a read (a GET) reaches storage.
  EXPECT_EQ(ReadSized("memory://t/data.parquet", 10'500, 1000, 3000), content.substr(1000, 3000));
  EXPECT_EQ(backend_->num_opens(), 1);
  EXPECT_EQ(backend_->num_reads(), 3);
  // A cold block of the same warm file opens the inner file once, for the missing block only.
  EXPECT_EQ(ReadSized("memory://t/data.parquet", 10'500, 9000, 1500), content.substr(9000));
  EXPECT_EQ(backend_->num_opens(), 2);
  EXPECT_EQ(backend_->num_reads(), 5);
  EXPECT_EQ(file_system_->ReadAllOfSize("memory://t/data.parquet", 10'500).ValueOr("?"), content);
  EXPECT_EQ(file_system_->ReadAllOfSize("memory://t/data.parquet", 10'500).ValueOr("?"), content);
  EXPECT_EQ(backend_->num_bytes_read(), 10'500);
  CacheStatistics statistics = file_system_->statistics();
  EXPECT_EQ(statistics.fetched_bytes, 10'500);
  EXPECT_EQ(statistics.cached_blocks, 11);
}

TEST_F(CachingFileSystemTest, WrongRecordedSizeIsAnErrorAndCachesNothing) {
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", Pattern(2500)).ok());
  auto file = file_system_->OpenInputFileOfSize("memory://t/f", 4000);
  ASSERT_TRUE(file.ok());
  auto read = (*file)->ReadAt(3000, 1000);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption);
  EXPECT_NE(read.status().message().find("file size mismatch"), std::string_view::npos);
  EXPECT_EQ(file_system_->statistics().cached_bytes, 0);
}

TEST_F(CachingFileSystemTest, RecordedFilesWithAWrongSizeAreReadWithTheRealOne) {
  std::string content = Pattern(2500);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  for (int64_t recorded : {2500, 4000, 1200, 0}) {
    auto file = OpenRecordedFile(*file_system_, "memory://t/f", recorded);
    ASSERT_TRUE(file.ok()) << recorded << ": " << file.status().ToString();
    EXPECT_EQ((*file)->Size(), 2500);
    EXPECT_EQ((*file)->ReadAt(0, 2500).ValueOr("?"), content) << recorded;
    EXPECT_EQ(ReadRecordedFile(*file_system_, "memory://t/f", recorded).ValueOr("?"), content);
  }
  EXPECT_EQ(OpenRecordedFile(*file_system_, "memory://t/missing", 10).status().code(),
            StatusCode::kNotFound);
}

TEST_F(CachingFileSystemTest, PersistentCacheServesBlocksAfterARestart) {
  Make(1 << 20, true);
  std::string content = Pattern(3500);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  ASSERT_EQ(ReadSized("memory://t/f", 3500, 0, 3500), content);
  int reads = backend_->num_reads();
  file_system_.reset();
  Make(1 << 20, true);
  CacheStatistics statistics = file_system_->statistics();
  EXPECT_EQ(statistics.reloaded_blocks, 4);
  EXPECT_EQ(statistics.cached_bytes, 3500);
  EXPECT_EQ(ReadSized("memory://t/f", 3500, 0, 3500), content);
  EXPECT_EQ(backend_->num_reads(), reads);
  EXPECT_EQ(file_system_->statistics().hits, 4);
  // Another recorded size is another object: its blocks are not those of the first.
  EXPECT_EQ(ReadSized("memory://t/f", 3500, 0, 10), content.substr(0, 10));
  EXPECT_EQ(
      file_system_->OpenInputFileOfSize("memory://t/f", 3400)->get()->ReadAt(0, 10).status().code(),
      StatusCode::kCorruption);
}

TEST_F(CachingFileSystemTest, PersistentCacheDropsDamagedAndForeignFilesAtStart) {
  Make(1 << 20, true);
  std::string content = Pattern(3000);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  ASSERT_EQ(ReadSized("memory://t/f", 3000, 0, 3000), content);
  std::string truncated = file_system_->cache().FileOf({"memory://t/f", 3000, "", 0});
  std::string flipped = file_system_->cache().FileOf({"memory://t/f", 3000, "", 1});
  file_system_.reset();
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) - 10);
  {
    std::fstream file(flipped, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-5, std::ios::end);
    file.put('\x7f');
  }
  std::ofstream(CacheFolder() + "/0123456789abcdef.block") << "not a block";
  std::ofstream(CacheFolder() + "/0123456789abcdef.block.tmp-3") << "half written";
  Make(1 << 20, true);
  // The truncated file and the two foreign ones go at start; the flipped byte hides in the
  // payload, so its block is kept until a read checks it.
  EXPECT_EQ(file_system_->statistics().reloaded_blocks, 2);
  EXPECT_EQ(BlockFiles().size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(CacheFolder() + "/0123456789abcdef.block.tmp-3"));
  int reads = backend_->num_reads();
  EXPECT_EQ(ReadSized("memory://t/f", 3000, 0, 3000), content);
  EXPECT_EQ(backend_->num_reads(), reads + 2);
  EXPECT_EQ(file_system_->statistics().corruptions, 1);
  EXPECT_EQ(ReadSized("memory://t/f", 3000, 0, 3000), content);
  EXPECT_EQ(backend_->num_reads(), reads + 2);
}

TEST_F(CachingFileSystemTest, PersistentCacheKeepsTheMostRecentBlocksWithinALowerCapacity) {
  Make(10'000, true);
  std::string content = Pattern(5000);
  ASSERT_TRUE(file_system_->CreateExclusive("memory://t/f", content).ok());
  ASSERT_EQ(ReadSized("memory://t/f", 5000, 0, 5000), content);
  // Block i was used i minutes ago: blocks 0, 1 and 2 are the most recent.
  auto now = std::filesystem::file_time_type::clock::now();
  for (int block = 0; block < 5; ++block) {
    std::filesystem::last_write_time(
        file_system_->cache().FileOf({"memory://t/f", 5000, "", block}),
        now - std::chrono::minutes(block));
  }
  file_system_.reset();
  Make(3000, true);
  CacheStatistics statistics = file_system_->statistics();
  EXPECT_EQ(statistics.cached_bytes, 3000);
  EXPECT_EQ(statistics.evictions, 2);
  EXPECT_EQ(BlockFiles().size(), 3u);
  int reads = backend_->num_reads();
  EXPECT_EQ(ReadSized("memory://t/f", 5000, 0, 3000), content.substr(0, 3000));
  EXPECT_EQ(backend_->num_reads(), reads);
}

TEST_F(CachingFileSystemTest, RejectsBadOptions) {
  EXPECT_EQ(CachingFileSystem::Make(backend_, {.directory = CacheFolder(), .block_size = 0})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CachingFileSystem::Make(backend_, {.directory = CacheFolder(), .capacity_bytes = 0})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::io
