#include "format/parquet/reader/parquet_reader.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/encoding/byte_stream_split.h"
#include "format/parquet/encoding/delta_binary_packed.h"
#include "format/parquet/encoding/delta_byte_array.h"
#include "format/parquet/encoding/plain.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/memory/memory_file_system.h"
#include "parquet_test_file.h"
#include "types/value.h"
#include "vector/vector_builder.h"

namespace floe::format::parquet {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using types::Value;

constexpr auto kRequired = FieldRepetitionType::kRequired;
constexpr auto kOptional = FieldRepetitionType::kOptional;
constexpr auto kRepeated = FieldRepetitionType::kRepeated;

Result<std::unique_ptr<ParquetReader>> OpenBytes(const std::string& bytes,
                                                 ParquetReadOptions options = {}) {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  FLOE_RETURN_NOT_OK(file_system->CreateExclusive("test.parquet", bytes));
  FLOE_ASSIGN_OR_RETURN(auto file, file_system->OpenInputFile("test.parquet"));
  return ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)),
                             std::move(options));
}

// Reads every row of every column as text ("NULL" for NULL rows), row by row.
Result<std::vector<std::string>> ReadRows(const std::string& bytes) {
  FLOE_ASSIGN_OR_RETURN(auto reader, OpenBytes(bytes));
  std::vector<std::string> rows;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch.has_value()) {
      return rows;
    }
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string text;
      for (int64_t column = 0; column < batch->num_columns(); ++column) {
        FLOE_ASSIGN_OR_RETURN(Value value, batch->column(column).GetValue(row));
        text += (column == 0 ? "" : "|") + value.ToString();
      }
      rows.push_back(text);
    }
  }
}

std::vector<SchemaElement> FlatSchema(SchemaElement leaf) {
  return {Group("schema", 1, std::nullopt), std::move(leaf)};
}

TEST(ParquetReaderTest, ReadsOptionalInt32WithNulls) {
  TestChunk chunk;
  chunk.num_values = 4;
  AppendDataPageV1(chunk.pages, 4, Encoding::kPlain,
                   Concat({V1Levels({1, 0, 1, 1}, 1), PlainBytes<int32_t>({7, -3, 42})}));
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kOptional)), {chunk}, 4));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"7", "NULL", "-3", "42"}));
}

TEST(ParquetReaderTest, ReadsDictionaryStringsAsDictionaryVector) {
  TestChunk chunk;
  chunk.num_values = 3;
  chunk.has_dictionary = true;
  Bytes dictionary;
  std::vector<std::string_view> words = {"apple", "pear"};
  EncodePlainByteArrays(words, dictionary);
  AppendDictionaryPage(chunk.pages, 2, dictionary);
  Bytes indices = {1};  // Bit width.
  EncodeRleBitPacked(std::vector<uint32_t>{1, 0, 1}, 1, indices);
  AppendDataPageV1(chunk.pages, 3, Encoding::kRleDictionary, indices);
  SchemaElement leaf = Leaf("s", PhysicalType::kByteArray, kRequired);
  leaf.converted_type = ConvertedType::kUtf8;
  std::string file = BuildFile(FlatSchema(leaf), {chunk}, 3);
  auto reader = OpenBytes(file);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto batch = (*reader)->Next();
  ASSERT_TRUE(batch.ok() && batch->has_value()) << batch.status().ToString();
  const vector::Vector& column = (*batch)->column(0);
  EXPECT_EQ(column.encoding(), vector::Encoding::kDictionary);
  EXPECT_EQ(column.GetString(0), "pear");
  EXPECT_EQ(column.GetString(1), "apple");
  EXPECT_EQ(column.GetString(2), "pear");
}

TEST(ParquetReaderTest, ReadsDeltaBinaryPackedInt64) {
  std::vector<int64_t> values = {5, 6, 100, -7, INT64_MAX, INT64_MIN};
  Bytes encoded;
  EncodeDeltaBinaryPacked<int64_t>(values, encoded);
  TestChunk chunk;
  chunk.num_values = 6;
  AppendDataPageV1(chunk.pages, 6, Encoding::kDeltaBinaryPacked, encoded);
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt64, kRequired)), {chunk}, 6));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"5", "6", "100", "-7", "9223372036854775807",
                                             "-9223372036854775808"}));
}

