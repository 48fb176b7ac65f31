#include "format/parquet/metadata.h"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/thrift_compact.h"

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Statistics FullStatistics() {
  Statistics statistics;
  statistics.max = std::string("\xff\x7f", 2);
  statistics.min = std::string("\x00\x80", 2);
  statistics.null_count = 0;
  statistics.distinct_count = std::numeric_limits<int64_t>::max();
  statistics.max_value = "zebra";
  statistics.min_value = "";
  statistics.is_max_value_exact = true;
  statistics.is_min_value_exact = false;
  statistics.nan_count = 3;
  return statistics;
}

SchemaElement Leaf(std::string name, PhysicalType type, LogicalType logical_type) {
  SchemaElement element;
  element.name = std::move(name);
  element.type = type;
  element.repetition_type = FieldRepetitionType::kOptional;
  element.field_id = 7;
  element.logical_type = logical_type;
  return element;
}

std::vector<SchemaElement> SchemaWithEveryLogicalType() {
  std::vector<SchemaElement> schema(1);
  schema[0].name = "root";
  using Kind = LogicalTypeKind;
  for (Kind kind : {Kind::kString, Kind::kMap, Kind::kList, Kind::kEnum, Kind::kDate,
                    Kind::kUnknown, Kind::kJson, Kind::kBson, Kind::kUuid, Kind::kFloat16}) {
    schema.push_back(Leaf("plain", PhysicalType::kByteArray, LogicalType{.kind = kind}));
  }
  SchemaElement decimal = Leaf("decimal", PhysicalType::kFixedLenByteArray,
                               LogicalType{.kind = Kind::kDecimal, .scale = 2, .precision = 38});
  decimal.type_length = 16;
  decimal.converted_type = ConvertedType::kDecimal;
  decimal.scale = 2;
  decimal.precision = 38;
  schema.push_back(decimal);
  for (TimeUnit unit : {TimeUnit::kMillis, TimeUnit::kMicros, TimeUnit::kNanos}) {
    schema.push_back(
        Leaf("time", PhysicalType::kInt64,
             LogicalType{.kind = Kind::kTime, .is_adjusted_to_utc = true, .unit = unit}));
    schema.push_back(Leaf("timestamp", PhysicalType::kInt64,
                          LogicalType{.kind = Kind::kTimestamp, .unit = unit}));
  }
  schema.push_back(Leaf("int", PhysicalType::kInt32,
                        LogicalType{.kind = Kind::kInteger, .bit_width = 8, .is_signed = false}));
  schema.push_back(Leaf("int", PhysicalType::kInt64,
                        LogicalType{.kind = Kind::kInteger, .bit_width = 64, .is_signed = true}));
  schema[0].num_children = static_cast<int32_t>(schema.size() - 1);
  return schema;
}

ColumnChunk FullColumnChunk() {
  ColumnMetaData metadata;
  metadata.type = PhysicalType::kInt96;
  metadata.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  metadata.path_in_schema = {"a", "b", "c"};
  metadata.codec = CompressionCodec::kZstd;
  metadata.num_values = 1'000'000'000'000;
  metadata.total_uncompressed_size = 1 << 30;
  metadata.total_compressed_size = 12345;
  metadata.key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"only key", std::nullopt}};
  metadata.data_page_offset = 4;
  metadata.index_page_offset = 99;
  metadata.dictionary_page_offset = 4;
  metadata.statistics = FullStatistics();
  metadata.encoding_stats =
      std::vector<PageEncodingStats>{{PageType::kDictionaryPage, Encoding::kPlain, 1},
                                     {PageType::kDataPage, Encoding::kRleDictionary, 7}};
  metadata.bloom_filter_offset = 5000;
  metadata.bloom_filter_length = 64;
  ColumnChunk chunk;
  chunk.file_path = "other.parquet";
  chunk.file_offset = 0;
  chunk.meta_data = metadata;
  chunk.offset_index_offset = 700;
  chunk.offset_index_length = 30;
  chunk.column_index_offset = 600;
  chunk.column_index_length = 100;
  return chunk;
}

