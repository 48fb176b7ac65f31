#include "table/parsed_file_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "io/memory/memory_file_system.h"
#include "table/new_table.h"
#include "table/table_metadata.h"

namespace floe::table {
namespace {

std::string MetadataJson(const std::string& location) {
  NewTableOptions options;
  options.schema = *Schema::Make(0, {NestedField{1, "id", Type::Primitive(TypeKind::kLong), true}});
  options.location = location;
  return TableMetadataToJson(*MakeNewTableMetadata(options));
}

void Put(io::FileSystem& file_system, const std::string& path, const std::string& text) {
  (void)file_system.Delete(path);
  auto stream = file_system.OpenOutputStream(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  ASSERT_TRUE((*stream)->Write(std::as_bytes(std::span(text.data(), text.size()))).ok());
  ASSERT_TRUE((*stream)->Close().ok());
}

TEST(ParsedFileCacheTest, ParsesEachFileOnceAndSharesTheResult) {
  io::MemoryFileSystem file_system;
  Put(file_system, "memory://t/metadata/v1.metadata.json", MetadataJson("memory://t"));
  ParsedFileCache cache(int64_t{1} << 20);
  auto first = cache.Metadata(file_system, "memory://t/metadata/v1.metadata.json");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = cache.Metadata(file_system, "memory://t/metadata/v1.metadata.json");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ((*first)->location, "memory://t");
  ParsedFileCache::Counters counters = cache.counters();
  EXPECT_EQ(counters.misses, 1);
  EXPECT_EQ(counters.hits, 1);
  EXPECT_GT(counters.bytes, 0);
}

TEST(ParsedFileCacheTest, AFileRewrittenUnderItsNameIsParsedAgain) {
  io::MemoryFileSystem file_system;
  const std::string path = "memory://t/metadata/v1.metadata.json";
  Put(file_system, path, MetadataJson("memory://first"));
  ParsedFileCache cache(int64_t{1} << 20);
  auto before = cache.Metadata(file_system, path);
  ASSERT_TRUE(before.ok());
  Put(file_system, path, MetadataJson("memory://second"));
  auto after = cache.Metadata(file_system, path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*before)->location, "memory://first");
  EXPECT_EQ((*after)->location, "memory://second");
}

TEST(ParsedFileCacheTest, EvictsTheLeastRecentlyUsedPastItsCapacity) {
  io::MemoryFileSystem file_system;
  const std::string text = MetadataJson("memory://t");
  for (int i = 0; i < 3; ++i) {
    Put(file_system, "memory://t/metadata/v" + std::to_string(i) + ".metadata.json", text);
  }
  // Room for two entries: each is charged its file size plus a few KiB.
  ParsedFileCache cache(2 * (static_cast<int64_t>(text.size()) + 4096 + 512) + 100);
  for (int i : {0, 1, 0, 2}) {
    ASSERT_TRUE(
        cache.Metadata(file_system, "memory://t/metadata/v" + std::to_string(i) + ".metadata.json")
            .ok());
  }
  EXPECT_EQ(cache.counters().evictions, 1);
  // v1 was the least recently used; v0 stays.
  ASSERT_TRUE(cache.Metadata(file_system, "memory://t/metadata/v0.metadata.json").ok());
  EXPECT_EQ(cache.counters().hits, 2);
  ASSERT_TRUE(cache.Metadata(file_system, "memory://t/metadata/v1.metadata.json").ok());
  EXPECT_EQ(cache.counters().misses, 4);
}

TEST(ParsedFileCacheTest, ErrorsAreReturnedAndNotKept) {
  io::MemoryFileSystem file_system;
  ParsedFileCache cache(int64_t{1} << 20);
  EXPECT_EQ(cache.Metadata(file_system, "memory://t/missing.metadata.json").status().code(),
            StatusCode::kNotFound);
  Put(file_system, "memory://t/bad.metadata.json", "{not json");
  EXPECT_FALSE(cache.Metadata(file_system, "memory://t/bad.metadata.json").ok());
  EXPECT_EQ(cache.counters().bytes, 0);
  EXPECT_FALSE(cache.ManifestList(file_system, "memory://t/bad.metadata.json").ok());
}

}  // namespace
}  // namespace floe::table
