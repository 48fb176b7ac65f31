#include "format/parquet/writer/parquet_writer.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "format/parquet/footer.h"
#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/bloom_filter_builder.h"
#include "io/local/local_file_system.h"
#include "io/memory/memory_file_system.h"
#include "types/int128.h"
#include "vector/buffer.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

using types::LogicalType;
using vector::Batch;
using vector::Field;
using vector::Schema;
using vector::Vector;
using vector::VectorBuilder;

std::span<const uint8_t> AsSpan(const std::string& bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

template <typename T>
std::string Plain(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

Result<FileMetaData> ReadFooter(const std::string& file) {
  std::span<const uint8_t> bytes = AsSpan(file);
  FLOE_ASSIGN_OR_RETURN(
      uint32_t length,
      ReadFooterLength(bytes.subspan(bytes.size() - kFooterTrailerSize), bytes.size()));
  return ReadFileMetaData(bytes.subspan(bytes.size() - kFooterTrailerSize - length, length));
}

Vector Int64Column(const std::vector<std::optional<int64_t>>& values) {
  VectorBuilder builder(LogicalType::BigInt());
  for (const auto& value : values) {
    EXPECT_TRUE((value.has_value() ? builder.Append(*value) : builder.AppendNull()).ok());
  }
  return builder.Finish().value();
}

Vector StringColumn(const std::vector<std::optional<std::string>>& values,
                    LogicalType type = LogicalType::Varchar()) {
  VectorBuilder builder(type);
  for (const auto& value : values) {
    EXPECT_TRUE((value.has_value() ? builder.AppendString(*value) : builder.AppendNull()).ok());
  }
  return builder.Finish().value();
}

Vector DoubleColumn(const std::vector<double>& values) {
  VectorBuilder builder(LogicalType::Double());
  for (double value : values) {
    EXPECT_TRUE(builder.Append(value).ok());
  }
  return builder.Finish().value();
}

Batch MakeBatch(std::vector<Field> fields, std::vector<Vector> columns) {
  int64_t rows = columns.empty() ? 0 : columns[0].length();
  return Batch::Make(std::make_shared<const Schema>(std::move(fields)), std::move(columns), rows)
      .value();
}

class ParquetWriterTest : public ::testing::Test {
 protected:
  // Writes the batches to memory and returns the file's bytes.
  std::string WriteFile(const std::vector<Batch>& batches, ParquetWriterOptions options = {}) {
    auto writer =
        ParquetWriter::Open(file_system_, "out.parquet", batches[0].schema(), std::move(options));
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    for (const Batch& batch : batches) {
      Status status = (*writer)->Write(batch);
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
    Status status = (*writer)->Close();
    EXPECT_TRUE(status.ok()) << status.ToString();
    return file_system_.ReadAll("out.parquet").ValueOr("");
  }

  FileMetaData WriteAndReadFooter(const std::vector<Batch>& batches,
                                  ParquetWriterOptions options = {}) {
    file_ = WriteFile(batches, std::move(options));
    auto footer = ReadFooter(file_);
    EXPECT_TRUE(footer.ok()) << footer.status().ToString();
    return footer.ValueOr(FileMetaData{});
  }

  io::MemoryFileSystem file_system_;
  std::string file_;
};

TEST_F(ParquetWriterTest, MapsEveryTypeToItsParquetType) {
  std::vector<Field> fields = {
      {"b", LogicalType::Boolean(), true},
      {"s", LogicalType::SmallInt(), true},
      {"i", LogicalType::Integer(), false},
      {"l", LogicalType::BigInt(), true},
      {"r", LogicalType::Real(), true},
      {"d", LogicalType::Double(), true},
      {"d9", LogicalType::Decimal(9, 2).value(), true},
      {"d18", LogicalType::Decimal(18, 3).value(), true},
      {"d38", LogicalType::Decimal(38, 10).value(), true},
      {"date", LogicalType::Date(), true},
      {"time", LogicalType::Time(), true},
      {"ts", LogicalType::Timestamp(), true},
      {"tstz", LogicalType::TimestampTz(), true},
      {"v", LogicalType::Varchar(), true},
      {"bytes", LogicalType::Bytea(), true},
      {"u", LogicalType::Uuid(), true},
      {"list", LogicalType::List(LogicalType::Integer()), true},
      {"map", LogicalType::Map(LogicalType::Varchar(), LogicalType::Double()), true},
      {"st", LogicalType::Struct({{"x", std::make_shared<LogicalType>(LogicalType::Integer())}}),
       true}};
  std::vector<Vector> columns;
  for (const Field& field : fields) {
    columns.push_back(Vector::MakeConstantNull(field.type, 1).value());
  }
  VectorBuilder integers(LogicalType::Integer());
  ASSERT_TRUE(integers.Append(int32_t{7}).ok());
  columns[2] = integers.Finish().value();
  ParquetWriterOptions options;
  for (size_t i = 0; i < fields.size(); ++i) {
    FieldIds ids{.id = static_cast<int32_t>(i + 1), .children = {}};
    if (fields[i].type.id() == types::TypeId::kList) {
      ids.children = {{.id = 100, .children = {}}};
    } else if (fields[i].type.id() == types::TypeId::kMap) {
      ids.children = {{.id = 101, .children = {}}, {.id = 102, .children = {}}};
    } else if (fields[i].type.id() == types::TypeId::kStruct) {
      ids.children = {{.id = 103, .children = {}}};
    }
    options.field_ids.push_back(ids);
  }
  FileMetaData footer = WriteAndReadFooter({MakeBatch(fields, columns)}, options);
  auto schema = FileSchema::Make(footer);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema(), Schema(fields));
  const auto& leaves = schema->columns();
  ASSERT_EQ(leaves.size(), 20u);
  EXPECT_EQ(leaves[1].physical_type, PhysicalType::kInt32);
  EXPECT_EQ(leaves[6].physical_type, PhysicalType::kInt32);
  EXPECT_EQ(leaves[7].physical_type, PhysicalType::kInt64);
  EXPECT_EQ(leaves[8].physical_type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(leaves[8].type_length, 16);
  EXPECT_EQ(leaves[15].type_length, 16);
  EXPECT_EQ(leaves[16].PathString(), "list.list.element");
  EXPECT_EQ(leaves[16].max_definition_level, 3);
  EXPECT_EQ(leaves[16].max_repetition_level, 1);
  EXPECT_EQ(leaves[17].PathString(), "map.key_value.key");
  EXPECT_EQ(leaves[18].PathString(), "map.key_value.value");
  EXPECT_EQ(leaves[0].field_id, 1);
  EXPECT_EQ(leaves[16].field_id, 100);
  EXPECT_EQ(leaves[18].field_id, 102);
  EXPECT_EQ(leaves[19].field_id, 103);
  EXPECT_EQ(footer.schema[3].repetition_type, FieldRepetitionType::kRequired);
  EXPECT_EQ(footer.num_rows, 1);
  ASSERT_EQ(footer.column_orders->size(), 20u);
}

TEST_F(ParquetWriterTest, RefusesIntervalColumns) {
  Schema schema({{"i", LogicalType::Interval(), true}});
  auto writer = ParquetWriter::Open(file_system_, "out.parquet", schema);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(writer.status().message().find("out.parquet"), std::string_view::npos);
  EXPECT_FALSE(file_system_.Exists("out.parquet").ValueOr(true));
}

TEST_F(ParquetWriterTest, FloatStatisticsSkipNaNAndNormalizeZeros) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  Batch batch = MakeBatch({{"d", LogicalType::Double(), true}}, {DoubleColumn({nan, 0.0, -0.0})});
  FileMetaData footer = WriteAndReadFooter({batch});
  const Statistics& statistics = *footer.row_groups[0].columns[0].meta_data->statistics;
  // parquet.thrift: a zero minimum is written as -0.0, a zero maximum as +0.0.
  EXPECT_EQ(statistics.min_value, Plain(-0.0));
  EXPECT_EQ(statistics.max_value, Plain(0.0));
  EXPECT_EQ(statistics.null_count, 0);

  Batch only_nan = MakeBatch({{"d", LogicalType::Double(), true}}, {DoubleColumn({nan, nan})});
  footer = WriteAndReadFooter({only_nan});
  const ColumnChunk& chunk = footer.row_groups[0].columns[0];
  EXPECT_FALSE(chunk.meta_data->statistics->min_value.has_value());
  EXPECT_FALSE(chunk.meta_data->statistics->max_value.has_value());
  // A page of NaNs has no bounds, which a ColumnIndex cannot express.
  EXPECT_FALSE(chunk.column_index_offset.has_value());
  EXPECT_TRUE(chunk.offset_index_offset.has_value());

  Batch mixed =
      MakeBatch({{"d", LogicalType::Double(), true}},
                {DoubleColumn({3.5, nan, -2.25, -std::numeric_limits<double>::infinity()})});
  footer = WriteAndReadFooter({mixed});
  EXPECT_EQ(footer.row_groups[0].columns[0].meta_data->statistics->min_value,
            Plain(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(footer.row_groups[0].columns[0].meta_data->statistics->max_value, Plain(3.5));
}

TEST_F(ParquetWriterTest, BinaryStatisticsCompareUnsignedBytes) {
  Batch batch = MakeBatch({{"v", LogicalType::Bytea(), true}},
                          {StringColumn({std::string("\x7f"), std::string("\xff\x01"),
                                         std::string(""), std::nullopt, std::string("\x80")},
                                        LogicalType::Bytea())});
  FileMetaData footer = WriteAndReadFooter({batch});
  const Statistics& statistics = *footer.row_groups[0].columns[0].meta_data->statistics;
  EXPECT_EQ(statistics.min_value, std::string(""));
  EXPECT_EQ(statistics.max_value, std::string("\xff\x01"));
  EXPECT_EQ(statistics.null_count, 1);
}

TEST_F(ParquetWriterTest, IntegerAndDecimalStatisticsAreSigned) {
  VectorBuilder decimals(LogicalType::Decimal(30, 0).value());
  ASSERT_TRUE(decimals.Append(types::Int128{5}).ok());
  ASSERT_TRUE(decimals.Append(types::Int128{-3}).ok());
  ASSERT_TRUE(decimals.Append(types::Int128{-1000}).ok());
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}, {"d", decimals.type(), true}},
                          {Int64Column({-5, 7, std::nullopt}), decimals.Finish().value()});
  FileMetaData footer = WriteAndReadFooter({batch});
  const Statistics& integers = *footer.row_groups[0].columns[0].meta_data->statistics;
  EXPECT_EQ(integers.min_value, Plain(int64_t{-5}));
  EXPECT_EQ(integers.max_value, Plain(int64_t{7}));
  const Statistics& wide = *footer.row_groups[0].columns[1].meta_data->statistics;
  // DECIMAL(30) takes 13 bytes, big-endian two's complement.
  std::string minus_thousand(13, '\xff');
  minus_thousand[11] = '\xfc';
  minus_thousand[12] = '\x18';
  std::string five(13, '\0');
  five[12] = '\x05';
  EXPECT_EQ(wide.min_value, minus_thousand);
  EXPECT_EQ(wide.max_value, five);
}

TEST_F(ParquetWriterTest, AcceptsConstantAndDictionaryVectors) {
  Vector constant = Vector::MakeConstant(Int64Column({42}), 0, 4).value();
  auto dictionary = std::make_shared<const Vector>(StringColumn({"pear", "apple", std::nullopt}));
  auto indices = vector::Buffer::Allocate(4 * sizeof(int32_t)).value();
  int32_t rows[] = {0, 1, 2, 0};
  std::memcpy(indices->mutable_data(), rows, sizeof(rows));
  Vector encoded = Vector::MakeDictionary(dictionary, 4, 0, indices, nullptr).value();
  Batch batch = MakeBatch({{"c", LogicalType::BigInt(), true}, {"v", LogicalType::Varchar(), true}},
                          {constant, encoded});
  FileMetaData footer = WriteAndReadFooter({batch});
  const Statistics& numbers = *footer.row_groups[0].columns[0].meta_data->statistics;
  EXPECT_EQ(numbers.min_value, Plain(int64_t{42}));
  EXPECT_EQ(numbers.max_value, Plain(int64_t{42}));
  const Statistics& strings = *footer.row_groups[0].columns[1].meta_data->statistics;
  EXPECT_EQ(strings.min_value, "apple");
  EXPECT_EQ(strings.max_value, "pear");
  EXPECT_EQ(strings.null_count, 1);
  EXPECT_EQ(footer.row_groups[0].columns[1].meta_data->num_values, 4);
}

TEST_F(ParquetWriterTest, DictionaryFallsBackAfterTheLimit) {
  std::vector<std::optional<std::string>> values;
  for (int i = 0; i < 4000; ++i) {
    values.push_back("value-" + std::to_string(i % 50 == 0 ? i : i % 10));
  }
  Batch batch = MakeBatch({{"v", LogicalType::Varchar(), true}}, {StringColumn(values)});
  ParquetWriterOptions options;
  options.dictionary_bytes_limit = 400;
  options.data_page_rows = 500;
  FileMetaData footer = WriteAndReadFooter({batch}, options);
  const ColumnMetaData& column = *footer.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(column.dictionary_page_offset.has_value());
  bool has_dictionary_pages = false;
  bool has_fallback_pages = false;
  for (const PageEncodingStats& stats : *column.encoding_stats) {
    has_dictionary_pages |= stats.encoding == Encoding::kRleDictionary;
    has_fallback_pages |=
        stats.page_type == PageType::kDataPage && stats.encoding != Encoding::kRleDictionary;
  }
  EXPECT_TRUE(has_dictionary_pages);
  EXPECT_TRUE(has_fallback_pages);
  // Every value after the fallback still counts.
  EXPECT_EQ(column.num_values, 4000);
}

// A chunk of NULLs alone has no dictionary, so its pages cannot be dictionary-encoded; a chunk
// whose first pages are NULL still gets its dictionary for the pages with values.
TEST_F(ParquetWriterTest, PagesOfNullsBeforeAnyValueReadBack) {
  std::vector<std::optional<int64_t>> nulls(1000, std::nullopt);
  std::vector<std::optional<int64_t>> late(1000, std::nullopt);
  for (int i = 600; i < 1000; ++i) {
    late[static_cast<size_t>(i)] = i % 7;
  }
  Batch batch =
      MakeBatch({{"nulls", LogicalType::BigInt(), true}, {"late", LogicalType::BigInt(), true}},
                {Int64Column(nulls), Int64Column(late)});
  ParquetWriterOptions options;
  options.data_page_rows = 100;
  FileMetaData footer = WriteAndReadFooter({batch}, options);
  for (const ColumnChunk& chunk : footer.row_groups[0].columns) {
    const ColumnMetaData& column = *chunk.meta_data;
    for (const PageEncodingStats& stats : *column.encoding_stats) {
      if (stats.encoding == Encoding::kRleDictionary) {
        EXPECT_TRUE(column.dictionary_page_offset.has_value());
      }
    }
  }
  EXPECT_FALSE(footer.row_groups[0].columns[0].meta_data->dictionary_page_offset.has_value());
  EXPECT_TRUE(footer.row_groups[0].columns[1].meta_data->dictionary_page_offset.has_value());

  auto file = file_system_.OpenInputFile("out.parquet");
  ASSERT_TRUE(file.ok());
  auto reader = ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file).value()));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  int64_t row = 0;
  while (true) {
    auto next = (*reader)->Next();
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    if (!next->has_value()) {
      break;
    }
    const Batch& read = **next;
    for (int64_t i = 0; i < read.num_rows(); ++i, ++row) {
      EXPECT_TRUE(read.column(0).IsNull(i));
      if (row < 600) {
        EXPECT_TRUE(read.column(1).IsNull(i)) << row;
      } else {
        ASSERT_FALSE(read.column(1).IsNull(i)) << row;
        EXPECT_EQ(read.column(1).Get<int64_t>(i), row % 7);
      }
    }
  }
  EXPECT_EQ(row, 1000);
}