FileMetaData FullFileMetaData() {
  FileMetaData metadata;
  metadata.version = 2;
  metadata.schema = SchemaWithEveryLogicalType();
  metadata.num_rows = 3;
  RowGroup row_group;
  row_group.columns = {FullColumnChunk(), ColumnChunk{}};
  row_group.total_byte_size = 1 << 20;
  row_group.num_rows = 3;
  row_group.sorting_columns = std::vector<SortingColumn>{{0, true, false}, {1, false, true}};
  row_group.file_offset = 4;
  row_group.total_compressed_size = 4000;
  row_group.ordinal = std::numeric_limits<int16_t>::max();
  metadata.row_groups = {row_group, RowGroup{}};
  metadata.key_value_metadata = std::vector<KeyValue>{{"iceberg.schema", "{}"}};
  metadata.created_by = "floe version 0.1.0";
  metadata.column_orders =
      std::vector<ColumnOrder>{ColumnOrder::kTypeDefinedOrder, ColumnOrder::kIeee754TotalOrder,
                               ColumnOrder::kInt96TimestampOrder};
  return metadata;
}

TEST(MetadataTest, RoundTripsAFullFileMetaData) {
  FileMetaData metadata = FullFileMetaData();
  Bytes bytes;
  WriteFileMetaData(metadata, bytes);
  auto decoded = ReadFileMetaData(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, metadata);
}

TEST(MetadataTest, RoundTripsAMinimalFileMetaData) {
  FileMetaData metadata;
  metadata.schema.resize(1);
  metadata.schema[0].name = "schema";
  Bytes bytes;
  WriteFileMetaData(metadata, bytes);
  auto decoded = ReadFileMetaData(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, metadata);
}

TEST(MetadataTest, RoundTripsEveryPageHeaderKind) {
  PageHeader data;
  data.type = PageType::kDataPage;
  data.uncompressed_page_size = 100;
  data.compressed_page_size = 50;
  data.crc = -1;
  data.data_page_header = DataPageHeader{10, Encoding::kDeltaBinaryPacked, Encoding::kRle,
                                         Encoding::kBitPacked, FullStatistics()};
  PageHeader dictionary;
  dictionary.type = PageType::kDictionaryPage;
  dictionary.dictionary_page_header = DictionaryPageHeader{5, Encoding::kPlainDictionary, true};
  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.data_page_header_v2 =
      DataPageHeaderV2{10, 2, 8, Encoding::kByteStreamSplit, 3, 4, false, Statistics{}};
  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header = IndexPageHeader{};
  for (const PageHeader& header : {data, dictionary, v2, index}) {
    Bytes bytes;
    WritePageHeader(header, bytes);
    bytes.push_back(0xEE);  // Page data follows the header.
    size_t consumed = 0;
    auto decoded = ReadPageHeader(bytes, consumed);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, header);
    EXPECT_EQ(consumed, bytes.size() - 1);
  }
}

TEST(MetadataTest, RoundTripsPageIndexes) {
  ColumnIndex column_index;
  column_index.null_pages = {false, true, false};
  column_index.min_values = {"a", "", "c"};
  column_index.max_values = {"b", "", std::string(300, 'z')};
  column_index.boundary_order = BoundaryOrder::kAscending;
  column_index.null_counts = std::vector<int64_t>{0, 10, 0};
  column_index.definition_level_histograms = std::vector<int64_t>{1, 2, 3, 4, 5, 6};
  Bytes bytes;
  WriteColumnIndex(column_index, bytes);
  EXPECT_EQ(*ReadColumnIndex(bytes), column_index);

  OffsetIndex offset_index;
  for (int64_t i = 0; i < 20; ++i) {
    offset_index.page_locations.push_back({4 + i * 1000, 1000, i * 100});
  }
  offset_index.unencoded_byte_array_data_bytes = std::vector<int64_t>(20, 77);
  bytes.clear();
  WriteOffsetIndex(offset_index, bytes);
  EXPECT_EQ(*ReadOffsetIndex(bytes), offset_index);
}

TEST(MetadataTest, RoundTripsBloomFilterHeader) {
  BloomFilterHeader header{.num_bytes = 1024};
  Bytes bytes;
  WriteBloomFilterHeader(header, bytes);
  size_t header_size = bytes.size();
  bytes.resize(header_size + 1024);
  size_t consumed = 0;
  EXPECT_EQ(*ReadBloomFilterHeader(bytes, consumed), header);
  EXPECT_EQ(consumed, header_size);
}