TEST(ParquetReaderTest, ReadsByteStreamSplitDoubles) {
  std::vector<double> values = {1.5, -2.25, 1e300};
  Bytes plain = PlainBytes(values);
  Bytes encoded;
  EncodeByteStreamSplit(plain, 8, encoded);
  TestChunk chunk;
  chunk.num_values = 3;
  AppendDataPageV1(chunk.pages, 3, Encoding::kByteStreamSplit, encoded);
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("d", PhysicalType::kDouble, kRequired)), {chunk}, 3));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"1.5", "-2.25", "1e+300"}));
}

TEST(ParquetReaderTest, ReadsDeltaByteArraysWithNulls) {
  std::vector<std::string_view> words = {"floe", "flow", "flower"};
  Bytes encoded;
  EncodeDeltaByteArray(words, encoded);
  TestChunk chunk;
  chunk.num_values = 4;
  AppendDataPageV1(chunk.pages, 4, Encoding::kDeltaByteArray,
                   Concat({V1Levels({1, 1, 0, 1}, 1), encoded}));
  SchemaElement leaf = Leaf("s", PhysicalType::kByteArray, kOptional);
  leaf.converted_type = ConvertedType::kUtf8;
  auto rows = ReadRows(BuildFile(FlatSchema(leaf), {chunk}, 4));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"floe", "flow", "NULL", "flower"}));
}

TEST(ParquetReaderTest, ReadsRleBooleans) {
  Bytes runs;
  EncodeRleBitPacked(std::vector<uint32_t>{1, 0, 0, 1, 1}, 1, runs);
  TestChunk chunk;
  chunk.num_values = 5;
  AppendDataPageV1(chunk.pages, 5, Encoding::kRle, Concat({V1Levels({}, 1), runs}));
  // V1Levels({}) gives an empty length prefix; patch it to the runs' length.
  Bytes body = chunk.pages;
  chunk.pages.clear();
  Bytes prefixed(4);
  auto length = static_cast<uint32_t>(runs.size());
  std::memcpy(prefixed.data(), &length, 4);
  AppendDataPageV1(chunk.pages, 5, Encoding::kRle, Concat({prefixed, runs}));
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("b", PhysicalType::kBoolean, kRequired)), {chunk}, 5));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"t", "f", "f", "t", "t"}));
}

TEST(ParquetReaderTest, ConvertsInt96AndUnsignedAndDecimal) {
  // 2000-01-01 12:00:00.000001: Julian day 2451545, 12 hours and one microsecond in nanos.
  Int96 stamp;
  uint64_t nanos = uint64_t{12} * 3600 * 1000000000 + 1000;
  stamp.words[0] = static_cast<uint32_t>(nanos);
  stamp.words[1] = static_cast<uint32_t>(nanos >> 32);
  stamp.words[2] = 2451545;
  TestChunk time_chunk;
  time_chunk.num_values = 1;
  AppendDataPageV1(time_chunk.pages, 1, Encoding::kPlain, PlainBytes<Int96>({stamp}));
  TestChunk unsigned_chunk;
  unsigned_chunk.num_values = 1;
  AppendDataPageV1(unsigned_chunk.pages, 1, Encoding::kPlain, PlainBytes<int64_t>({-1}));
  TestChunk decimal_chunk;
  decimal_chunk.num_values = 1;
  AppendDataPageV1(decimal_chunk.pages, 1, Encoding::kPlain, Bytes{0xff, 0x85});  // -123
  SchemaElement unsigned_leaf = Leaf("u", PhysicalType::kInt64, kRequired);
  unsigned_leaf.converted_type = ConvertedType::kUint64;
  SchemaElement decimal_leaf = Leaf("d", PhysicalType::kFixedLenByteArray, kRequired);
  decimal_leaf.type_length = 2;
  decimal_leaf.converted_type = ConvertedType::kDecimal;
  decimal_leaf.precision = 4;
  decimal_leaf.scale = 2;
  std::vector<SchemaElement> schema = {Group("schema", 3, std::nullopt),
                                       Leaf("t", PhysicalType::kInt96, kRequired), unsigned_leaf,
                                       decimal_leaf};
  auto rows = ReadRows(BuildFile(schema, {time_chunk, unsigned_chunk, decimal_chunk}, 1));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows,
            (std::vector<std::string>{"2000-01-01 12:00:00.000001|18446744073709551615|-1.23"}));
}

