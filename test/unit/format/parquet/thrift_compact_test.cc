#include "format/parquet/thrift_compact.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(CompactReaderTest, ReadsVarintsFromTheProtocolSpecification) {
  // 300 = 0b10_0101100: low seven bits first with the continuation bit set.
  Bytes bytes = {0xAC, 0x02, 0x00, 0x7F, 0xFF, 0xFF, 0xFF,
                 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  CompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadVarint(), 300u);
  EXPECT_EQ(*reader.ReadVarint(), 0u);
  EXPECT_EQ(*reader.ReadVarint(), 127u);
  EXPECT_EQ(*reader.ReadVarint(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, DecodesZigZagIntegers) {
  // Zigzag maps 0, -1, 1, -2, 2 to 0, 1, 2, 3, 4.
  Bytes bytes = {0x00, 0x01, 0x02, 0x03, 0x04, 0xFE, 0xFF, 0xFF,
                 0xFF, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  CompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadI32(), 0);
  EXPECT_EQ(*reader.ReadI32(), -1);
  EXPECT_EQ(*reader.ReadI32(), 1);
  EXPECT_EQ(*reader.ReadI32(), -2);
  EXPECT_EQ(*reader.ReadI32(), 2);
  EXPECT_EQ(*reader.ReadI32(), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(*reader.ReadI32(), std::numeric_limits<int32_t>::min());
}

TEST(CompactReaderTest, ReadsInt64Extremes) {
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.WriteI64(std::numeric_limits<int64_t>::min());
  writer.WriteI64(std::numeric_limits<int64_t>::max());
  Bytes expected_min = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 10), expected_min);
  CompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadI64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*reader.ReadI64(), std::numeric_limits<int64_t>::max());
}

TEST(CompactReaderTest, ReadsShortAndLongFieldHeaders) {
  // Field 1 (i32) = 5 in short form (delta 1, type 5); field 20 (binary) in long form since the
  // delta 19 exceeds 15: type byte, then zigzag id 40; then field 21 (bool true) by delta 1.
  Bytes bytes = {0x15, 0x0A, 0x08, 0x28, 0x02, 'h', 'i', 0x11, 0x00};
  CompactReader reader(bytes);
  ASSERT_TRUE(reader.BeginStruct().ok());
  auto field = *reader.ReadFieldHeader();
  EXPECT_EQ(field.id, 1);
  EXPECT_EQ(field.type, CompactType::kI32);
  EXPECT_EQ(*reader.ReadI32(), 5);
  field = *reader.ReadFieldHeader();
  EXPECT_EQ(field.id, 20);
  EXPECT_EQ(field.type, CompactType::kBinary);
  EXPECT_EQ(*reader.ReadBinary(), "hi");
  field = *reader.ReadFieldHeader();
  EXPECT_EQ(field.id, 21);
  EXPECT_EQ(field.type, CompactType::kBooleanTrue);
  EXPECT_EQ(reader.ReadFieldHeader()->type, CompactType::kStop);
  reader.EndStruct();
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, ReadsShortAndLongListHeaders) {
  Bytes bytes = {0x35, 0xF5, 0x0F, 0x00};
  CompactReader reader(bytes);
  auto list = *reader.ReadListHeader();
  EXPECT_EQ(list.size, 3);
  EXPECT_EQ(list.element_type, CompactType::kI32);
  // A size of 15 or more moves to a varint after the 0xF nibble; 15 elements need 15 bytes.
  Bytes long_list = {0xF5, 0x0F};
  long_list.resize(2 + 15, 0);
  CompactReader long_reader(long_list);
  list = *long_reader.ReadListHeader();
  EXPECT_EQ(list.size, 15);
}

TEST(CompactReaderTest, ReadsMapHeaders) {
  Bytes bytes = {0x00, 0x02, 0x85, 0x02, 'a', 'b', 0x02, 0x01, 'c', 0x04};
  CompactReader reader(bytes);
  EXPECT_EQ(reader.ReadMapHeader()->size, 0);
  auto map = *reader.ReadMapHeader();
  EXPECT_EQ(map.size, 2);
  EXPECT_EQ(map.key_type, CompactType::kBinary);
  EXPECT_EQ(map.value_type, CompactType::kI32);
  EXPECT_EQ(*reader.ReadBinary(), "ab");
  EXPECT_EQ(*reader.ReadI32(), 1);
  EXPECT_EQ(*reader.ReadBinary(), "c");
  EXPECT_EQ(*reader.ReadI32(), 2);
}