TEST(MetadataTest, EncodesFieldIdsOfTheSpecification) {
  // PageHeader{type = DICTIONARY_PAGE (field 1), sizes 3 and 2 (fields 2 and 3),
  // dictionary_page_header (field 7) = {num_values 1, encoding PLAIN}}.
  Bytes expected = {0x15, 0x04, 0x15, 0x06, 0x15, 0x04, 0x4C, 0x15, 0x02, 0x15, 0x00, 0x00, 0x00};
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  header.uncompressed_page_size = 3;
  header.compressed_page_size = 2;
  header.dictionary_page_header = DictionaryPageHeader{1, Encoding::kPlain, std::nullopt};
  Bytes bytes;
  WritePageHeader(header, bytes);
  EXPECT_EQ(bytes, expected);
}

TEST(MetadataTest, SkipsUnknownFields) {
  // A KeyValue with unknown fields 3 (list of structs) and 9 (double) around the known ones.
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, CompactType::kBinary);
  writer.WriteBinary("key");
  writer.WriteFieldHeader(3, CompactType::kList);
  writer.WriteListHeader(CompactType::kStruct, 1);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, CompactType::kI64);
  writer.WriteI64(5);
  writer.EndStruct();
  writer.WriteFieldHeader(9, CompactType::kDouble);
  writer.WriteDouble(1.5);
  writer.EndStruct();
  // Wrap it as FileMetaData.key_value_metadata with the required fields around it.
  Bytes file;
  CompactWriter file_writer(file);
  file_writer.BeginStruct();
  file_writer.WriteFieldHeader(1, CompactType::kI32);
  file_writer.WriteI32(1);
  file_writer.WriteFieldHeader(2, CompactType::kList);
  file_writer.WriteListHeader(CompactType::kStruct, 1);
  file_writer.BeginStruct();
  file_writer.WriteFieldHeader(4, CompactType::kBinary);
  file_writer.WriteBinary("root");
  file_writer.EndStruct();
  file_writer.WriteFieldHeader(3, CompactType::kI64);
  file_writer.WriteI64(0);
  file_writer.WriteFieldHeader(4, CompactType::kList);
  file_writer.WriteListHeader(CompactType::kStruct, 0);
  file_writer.WriteFieldHeader(5, CompactType::kList);
  file_writer.WriteListHeader(CompactType::kStruct, 1);
  file.insert(file.end(), bytes.begin(), bytes.end());
  file_writer.WriteFieldHeader(100, CompactType::kMap);
  file_writer.WriteMapHeader(CompactType::kI32, CompactType::kBinary, 1);
  file_writer.WriteI32(1);
  file_writer.WriteBinary("x");
  file_writer.EndStruct();
  auto decoded = ReadFileMetaData(file);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_TRUE(decoded->key_value_metadata.has_value());
  EXPECT_EQ(decoded->key_value_metadata->at(0).key, "key");
  EXPECT_FALSE(decoded->key_value_metadata->at(0).value.has_value());
}

TEST(MetadataTest, RejectsMissingRequiredFields) {
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, CompactType::kI32);
  writer.WriteI32(0);
  writer.WriteFieldHeader(3, CompactType::kI32);
  writer.WriteI32(10);
  writer.EndStruct();
  size_t consumed = 0;
  auto header = ReadPageHeader(bytes, consumed);
  EXPECT_EQ(header.status().code(), StatusCode::kCorruption);
  EXPECT_NE(header.status().message().find("PageHeader ending at byte 5 lacks required field 2"),
            std::string_view::npos)
      << header.status().ToString();
}

TEST(MetadataTest, RejectsEveryTruncation) {
  Bytes bytes;
  WriteFileMetaData(FullFileMetaData(), bytes);
  for (size_t length = 0; length < bytes.size(); ++length) {
    auto decoded = ReadFileMetaData(std::span<const uint8_t>(bytes.data(), length));
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << length;
  }
}

TEST(MetadataTest, SurvivesRandomCorruption) {
  Bytes original;
  WriteFileMetaData(FullFileMetaData(), original);
  std::mt19937 random(42);
  for (int trial = 0; trial < 2000; ++trial) {
    Bytes bytes = original;
    for (int flips = 0; flips < 3; ++flips) {
      bytes[random() % bytes.size()] = static_cast<uint8_t>(random());
    }
    auto decoded = ReadFileMetaData(bytes);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
    }
  }
}

TEST(MetadataTest, RejectsHugeListsBeforeAllocating) {
  // FileMetaData field 2 claims 2^31 - 1 schema elements in a few bytes.
  Bytes bytes = {0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00};
  auto decoded = ReadFileMetaData(bytes);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