// A three-level list: rows [1, NULL], NULL, [], [2].
TEST(ParquetReaderTest, AssemblesThreeLevelListWithNullAndEmpty) {
  SchemaElement list = Group("l", 1, kOptional);
  list.converted_type = ConvertedType::kList;
  std::vector<SchemaElement> schema = {Group("schema", 1, std::nullopt), list,
                                       Group("list", 1, kRepeated),
                                       Leaf("element", PhysicalType::kInt32, kOptional)};
  TestChunk chunk;
  chunk.num_values = 5;
  AppendDataPageV1(chunk.pages, 5, Encoding::kPlain,
                   Concat({V1Levels({0, 1, 0, 0, 0}, 1), V1Levels({3, 2, 0, 1, 3}, 2),
                           PlainBytes<int32_t>({1, 2})}));
  auto rows = ReadRows(BuildFile(schema, {chunk}, 4));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"{1,NULL}", "NULL", "{}", "{2}"}));
}

// LogicalTypes.md backward compatibility: a LIST whose repeated child is a primitive is a
// two-level list of required elements.
TEST(ParquetReaderTest, AssemblesLegacyTwoLevelList) {
  SchemaElement list = Group("l", 1, kOptional);
  list.converted_type = ConvertedType::kList;
  std::vector<SchemaElement> schema = {Group("schema", 1, std::nullopt), list,
                                       Leaf("array", PhysicalType::kInt32, kRepeated)};
  TestChunk chunk;
  chunk.num_values = 4;
  // Rows: [4, 5], NULL, [6].
  AppendDataPageV1(chunk.pages, 4, Encoding::kPlain,
                   Concat({V1Levels({0, 1, 0, 0}, 1), V1Levels({2, 2, 0, 2}, 2),
                           PlainBytes<int32_t>({4, 5, 6})}));
  auto rows = ReadRows(BuildFile(schema, {chunk}, 3));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"{4,5}", "NULL", "{6}"}));
}

// A bare repeated field outside any LIST is a required list of required elements.
TEST(ParquetReaderTest, AssemblesBareRepeatedField) {
  std::vector<SchemaElement> schema = {Group("schema", 1, std::nullopt),
                                       Leaf("r", PhysicalType::kInt32, kRepeated)};
  TestChunk chunk;
  chunk.num_values = 3;
  AppendDataPageV1(
      chunk.pages, 3, Encoding::kPlain,
      Concat({V1Levels({0, 1, 0}, 1), V1Levels({1, 1, 0}, 1), PlainBytes<int32_t>({1, 2})}));
  auto rows = ReadRows(BuildFile(schema, {chunk}, 2));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"{1,2}", "{}"}));
}

// An optional struct of two fields: {a: 1, b: NULL}, NULL.
TEST(ParquetReaderTest, AssemblesStructWithNulls) {
  std::vector<SchemaElement> schema = {Group("schema", 1, std::nullopt), Group("s", 2, kOptional),
                                       Leaf("a", PhysicalType::kInt32, kRequired),
                                       Leaf("b", PhysicalType::kInt32, kOptional)};
  TestChunk a;
  a.num_values = 2;
  AppendDataPageV1(a.pages, 2, Encoding::kPlain,
                   Concat({V1Levels({1, 0}, 1), PlainBytes<int32_t>({1})}));
  TestChunk b;
  b.num_values = 2;
  AppendDataPageV1(b.pages, 2, Encoding::kPlain, V1Levels({1, 0}, 2));
  auto rows = ReadRows(BuildFile(schema, {a, b}, 2));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"(1,)", "NULL"}));
}

TEST(ParquetReaderTest, RejectsDictionaryIndexPastDictionary) {
  TestChunk chunk;
  chunk.num_values = 1;
  chunk.has_dictionary = true;
  AppendDictionaryPage(chunk.pages, 1, PlainBytes<int32_t>({9}));
  Bytes indices = {2};
  EncodeRleBitPacked(std::vector<uint32_t>{3}, 2, indices);
  AppendDataPageV1(chunk.pages, 1, Encoding::kRleDictionary, indices);
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kRequired)), {chunk}, 1));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().ToString(),
            "Corruption: Parquet file test.parquet: row group 0: column a: page at byte 21: "
            "dictionary index 3 past the dictionary of 1 values");
}

TEST(ParquetReaderTest, RejectsDefinitionLevelOutOfRange) {
  TestChunk chunk;
  chunk.num_values = 2;
  AppendDataPageV1(chunk.pages, 2, Encoding::kPlain,
                   Concat({V1Levels({2, 3}, 2), PlainBytes<int32_t>({1})}));
  std::vector<SchemaElement> schema = {Group("schema", 1, std::nullopt), Group("s", 1, kOptional),
                                       Leaf("a", PhysicalType::kInt32, kOptional)};
  auto rows = ReadRows(BuildFile(schema, {chunk}, 2));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().ToString(),
            "Corruption: Parquet file test.parquet: row group 0: column s.a: page at byte 4: "
            "definition level 3 exceeds the maximum 2");
}

