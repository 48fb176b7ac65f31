#include "format/parquet/column_ranges.h"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

std::string Plain32(int32_t value) {
  std::string bytes(4, '\0');
  std::memcpy(bytes.data(), &value, 4);
  return bytes;
}

std::string Plain64(int64_t value) {
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &value, 8);
  return bytes;
}

SchemaElement Leaf(std::string name, PhysicalType type) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  return element;
}

ColumnChunk Chunk(PhysicalType type, std::optional<std::string> min,
                  std::optional<std::string> max) {
  ColumnMetaData meta;
  meta.type = type;
  Statistics statistics;
  statistics.min_value = std::move(min);
  statistics.max_value = std::move(max);
  meta.statistics = statistics;
  ColumnChunk chunk;
  chunk.meta_data = meta;
  return chunk;
}

// Schema: key INT64, nested group (one INT32 leaf), nation INT32, name BYTE_ARRAY.
FileMetaData File() {
  FileMetaData file;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 4;
  SchemaElement group;
  group.name = "nested";
  group.num_children = 1;
  file.schema = {root,
                 Leaf("key", PhysicalType::kInt64),
                 group,
                 Leaf("inner", PhysicalType::kInt32),
                 Leaf("nation", PhysicalType::kInt32),
                 Leaf("name", PhysicalType::kByteArray)};
  for (int64_t first : {1, 1001}) {
    RowGroup row_group;
    row_group.num_rows = 1000;
    row_group.columns = {
        Chunk(PhysicalType::kInt64, Plain64(first), Plain64(first + 999)),
        Chunk(PhysicalType::kInt32, Plain32(0), Plain32(3)),
        Chunk(PhysicalType::kInt32, Plain32(first == 1 ? 3 : 0), Plain32(first == 1 ? 24 : 7)),
        Chunk(PhysicalType::kByteArray, std::string("a"), std::string("z")),
    };
    file.row_groups.push_back(row_group);
  }
  file.num_rows = 2000;
  return file;
}

TEST(ColumnRangesTest, MergesRowGroupsOfFlatIntegerColumns) {
  std::vector<std::optional<IntegerRange>> ranges = TopLevelIntegerRanges(File());
  ASSERT_EQ(ranges.size(), 4u);
  ASSERT_TRUE(ranges[0].has_value());
  EXPECT_EQ(ranges[0]->min, 1);
  EXPECT_EQ(ranges[0]->max, 2000);
  EXPECT_FALSE(ranges[1].has_value()) << "nested field";
  ASSERT_TRUE(ranges[2].has_value()) << "the leaf after a group's leaves";
  EXPECT_EQ(ranges[2]->min, 0);
  EXPECT_EQ(ranges[2]->max, 24);
  EXPECT_FALSE(ranges[3].has_value()) << "strings have no integer range";
}

TEST(ColumnRangesTest, AChunkWithoutStatisticsLeavesTheColumnUnknown) {
  FileMetaData file = File();
  file.row_groups[1].columns[0].meta_data->statistics.reset();
  file.row_groups[0].columns[2].meta_data->statistics->is_max_value_exact = false;
  std::vector<std::optional<IntegerRange>> ranges = TopLevelIntegerRanges(file);
  EXPECT_FALSE(ranges[0].has_value());
  EXPECT_FALSE(ranges[2].has_value());
}

TEST(ColumnRangesTest, MergeNeedsBothRanges) {
  EXPECT_FALSE(MergeRanges(IntegerRange{1, 2}, std::nullopt).has_value());
  std::optional<IntegerRange> merged = MergeRanges(IntegerRange{5, 9}, IntegerRange{-3, 6});
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->min, -3);
  EXPECT_EQ(merged->max, 9);
}

}  // namespace
}  // namespace floe::format::parquet