TEST_F(ParquetWriterTest, FlushesRowGroupsByRowsAndBytes) {
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 0; i < 10000; ++i) {
    values.push_back(i * 7919 % 100003);
  }
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}}, {Int64Column(values)});
  ParquetWriterOptions by_rows;
  by_rows.row_group_rows = 3000;
  FileMetaData footer = WriteAndReadFooter({batch, batch}, by_rows);
  ASSERT_EQ(footer.row_groups.size(), 7u);
  EXPECT_EQ(footer.row_groups[0].num_rows, 3000);
  EXPECT_EQ(footer.row_groups[6].num_rows, 2000);
  EXPECT_EQ(footer.num_rows, 20000);

  ParquetWriterOptions by_bytes;
  by_bytes.row_group_bytes = 1;
  by_bytes.codec = CompressionCodec::kUncompressed;
  footer = WriteAndReadFooter({batch}, by_bytes);
  // With a one-byte limit every slice of rows handed to the columns becomes a row group.
  EXPECT_EQ(footer.row_groups.size(), 2u);
  EXPECT_EQ(footer.row_groups[0].num_rows, 8192);
}

// Walks the pages of one chunk as the OffsetIndex lists them and checks every location against
// the page header found there.
void CheckPageIndex(const std::string& file, const ColumnChunk& chunk, int64_t num_rows) {
  std::span<const uint8_t> bytes = AsSpan(file);
  ASSERT_TRUE(chunk.offset_index_offset.has_value());
  auto offset_index =
      ReadOffsetIndex(bytes.subspan(*chunk.offset_index_offset, *chunk.offset_index_length));
  ASSERT_TRUE(offset_index.ok()) << offset_index.status().ToString();
  auto column_index =
      ReadColumnIndex(bytes.subspan(*chunk.column_index_offset, *chunk.column_index_length));
  ASSERT_TRUE(column_index.ok()) << column_index.status().ToString();
  const auto& locations = offset_index->page_locations;
  ASSERT_EQ(column_index->null_pages.size(), locations.size());
  EXPECT_EQ(locations[0].offset, chunk.meta_data->data_page_offset);
  int64_t rows = 0;
  int64_t end = 0;
  for (size_t i = 0; i < locations.size(); ++i) {
    size_t header_size = 0;
    auto header = ReadPageHeader(bytes.subspan(locations[i].offset), header_size);
    ASSERT_TRUE(header.ok()) << header.status().ToString();
    EXPECT_EQ(locations[i].compressed_page_size,
              static_cast<int64_t>(header_size) + header->compressed_page_size);
    EXPECT_EQ(locations[i].first_row_index, rows);
    EXPECT_TRUE(VerifyPageCrc(header->crc, bytes.subspan(locations[i].offset + header_size,
                                                         header->compressed_page_size))
                    .ok());
    rows += header->data_page_header_v2 ? header->data_page_header_v2->num_rows
                                        : header->data_page_header->num_values;
    ASSERT_TRUE(header->data_page_header_v2 || header->data_page_header);
    const Statistics& page = header->data_page_header_v2 ? *header->data_page_header_v2->statistics
                                                         : *header->data_page_header->statistics;
    EXPECT_EQ(page.min_value.value_or(""), column_index->min_values[i]);
    end = locations[i].offset + locations[i].compressed_page_size;
  }
  EXPECT_EQ(rows, num_rows);
  EXPECT_EQ(end,
            chunk.meta_data->dictionary_page_offset.value_or(chunk.meta_data->data_page_offset) +
                chunk.meta_data->total_compressed_size);
}