TEST(ParquetReaderTest, RejectsPageLargerThanChunk) {
  TestChunk chunk;
  chunk.num_values = 1;
  AppendDataPageV1(chunk.pages, 1, Encoding::kPlain, PlainBytes<int32_t>({1}));
  chunk.pages.resize(chunk.pages.size() - 2);
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kRequired)), {chunk}, 1));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().ToString(),
            "Corruption: Parquet file test.parquet: row group 0: column a: page at byte 4: "
            "compressed size 4 runs past the column chunk (2 bytes left)");
}

TEST(ParquetReaderTest, RejectsValueCountMismatch) {
  TestChunk chunk;
  chunk.num_values = 3;
  AppendDataPageV1(chunk.pages, 2, Encoding::kPlain, PlainBytes<int32_t>({1, 2}));
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kRequired)), {chunk}, 3));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().ToString(),
            "Corruption: Parquet file test.parquet: row group 0: column a: pages hold 2 values, "
            "the column metadata says 3");
}

TEST(ParquetReaderTest, RejectsShortPlainValues) {
  TestChunk chunk;
  chunk.num_values = 2;
  AppendDataPageV1(chunk.pages, 2, Encoding::kPlain, PlainBytes<int32_t>({1}));
  auto rows =
      ReadRows(BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kRequired)), {chunk}, 2));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().ToString(),
            "Corruption: Parquet file test.parquet: row group 0: column a: page at byte 4: "
            "2 PLAIN values need 8 bytes, the page holds 4");
}

TEST(ParquetReaderTest, PrunesRowGroupsByStatistics) {
  TestChunk chunk;
  chunk.num_values = 2;
  AppendDataPageV1(chunk.pages, 2, Encoding::kPlain, PlainBytes<int32_t>({10, 20}));
  std::string file = BuildFile(FlatSchema(Leaf("a", PhysicalType::kInt32, kRequired)), {chunk}, 2);
  // Add statistics by rewriting the footer is heavy; test the decision function instead.
  ColumnStatistics statistics;
  statistics.min = Value::Integer(10);
  statistics.max = Value::Integer(20);
  statistics.null_count = 0;
  statistics.num_values = 2;
  auto type = types::LogicalType::Integer();
  using Op = ColumnPredicate::Op;
  EXPECT_FALSE(MayMatch({"a", Op::kEqual, Value::Integer(5)}, type, statistics));
  EXPECT_TRUE(MayMatch({"a", Op::kEqual, Value::Integer(15)}, type, statistics));
  EXPECT_FALSE(MayMatch({"a", Op::kGreater, Value::Integer(20)}, type, statistics));
  EXPECT_TRUE(MayMatch({"a", Op::kGreaterEqual, Value::Integer(20)}, type, statistics));
  EXPECT_FALSE(MayMatch({"a", Op::kLess, Value::Integer(10)}, type, statistics));
  EXPECT_TRUE(MayMatch({"a", Op::kLessEqual, Value::Integer(10)}, type, statistics));
  EXPECT_FALSE(MayMatch({"a", Op::kIsNull, Value()}, type, statistics));
  EXPECT_TRUE(MayMatch({"a", Op::kIsNotNull, Value()}, type, statistics));
  EXPECT_FALSE(MayMatch({"a", Op::kEqual, Value::BigInt(30)}, type, statistics));
  // A constant that does not cast exactly prunes nothing.
  EXPECT_TRUE(MayMatch({"a", Op::kEqual, Value::Double(30.5)}, type, statistics));
  statistics.null_count = 2;
  EXPECT_FALSE(MayMatch({"a", Op::kIsNotNull, Value()}, type, statistics));
  auto reader = OpenBytes(file, {.predicates = {{"a", Op::kEqual, Value::Integer(5)}}});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->row_groups().size(), 1u);  // No statistics: nothing pruned.
}

