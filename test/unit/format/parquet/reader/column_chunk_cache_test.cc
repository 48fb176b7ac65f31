#include "format/parquet/reader/column_chunk_cache.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/task_scheduler.h"
#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/memory/memory_file_system.h"
#include "types/value.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

// A vector of `rows` BIGINTs starting at `first`.
vector::Vector Ids(int64_t first, int64_t rows) {
  vector::VectorBuilder builder(types::LogicalType::BigInt());
  for (int64_t i = 0; i < rows; ++i) {
    EXPECT_TRUE(builder.Append(first + i).ok());
  }
  return builder.Finish().value();
}

// 350 rows in row groups of 100 and pages of 20: id (BIGINT, 0..349) and a dictionary-encoded
// name ("n0".."n6").
std::shared_ptr<io::MemoryFileSystem> WriteFile() {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(std::vector<vector::Field>{
      {"id", types::LogicalType::BigInt(), false}, {"name", types::LogicalType::Varchar(), true}});
  ParquetWriterOptions options;
  options.row_group_rows = 100;
  options.data_page_rows = 20;
  auto writer = ParquetWriter::Open(*file_system, "data.parquet", *schema, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  vector::VectorBuilder names(types::LogicalType::Varchar());
  for (int64_t id = 0; id < 350; ++id) {
    EXPECT_TRUE(id % 11 == 0 ? names.AppendNull().ok()
                             : names.AppendString("n" + std::to_string(id % 7)).ok());
  }
  auto batch = vector::Batch::Make(schema, {Ids(0, 350), names.Finish().value()}, 350);
  EXPECT_TRUE((*writer)->Write(*batch).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  return file_system;
}

struct ReadResult {
  std::vector<std::string> rows;
  std::vector<vector::Batch> batches;
};

ReadResult ReadAllRows(io::MemoryFileSystem& file_system, ParquetReadOptions options) {
  ReadResult result;
  auto file = file_system.OpenInputFile("data.parquet");
  EXPECT_TRUE(file.ok());
  auto reader = ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file).value()),
                                    std::move(options));
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || !batch->has_value()) {
      return result;
    }
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      std::string text;
      for (int64_t column = 0; column < (*batch)->num_columns(); ++column) {
        text += (column == 0 ? "" : "|") + (*batch)->column(column).GetValue(row)->ToString();
      }
      result.rows.push_back(text);
    }
    result.batches.push_back(std::move(**batch));
  }
}

TEST(ColumnChunkCacheTest, SecondReadHitsAndSharesTheCachedBuffers) {
  auto file_system = WriteFile();
  ColumnChunkCache cache(int64_t{64} << 20);
  ParquetReadOptions options{.batch_size = 64, .cache = &cache, .cache_identity = "data@1"};
  ReadResult uncached = ReadAllRows(*file_system, {.batch_size = 64});
  ReadResult first = ReadAllRows(*file_system, options);
  EXPECT_EQ(first.rows, uncached.rows);
  ColumnChunkCacheStats after_first = cache.stats();
  EXPECT_EQ(after_first.chunk_misses, 8);  // Four row groups, two columns.
  EXPECT_EQ(after_first.chunk_hits, 0);
  EXPECT_EQ(after_first.footer_misses, 1);
  EXPECT_EQ(after_first.entries, 9);
  EXPECT_GT(after_first.bytes, 0);

  ReadResult second = ReadAllRows(*file_system, options);
  EXPECT_EQ(second.rows, uncached.rows);
  ColumnChunkCacheStats after_second = cache.stats();
  EXPECT_EQ(after_second.chunk_hits, 8);
  EXPECT_EQ(after_second.chunk_misses, 8);
  EXPECT_EQ(after_second.footer_hits, 1);

  // Batches are slices of the cached chunk, not copies; strings stay dictionary-encoded.
  ColumnChunkCache::Chunk ids = cache.Find("data@1", 0, 0);
  ColumnChunkCache::Chunk names = cache.Find("data@1", 0, 1);
  ASSERT_NE(ids, nullptr);
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(ids->length(), 100);
  EXPECT_EQ(names->encoding(), vector::Encoding::kDictionary);
  EXPECT_EQ(second.batches[0].column(0).values_buffer().get(), ids->values_buffer().get());
  EXPECT_EQ(second.batches[1].column(0).values_buffer().get(), ids->values_buffer().get());
  EXPECT_EQ(second.batches[0].column(1).values_buffer().get(), names->values_buffer().get());
}

TEST(ColumnChunkCacheTest, AnswersStayTheSameWithPruningAndChosenRowGroups) {
  auto file_system = WriteFile();
  ColumnChunkCache cache(int64_t{64} << 20);
  std::vector<ColumnPredicate> predicates = {
      {.column = "id",
       .op = ColumnPredicate::Op::kGreaterEqual,
       .value = types::Value::BigInt(130)},
      {.column = "id", .op = ColumnPredicate::Op::kLess, .value = types::Value::BigInt(170)}};
  ParquetReadOptions pruned{.predicates = predicates, .row_groups = {1, 3}};
  ReadResult expected = ReadAllRows(*file_system, pruned);
  ASSERT_FALSE(expected.rows.empty());
  ASSERT_LT(expected.rows.size(), 100u);  // The page index left pages out.

  ParquetReadOptions cached = pruned;
  cached.cache = &cache;
  cached.cache_identity = "data@1";
  // Cold: the pages the page index planned are decoded as without a cache, and not kept.
  EXPECT_EQ(ReadAllRows(*file_system, cached).rows, expected.rows);
  EXPECT_EQ(cache.stats().entries, 1);  // The footer only.
  // Warm, after a full read of every row group: the cached chunks serve the same rows.
  ReadAllRows(*file_system, {.cache = &cache, .cache_identity = "data@1"});
  EXPECT_EQ(ReadAllRows(*file_system, cached).rows, expected.rows);
  EXPECT_EQ(
      ReadAllRows(*file_system, {.row_groups = {2}, .cache = &cache, .cache_identity = "data@1"})
          .rows,
      ReadAllRows(*file_system, {.row_groups = {2}}).rows);
  EXPECT_GT(cache.stats().chunk_hits, 0);
}