TEST_F(ParquetWriterTest, PageIndexMatchesThePagesWritten) {
  std::vector<std::optional<int64_t>> numbers;
  std::vector<std::optional<std::string>> strings;
  for (int64_t i = 0; i < 5000; ++i) {
    numbers.push_back(i % 11 == 0 ? std::nullopt : std::optional<int64_t>(i));
    strings.push_back("s" + std::to_string(i * 31 % 977));
  }
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}, {"v", LogicalType::Varchar(), true}},
                          {Int64Column(numbers), StringColumn(strings)});
  for (DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    ParquetWriterOptions options;
    options.data_page_rows = 700;
    options.data_page_version = version;
    FileMetaData footer = WriteAndReadFooter({batch}, options);
    for (const ColumnChunk& chunk : footer.row_groups[0].columns) {
      CheckPageIndex(file_, chunk, 5000);
    }
    auto column_index = ReadColumnIndex(
        AsSpan(file_).subspan(*footer.row_groups[0].columns[0].column_index_offset,
                              *footer.row_groups[0].columns[0].column_index_length));
    EXPECT_EQ(column_index->boundary_order, BoundaryOrder::kAscending);
    EXPECT_EQ(column_index->null_pages.size(), 8u);
  }
}

TEST_F(ParquetWriterTest, NestedPagesStartAtRowBoundaries) {
  VectorBuilder lists(LogicalType::List(LogicalType::BigInt()));
  for (int64_t row = 0; row < 3000; ++row) {
    if (row % 7 == 3) {
      ASSERT_TRUE(lists.AppendNull().ok());
      continue;
    }
    for (int64_t element = 0; element < row % 5; ++element) {
      ASSERT_TRUE(lists.child(0).Append(row * 10 + element).ok());
    }
    ASSERT_TRUE(lists.AppendList().ok());
  }
  Batch batch = MakeBatch({{"list", lists.type(), true}}, {lists.Finish().value()});
  ParquetWriterOptions options;
  options.data_page_rows = 250;
  options.data_page_version = DataPageVersion::kV2;
  FileMetaData footer = WriteAndReadFooter({batch}, options);
  CheckPageIndex(file_, footer.row_groups[0].columns[0], 3000);
}