TEST(ParquetReaderTest, ProjectsByNameAndFieldId) {
  SchemaElement a = Leaf("a", PhysicalType::kInt32, kRequired);
  a.field_id = 7;
  SchemaElement b = Leaf("b", PhysicalType::kInt64, kRequired);
  b.field_id = 8;
  TestChunk a_chunk;
  a_chunk.num_values = 1;
  AppendDataPageV1(a_chunk.pages, 1, Encoding::kPlain, PlainBytes<int32_t>({1}));
  TestChunk b_chunk;
  b_chunk.num_values = 1;
  AppendDataPageV1(b_chunk.pages, 1, Encoding::kPlain, PlainBytes<int64_t>({2}));
  std::string file = BuildFile({Group("schema", 2, std::nullopt), a, b}, {a_chunk, b_chunk}, 1);
  auto by_id = OpenBytes(file, {.field_ids = {8}});
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ((*by_id)->schema()->ToString(), "b bigint NOT NULL");
  auto batch = (*by_id)->Next();
  ASSERT_TRUE(batch.ok() && batch->has_value());
  EXPECT_EQ((*batch)->column(0).Get<int64_t>(0), 2);
  auto by_name = OpenBytes(file, {.column_names = {"b", "a"}});
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ((*by_name)->projection(), (std::vector<int64_t>{1, 0}));
  auto missing = OpenBytes(file, {.column_names = {"c"}});
  EXPECT_EQ(missing.status().ToString(),
            "NotFound: Parquet file test.parquet: no column named \"c\"");
}

constexpr int64_t kLargeRows = 1000000;

// Writes one row group of kLargeRows rows: `id` (0, 1, ...) and `bucket` (id % 1000), both
// BIGINT, so 16 MB decoded but a few kilobytes stored.
std::shared_ptr<io::MemoryFileSystem> WriteLargeRowGroup() {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(std::vector<vector::Field>{
      {"id", types::LogicalType::BigInt(), false}, {"bucket", types::LogicalType::BigInt()}});
  auto writer = ParquetWriter::Open(*file_system, "large.parquet", *schema);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  constexpr int64_t kBatchRows = 100000;
  for (int64_t begin = 0; begin < kLargeRows; begin += kBatchRows) {
    vector::VectorBuilder ids(types::LogicalType::BigInt());
    vector::VectorBuilder buckets(types::LogicalType::BigInt());
    for (int64_t id = begin; id < begin + kBatchRows; ++id) {
      EXPECT_TRUE(ids.Append(id).ok());
      EXPECT_TRUE(buckets.Append(id % 1000).ok());
    }
    auto batch =
        vector::Batch::Make(schema, {ids.Finish().value(), buckets.Finish().value()}, kBatchRows);
    EXPECT_TRUE((*writer)->Write(*batch).ok());
  }
  EXPECT_TRUE((*writer)->Close().ok());
  return file_system;
}

Result<int64_t> SumIds(io::MemoryFileSystem& file_system, ParquetReadOptions options) {
  FLOE_ASSIGN_OR_RETURN(auto file, file_system.OpenInputFile("large.parquet"));
  FLOE_ASSIGN_OR_RETURN(auto reader,
                        ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)),
                                            std::move(options)));
  if (reader->metadata().row_groups.size() != 1) {
    return Status::Internal("expected one row group");
  }
  int64_t sum = 0;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch.has_value()) {
      return sum;
    }
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      sum += batch->column(0).Get<int64_t>(row);
    }
  }
}

// A row group is decoded a few pages at a time: memory follows the batch and page sizes, not
// the 16 MB the row group decodes to.
TEST(ParquetReaderTest, ReadsLargeRowGroupInBoundedMemory) {
  auto file_system = WriteLargeRowGroup();
  MemoryTracker tracker("scan", MemoryTracker::kUnlimited);
  TaskScheduler scheduler(2);
  auto sum = SumIds(*file_system, {.scheduler = &scheduler, .tracker = &tracker});
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(*sum, kLargeRows * (kLargeRows - 1) / 2);
  EXPECT_GT(tracker.peak(), 0);
  // Decoded, the row group takes 16 MB; pieces of a 20000-row page per column stay near 1 MB.
  EXPECT_LT(tracker.peak(), 2 * kLargeRows * 8 / 8) << FormatBytes(tracker.peak());
  EXPECT_EQ(tracker.used(), 0);
}