// Writes one field of every type, nested containers included, into a struct.
Bytes StructWithEveryType() {
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.BeginStruct();
  writer.WriteFieldHeader(1, CompactType::kBooleanTrue);
  writer.WriteFieldHeader(2, CompactType::kBooleanFalse);
  writer.WriteFieldHeader(3, CompactType::kByte);
  writer.WriteI8(-7);
  writer.WriteFieldHeader(4, CompactType::kI16);
  writer.WriteI16(-300);
  writer.WriteFieldHeader(5, CompactType::kI32);
  writer.WriteI32(123456);
  writer.WriteFieldHeader(6, CompactType::kI64);
  writer.WriteI64(-1234567890123);
  writer.WriteFieldHeader(7, CompactType::kDouble);
  writer.WriteDouble(2.5);
  writer.WriteFieldHeader(8, CompactType::kBinary);
  writer.WriteBinary("binary");
  writer.WriteFieldHeader(9, CompactType::kList);
  writer.WriteListHeader(CompactType::kBooleanTrue, 20);
  for (int i = 0; i < 20; ++i) {
    writer.WriteBool(i % 3 == 0);
  }
  writer.WriteFieldHeader(10, CompactType::kSet);
  writer.WriteListHeader(CompactType::kList, 2);
  writer.WriteListHeader(CompactType::kDouble, 1);
  writer.WriteDouble(1.0);
  writer.WriteListHeader(CompactType::kI64, 0);
  writer.WriteFieldHeader(300, CompactType::kMap);
  writer.WriteMapHeader(CompactType::kBinary, CompactType::kStruct, 2);
  for (const char* key : {"k1", "k2"}) {
    writer.WriteBinary(key);
    writer.BeginStruct();
    writer.WriteFieldHeader(1, CompactType::kMap);
    writer.WriteMapHeader(CompactType::kI32, CompactType::kBooleanTrue, 1);
    writer.WriteI32(1);
    writer.WriteBool(false);
    writer.EndStruct();
  }
  writer.WriteFieldHeader(301, CompactType::kMap);
  writer.WriteMapHeader(CompactType::kI32, CompactType::kI32, 0);
  writer.WriteFieldHeader(302, CompactType::kUuid);
  bytes.insert(bytes.end(), 16, 0xAB);
  writer.WriteFieldHeader(303, CompactType::kI32);
  writer.WriteI32(42);
  writer.EndStruct();
  return bytes;
}