TEST(ColumnChunkCacheTest, ParallelDecodingFillsAndReadsTheCache) {
  auto file_system = WriteFile();
  ColumnChunkCache cache(int64_t{64} << 20);
  TaskScheduler scheduler(2);
  ParquetReadOptions options{.scheduler = &scheduler, .cache = &cache, .cache_identity = "f"};
  ReadResult expected = ReadAllRows(*file_system, {});
  EXPECT_EQ(ReadAllRows(*file_system, options).rows, expected.rows);
  EXPECT_EQ(ReadAllRows(*file_system, options).rows, expected.rows);
  EXPECT_EQ(cache.stats().chunk_hits, 8);
}

TEST(ColumnChunkCacheTest, WithoutAnIdentityTheCacheIsNotUsed) {
  auto file_system = WriteFile();
  ColumnChunkCache cache(int64_t{64} << 20);
  ReadAllRows(*file_system, {.cache = &cache});
  ColumnChunkCacheStats stats = cache.stats();
  EXPECT_EQ(stats.entries, 0);
  EXPECT_EQ(stats.chunk_misses + stats.footer_misses, 0);
}

TEST(ColumnChunkCacheTest, EvictsWithinTheBudgetKeepingTheCostlyChunkInUse) {
  const int64_t chunk_bytes = ColumnChunkCache::MemoryBytes(Ids(0, 1000));
  ColumnChunkCache cache(chunk_bytes * 4);
  // Row group 0 takes far longer to decode than the others, and is read between every two
  // of them: both its cost and its recency keep it.
  ASSERT_TRUE(cache
                  .FindOrDecode("f", 0, 0,
                                []() -> Result<vector::Vector> {
                                  std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                  return Ids(0, 1000);
                                })
                  .ok());
  for (int i = 1; i < 12; ++i) {
    ASSERT_TRUE(
        cache.FindOrDecode("f", i, 0, [i]() -> Result<vector::Vector> { return Ids(i, 1000); })
            .ok());
    ASSERT_NE(cache.Find("f", 0, 0), nullptr) << "after " << i;
  }
  ColumnChunkCacheStats stats = cache.stats();
  EXPECT_LE(stats.bytes, cache.capacity_bytes());
  EXPECT_EQ(stats.entries, 4);
  EXPECT_EQ(stats.evictions, 8);
  ASSERT_NE(cache.Find("f", 11, 0), nullptr);  // The newest stays until something else comes.
  EXPECT_EQ(cache.Find("f", 11, 0)->Get<int64_t>(0), 11);
}

TEST(ColumnChunkCacheTest, KeepsNothingWithoutABudgetOrWhenDecodingFails) {
  ColumnChunkCache disabled(0);
  auto decoded = disabled.FindOrDecode("f", 0, 0, [] { return Result<vector::Vector>(Ids(0, 5)); });
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ((*decoded)->length(), 5);
  EXPECT_EQ(disabled.stats().entries, 0);
  EXPECT_EQ(disabled.stats().rejected, 1);

  ColumnChunkCache cache(int64_t{1} << 20);
  auto failed = cache.FindOrDecode(
      "f", 0, 0, [] { return Result<vector::Vector>(Status::Corruption("bad page")); });
  EXPECT_EQ(failed.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(cache.stats().entries, 0);
  auto retried = cache.FindOrDecode("f", 0, 0, [] { return Result<vector::Vector>(Ids(0, 5)); });
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(cache.stats().entries, 1);
  cache.Clear();
  EXPECT_EQ(cache.stats().entries, 0);
  EXPECT_EQ(cache.stats().bytes, 0);
}

TEST(ColumnChunkCacheTest, ConcurrentMissesDecodeOnce) {
  ColumnChunkCache cache(int64_t{16} << 20);
  std::atomic<int> decodes{0};
  std::vector<ColumnChunkCache::Chunk> seen(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      auto chunk = cache.FindOrDecode("f", 0, 0, [&]() -> Result<vector::Vector> {
        ++decodes;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return Ids(0, 100);
      });
      EXPECT_TRUE(chunk.ok());
      seen[t] = *chunk;
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(decodes.load(), 1);
  for (const ColumnChunkCache::Chunk& chunk : seen) {
    EXPECT_EQ(chunk.get(), seen[0].get());
  }
}

TEST(ColumnChunkCacheTest, StaysWithinBudgetUnderConcurrentUse) {
  const int64_t chunk_bytes = ColumnChunkCache::MemoryBytes(Ids(0, 100));
  ColumnChunkCache cache(chunk_bytes * 10);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 500; ++i) {
        int row_group = (i * 7 + t) % 40;
        auto chunk = cache.FindOrDecode("f", row_group, 0, [row_group]() -> Result<vector::Vector> {
          return Ids(row_group, 100);
        });
        ASSERT_TRUE(chunk.ok());
        ASSERT_EQ((*chunk)->Get<int64_t>(0), row_group);
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  ColumnChunkCacheStats stats = cache.stats();
  EXPECT_LE(stats.bytes, cache.capacity_bytes());
  EXPECT_GT(stats.evictions, 0);
}

}  // namespace
}  // namespace floe::format::parquet