// A piece reuses the buffers of the one before only once no batch holds them: batches kept
// while the scan goes on keep their values, and those dropped let the scan reuse memory.
TEST(ParquetReaderTest, KeptBatchesSurviveBufferReuse) {
  auto file_system = WriteLargeRowGroup();
  auto file = file_system->OpenInputFile("large.parquet");
  ASSERT_TRUE(file.ok());
  auto reader = ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file).value()));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<vector::Batch> kept;
  int64_t first_row = 0;
  std::vector<int64_t> kept_first_rows;
  int64_t batches = 0;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) {
      break;
    }
    // Keep every seventh batch, spread over many pieces.
    if (batches++ % 7 == 0) {
      kept_first_rows.push_back(first_row);
      kept.push_back(**batch);
    }
    first_row += (*batch)->num_rows();
  }
  ASSERT_EQ(first_row, kLargeRows);
  ASSERT_GT(kept.size(), 10u);
  for (size_t i = 0; i < kept.size(); ++i) {
    for (int64_t row = 0; row < kept[i].num_rows(); ++row) {
      int64_t id = kept_first_rows[i] + row;
      ASSERT_EQ(kept[i].column(0).Get<int64_t>(row), id) << "batch " << i << " row " << row;
      ASSERT_EQ(kept[i].column(1).Get<int64_t>(row), id % 1000) << "batch " << i;
    }
  }
}

TEST(ParquetReaderTest, FailsWithResourceExhaustedNamingTheFile) {
  auto file_system = WriteLargeRowGroup();
  MemoryTracker tracker("scan", 64 << 10);
  auto sum = SumIds(*file_system, {.tracker = &tracker});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(sum.status().message().find("large.parquet"), std::string::npos)
      << sum.status().ToString();
}

// Readers of a parallel scan each take some row groups and share one parsed footer.
TEST(ParquetReaderTest, ReadsChosenRowGroupsOverASharedFooter) {
  auto file_system = std::make_shared<io::MemoryFileSystem>();
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"id", types::LogicalType::BigInt(), false}});
  ParquetWriterOptions writer_options;
  writer_options.row_group_rows = 100;
  auto writer = ParquetWriter::Open(*file_system, "groups.parquet", *schema, writer_options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  vector::VectorBuilder ids(types::LogicalType::BigInt());
  for (int64_t id = 0; id < 350; ++id) {
    ASSERT_TRUE(ids.Append(id).ok());
  }
  ASSERT_TRUE((*writer)->Write(*vector::Batch::Make(schema, {ids.Finish().value()}, 350)).ok());
  ASSERT_TRUE((*writer)->Close().ok());

  auto open = [&](ParquetReadOptions options) {
    auto file = file_system->OpenInputFile("groups.parquet");
    EXPECT_TRUE(file.ok());
    return ParquetReader::Open(std::shared_ptr<io::RandomAccessFile>(std::move(file).value()),
                               std::move(options));
  };
  auto first = open({});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ((*first)->metadata().row_groups.size(), 4u);

  auto part = open({.row_groups = {3, 1}, .footer = (*first)->shared_metadata()});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(&(*part)->metadata(), &(*first)->metadata());
  std::vector<int64_t> read;
  while (true) {
    auto batch = (*part)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) {
      break;
    }
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      read.push_back((*batch)->column(0).Get<int64_t>(row));
    }
  }
  ASSERT_EQ(read.size(), 150u);
  EXPECT_EQ(read.front(), 300);  // Row group 3 (rows 300..349) first, as asked.
  EXPECT_EQ(read[49], 349);
  EXPECT_EQ(read[50], 100);
  EXPECT_EQ(read.back(), 199);

  auto out_of_range = open({.row_groups = {4}});
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kInvalidArgument);
}

std::filesystem::path SharedDirectory() {
  return std::filesystem::path(FLOE_SOURCE_DIR).parent_path() / "shared";
}

// Every TPC-H file written by DuckDB reads fully, in parallel, with the footer's row count.
TEST(ParquetReaderTest, ReadsSharedTpchFiles) {
  std::filesystem::path directory = SharedDirectory() / "tpch-sf0.1";
  ASSERT_TRUE(std::filesystem::exists(directory)) << "shared TPC-H files missing: " << directory;
  TaskScheduler scheduler(2);
  io::FileSystemRegistry registry;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() != ".parquet") {
      continue;
    }
    auto reader = ParquetReader::Open(registry, entry.path().string(),
                                      {.scheduler = &scheduler, .max_parallelism = 2});
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    int64_t rows = 0;
    while (true) {
      auto batch = (*reader)->Next();
      ASSERT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch->has_value()) {
        break;
      }
      rows += (*batch)->num_rows();
    }
    EXPECT_EQ(rows, (*reader)->metadata().num_rows) << entry.path();
  }
}

}  // namespace
}  // namespace floe::format::parquet