TEST_F(ParquetWriterTest, AbortLeavesNoFile) {
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}}, {Int64Column({1, 2, 3})});
  auto writer = ParquetWriter::Open(file_system_, "aborted.parquet", batch.schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(batch).ok());
  ASSERT_TRUE((*writer)->Abort().ok());
  EXPECT_FALSE(file_system_.Exists("aborted.parquet").ValueOr(true));
  EXPECT_FALSE((*writer)->Close().ok());

  auto unclosed = ParquetWriter::Open(file_system_, "unclosed.parquet", batch.schema());
  ASSERT_TRUE((*unclosed)->Write(batch).ok());
  unclosed->reset();
  EXPECT_FALSE(file_system_.Exists("unclosed.parquet").ValueOr(true));
}

TEST_F(ParquetWriterTest, ErrorLeavesNoFileOnLocalDisk) {
  auto directory = std::filesystem::temp_directory_path() /
                   ("floe-parquet-writer-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  io::LocalFileSystem local;
  std::string path = (directory / "failed.parquet").string();
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}}, {Int64Column({1, 2, 3})});
  auto writer = ParquetWriter::Open(local, path, batch.schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(batch).ok());
  Batch wrong = MakeBatch({{"v", LogicalType::Varchar(), true}}, {StringColumn({"x"})});
  Status status = (*writer)->Write(wrong);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(path), std::string_view::npos);
  EXPECT_FALSE((*writer)->Close().ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(directory));

  auto written = ParquetWriter::Open(local, path, batch.schema());
  ASSERT_TRUE((*written)->Write(batch).ok());
  ASSERT_TRUE((*written)->Close().ok());
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove_all(directory);
}

