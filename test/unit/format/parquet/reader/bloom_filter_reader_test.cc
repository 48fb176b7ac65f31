#include "format/parquet/reader/bloom_filter_reader.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/bloom_filter_builder.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/memory/memory_file_system.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

using types::LogicalType;
using types::Value;

constexpr int64_t kRows = 10000;
constexpr int64_t kGroupRows = 1000;

// Even ids only, so every odd id inside a row group's bounds is absent from it.
int64_t IdOf(int64_t row) {
  return 2 * row;
}
std::string NameOf(int64_t id) {
  return "name-" + std::to_string(id);
}

std::shared_ptr<io::MemoryFileSystem> WriteFile() {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"id", LogicalType::BigInt()}, {"name", LogicalType::Varchar()}});
  ParquetWriterOptions options;
  options.row_group_rows = kGroupRows;
  options.columns["id"].has_bloom_filter = true;
  options.columns["name"].has_bloom_filter = true;
  auto writer = ParquetWriter::Open(*file_system, "b.parquet", *schema, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  vector::VectorBuilder ids(LogicalType::BigInt());
  vector::VectorBuilder names(LogicalType::Varchar());
  for (int64_t row = 0; row < kRows; ++row) {
    EXPECT_TRUE(ids.Append(IdOf(row)).ok());
    EXPECT_TRUE(names.AppendString(NameOf(IdOf(row))).ok());
  }
  auto batch =
      vector::Batch::Make(schema, {ids.Finish().value(), names.Finish().value()}, kRows).value();
  EXPECT_TRUE((*writer)->Write(batch).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  return file_system;
}

struct Scan {
  ParquetReadCounters counters;
  std::vector<int64_t> ids;
};

Scan Read(io::MemoryFileSystem& file_system, ColumnPredicate predicate) {
  auto file = file_system.OpenInputFile("b.parquet").value();
  ParquetReadOptions options;
  options.predicates = {std::move(predicate)};
  auto reader =
      ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)), options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  Scan scan;
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || !batch->has_value()) {
      break;
    }
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      scan.ids.push_back((*batch)->column(0).Get<int64_t>(row));
    }
  }
  scan.counters = (*reader)->counters();
  return scan;
}

bool Contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST(BloomFilterReaderTest, NeverSkipsPresentValues) {
  auto file_system = WriteFile();
  for (int64_t row = 0; row < kRows; row += 97) {
    int64_t id = IdOf(row);
    Scan by_id = Read(*file_system, {"id", ColumnPredicate::Op::kEqual, Value::BigInt(id)});
    EXPECT_EQ(by_id.counters.row_groups_pruned_by_bloom_filter, 0) << id;
    EXPECT_TRUE(Contains(by_id.ids, id)) << id;
    Scan by_name =
        Read(*file_system, {"name", ColumnPredicate::Op::kEqual, Value::Varchar(NameOf(id))});
    // Names sort as text, so other row groups' bounds hold them too: those may be skipped.
    EXPECT_TRUE(Contains(by_name.ids, id)) << id;
  }
  // An INTEGER constant is cast to the BIGINT column before hashing.
  Scan cast = Read(*file_system, {"id", ColumnPredicate::Op::kEqual, Value::Integer(1234)});
  EXPECT_TRUE(Contains(cast.ids, 1234));
}

TEST(BloomFilterReaderTest, SkipsRowGroupsWithoutTheValue) {
  auto file_system = WriteFile();
  int64_t skipped = 0;
  int64_t probes = 0;
  for (int64_t id = 1; id < 2 * kRows; id += 2 * 53) {
    // Statistics keep the one row group whose bounds hold the odd id; the filter drops it.
    Scan scan = Read(*file_system, {"id", ColumnPredicate::Op::kEqual, Value::BigInt(id)});
    EXPECT_EQ(scan.counters.row_groups_pruned_by_statistics, kRows / kGroupRows - 1);
    skipped += scan.counters.row_groups_pruned_by_bloom_filter;
    EXPECT_EQ(scan.ids.empty(), scan.counters.row_groups_pruned_by_bloom_filter == 1);
    ++probes;
  }
  // Filters are sized for 1% false positives.
  EXPECT_GE(skipped, probes * 9 / 10) << skipped << " of " << probes;
  // Inside the text bounds of most row groups, in none of them.
  Scan by_name =
      Read(*file_system, {"name", ColumnPredicate::Op::kEqual, Value::Varchar("name-15x")});
  EXPECT_TRUE(by_name.ids.empty());
  EXPECT_GE(by_name.counters.row_groups_pruned_by_bloom_filter, 1);
  EXPECT_EQ(by_name.counters.row_groups_pruned_by_bloom_filter +
                by_name.counters.row_groups_pruned_by_statistics,
            kRows / kGroupRows);
}

TEST(BloomFilterReaderTest, ChecksBitsOfSerializedFilter) {
  SplitBlockBloomFilter filter(1024);
  for (int i = 0; i < 100; ++i) {
    filter.Insert(XxHash64(std::to_string(i)));
  }
  std::vector<uint8_t> bytes;
  BloomFilterHeader header;
  header.num_bytes = 1024;
  WriteBloomFilterHeader(header, bytes);
  bytes.insert(bytes.end(), filter.bytes().begin(), filter.bytes().end());
  int absent = 0;
  for (int i = 0; i < 1000; ++i) {
    bool may_contain = BloomFilterMayContain(bytes, XxHash64(std::to_string(i)));
    if (i < 100) {
      EXPECT_TRUE(may_contain) << i;
    }
    absent += may_contain ? 0 : 1;
  }
  EXPECT_GE(absent, 850);
  // A truncated bitset cannot be trusted.
  bytes.resize(bytes.size() - 1);
  EXPECT_TRUE(BloomFilterMayContain(bytes, XxHash64("500")));
}

TEST(BloomFilterReaderTest, HashesPlainEncodingOfTheColumnType) {
  ColumnDescriptor int32_column;
  int32_column.physical_type = PhysicalType::kInt32;
  int32_column.type = LogicalType::Integer();
  int32_t four = 4;
  EXPECT_EQ(BloomFilterKey(int32_column, Value::BigInt(4)),
            std::string(reinterpret_cast<const char*>(&four), 4));
  EXPECT_EQ(BloomFilterKey(int32_column, Value::BigInt(int64_t{1} << 40)), std::nullopt);
  EXPECT_EQ(BloomFilterKey(int32_column, Value::Null(LogicalType::Integer())), std::nullopt);
  ColumnDescriptor double_column;
  double_column.physical_type = PhysicalType::kDouble;
  double_column.type = LogicalType::Double();
  EXPECT_EQ(BloomFilterKey(double_column, Value::Double(0.0)), std::nullopt);  // -0.0 too.
  EXPECT_TRUE(BloomFilterKey(double_column, Value::Double(1.5)).has_value());
  ColumnDescriptor text_column;
  text_column.physical_type = PhysicalType::kByteArray;
  text_column.type = LogicalType::Varchar();
  EXPECT_EQ(BloomFilterKey(text_column, Value::Varchar("abc")), "abc");
}

}  // namespace
}  // namespace floe::format::parquet