TEST(CompactReaderTest, SkipsFieldsOfEveryType) {
  Bytes bytes = StructWithEveryType();
  CompactReader reader(bytes);
  ASSERT_TRUE(reader.BeginStruct().ok());
  int fields = 0;
  while (true) {
    auto field = reader.ReadFieldHeader();
    ASSERT_TRUE(field.ok()) << field.status().ToString();
    if (field->type == CompactType::kStop) {
      break;
    }
    ++fields;
    if (field->id == 303) {
      EXPECT_EQ(*reader.ReadI32(), 42);
    } else {
      ASSERT_TRUE(reader.Skip(field->type).ok()) << "field " << field->id;
    }
  }
  reader.EndStruct();
  EXPECT_EQ(fields, 14);
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactReaderTest, SkipsAWholeStruct) {
  Bytes bytes = StructWithEveryType();
  CompactReader reader(bytes);
  ASSERT_TRUE(reader.Skip(CompactType::kStruct).ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactWriterTest, RoundTripsPrimitives) {
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.WriteI8(std::numeric_limits<int8_t>::min());
  writer.WriteI16(std::numeric_limits<int16_t>::min());
  writer.WriteI16(std::numeric_limits<int16_t>::max());
  writer.WriteDouble(-0.0);
  writer.WriteDouble(std::numeric_limits<double>::infinity());
  writer.WriteBinary("");
  writer.WriteBinary(std::string(1000, 'x'));
  writer.WriteBool(true);
  writer.WriteBool(false);
  CompactReader reader(bytes);
  EXPECT_EQ(*reader.ReadI8(), std::numeric_limits<int8_t>::min());
  EXPECT_EQ(*reader.ReadI16(), std::numeric_limits<int16_t>::min());
  EXPECT_EQ(*reader.ReadI16(), std::numeric_limits<int16_t>::max());
  double negative_zero = *reader.ReadDouble();
  EXPECT_TRUE(negative_zero == 0.0 && std::signbit(negative_zero));
  EXPECT_EQ(*reader.ReadDouble(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*reader.ReadBinary(), "");
  EXPECT_EQ(*reader.ReadBinary(), std::string(1000, 'x'));
  EXPECT_TRUE(*reader.ReadBool());
  EXPECT_FALSE(*reader.ReadBool());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(CompactWriterTest, WritesFieldIdsThatGoBackwardsInLongForm) {
  Bytes bytes;
  CompactWriter writer(bytes);
  writer.BeginStruct();
  writer.WriteFieldHeader(5, CompactType::kI32);
  writer.WriteI32(1);
  writer.WriteFieldHeader(2, CompactType::kI32);
  writer.WriteI32(2);
  writer.EndStruct();
  EXPECT_EQ(bytes, (Bytes{0x55, 0x02, 0x05, 0x04, 0x04, 0x00}));
}

void ExpectCorruption(const Status& status, std::string_view fragment) {
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_NE(status.message().find(fragment), std::string_view::npos) << status.ToString();
}

TEST(CompactReaderTest, RejectsTruncatedAndOverlongVarints) {
  Bytes truncated = {0x80, 0x80};
  ExpectCorruption(CompactReader(truncated).ReadVarint().status(), "at byte 2");
  Bytes overlong(11, 0x80);
  overlong.push_back(0);
  ExpectCorruption(CompactReader(overlong).ReadVarint().status(), "longer than 10 bytes");
  Bytes too_wide = {0x80, 0x80, 0x80, 0x80, 0x10};  // 2^32 as an i32.
  ExpectCorruption(CompactReader(too_wide).ReadI32().status(), "32 bits");
}

TEST(CompactReaderTest, RejectsLengthsBeyondTheInput) {
  Bytes binary = {0x0A, 'a', 'b'};
  ExpectCorruption(CompactReader(binary).ReadBinary().status(), "binary of 10 bytes");
  Bytes list = {0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x07};
  ExpectCorruption(CompactReader(list).ReadListHeader().status(), "list of 2147483647");
  Bytes doubles = {0x37, 0, 0, 0, 0, 0, 0, 0, 0};  // Three doubles need 24 bytes.
  ExpectCorruption(CompactReader(doubles).ReadListHeader().status(), "list of 3");
  Bytes map = {0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x88};
  ExpectCorruption(CompactReader(map).ReadMapHeader().status(), "map of 2147483647");
}

TEST(CompactReaderTest, HonoursTheContainerSizeLimit) {
  Bytes list = {0xF3, 0x64};
  list.resize(2 + 100, 0);
  CompactReader reader(list, CompactLimits{.max_depth = 8, .max_container_size = 99});
  ExpectCorruption(reader.ReadListHeader().status(), "list of 100");
}

TEST(CompactReaderTest, RejectsDeepNesting) {
  Bytes bytes(1000, 0x1C);  // Field 1 of type struct, nested again and again.
  CompactReader reader(bytes);
  ExpectCorruption(reader.Skip(CompactType::kStruct), "nesting deeper than 64");
  Bytes lists(1000, 0x19);  // A list holding one list, and so on.
  CompactReader list_reader(lists);
  ExpectCorruption(list_reader.Skip(CompactType::kList), "nesting deeper");
}

TEST(CompactReaderTest, RejectsUnknownTypesAndMissingStop) {
  Bytes unknown = {0x1E, 0x00};
  CompactReader reader(unknown);
  ASSERT_TRUE(reader.BeginStruct().ok());
  ExpectCorruption(reader.ReadFieldHeader().status(), "unknown field type 14");
  Bytes unterminated = {0x15, 0x02};
  ExpectCorruption(CompactReader(unterminated).Skip(CompactType::kStruct), "stop field");
  Bytes bad_bool = {0x07};
  ExpectCorruption(CompactReader(bad_bool).ReadBool().status(), "boolean byte 7");
}

TEST(CompactReaderTest, NeverReadsPastAnyTruncation) {
  Bytes bytes = StructWithEveryType();
  for (size_t length = 0; length < bytes.size(); ++length) {
    Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
    CompactReader reader(prefix);
    EXPECT_EQ(reader.Skip(CompactType::kStruct).code(), StatusCode::kCorruption) << length;
  }
}

}  // namespace
}  // namespace floe::format::parquet