TEST_F(ParquetWriterTest, MemoryBudgetIsEnforced) {
  std::vector<std::optional<std::string>> values;
  for (int i = 0; i < 8000; ++i) {
    values.push_back(std::string(100, static_cast<char>('a' + i % 26)) + std::to_string(i));
  }
  Batch batch = MakeBatch({{"v", LogicalType::Varchar(), true}}, {StringColumn(values)});
  MemoryTracker tracker("writer", 64 * 1024);
  auto writer = ParquetWriter::Open(file_system_, "big.parquet", batch.schema(), {}, &tracker);
  ASSERT_TRUE(writer.ok());
  Status status = (*writer)->Write(batch);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(file_system_.Exists("big.parquet").ValueOr(true));
  writer->reset();
  EXPECT_EQ(tracker.used(), 0);
}

TEST_F(ParquetWriterTest, BloomFilterFindsInsertedValues) {
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 0; i < 5000; ++i) {
    values.push_back(i * 3);
  }
  Batch batch = MakeBatch({{"l", LogicalType::BigInt(), true}}, {Int64Column(values)});
  ParquetWriterOptions options;
  options.columns["l"].has_bloom_filter = true;
  FileMetaData footer = WriteAndReadFooter({batch}, options);
  const ColumnMetaData& column = *footer.row_groups[0].columns[0].meta_data;
  ASSERT_TRUE(column.bloom_filter_offset.has_value());
  std::span<const uint8_t> bytes =
      AsSpan(file_).subspan(*column.bloom_filter_offset, *column.bloom_filter_length);
  size_t header_size = 0;
  auto header = ReadBloomFilterHeader(bytes, header_size);
  ASSERT_TRUE(header.ok());
  ASSERT_EQ(header_size + header->num_bytes, bytes.size());
  SplitBlockBloomFilter filter(header->num_bytes);
  std::memcpy(const_cast<uint8_t*>(filter.bytes().data()), bytes.data() + header_size,
              header->num_bytes);
  for (int64_t i = 0; i < 5000; ++i) {
    EXPECT_TRUE(filter.MayContain(XxHash64(Plain(i * 3))));
  }
  int false_positives = 0;
  for (int64_t i = 0; i < 5000; ++i) {
    false_positives += filter.MayContain(XxHash64(Plain(i * 3 + 1))) ? 1 : 0;
  }
  EXPECT_LT(false_positives, 150);  // Sized for 1%.
}

TEST(BloomFilterBuilderTest, XxHash64MatchesReferenceValues) {
  EXPECT_EQ(XxHash64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(XxHash64("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(XxHash64("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(XxHash64("0123456789abcdef0123456789abcdef0123456789"), 0xA76190C3ACF08A1CULL);
}

TEST(BloomFilterBuilderTest, SizesFollowTheSpecFormula) {
  EXPECT_EQ(OptimalBloomFilterBytes(0, 0.01, 1 << 20), 32);
  // 1,000,000 values at 1% need about 1.2 MB: capped at the maximum.
  EXPECT_EQ(OptimalBloomFilterBytes(1000000, 0.01, 1 << 20), 1 << 20);
  EXPECT_EQ(OptimalBloomFilterBytes(1000, 0.01, 1 << 20), 2048);
}

}  // namespace
}  // namespace floe::format::parquet
