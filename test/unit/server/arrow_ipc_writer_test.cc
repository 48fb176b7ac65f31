#include "server/http/arrow_ipc_writer.h"

#include <cstring>

#include <gtest/gtest.h>

#include "vector/vector_builder.h"

namespace floe::server::http {
namespace {

using types::LogicalType;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (char c : bytes) {
    auto byte = static_cast<uint8_t>(c);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  return hex;
}

template <typename T>
T Load(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

// Just enough of a FlatBuffers reader to check the writer's tables independently of it.
struct TableView {
  const uint8_t* table;

  static TableView Root(const uint8_t* buffer) { return {buffer + Load<uint32_t>(buffer)}; }
  const uint8_t* Field(int slot) const {
    const uint8_t* vtable = table - Load<int32_t>(table);
    uint16_t vtable_size = Load<uint16_t>(vtable);
    auto entry = static_cast<size_t>(4 + slot * 2);
    if (entry >= vtable_size) {
      return nullptr;
    }
    uint16_t offset = Load<uint16_t>(vtable + entry);
    return offset == 0 ? nullptr : table + offset;
  }
  template <typename T>
  T Scalar(int slot, T default_value) const {
    const uint8_t* field = Field(slot);
    return field == nullptr ? default_value : Load<T>(field);
  }
  const uint8_t* Target(int slot) const {
    const uint8_t* field = Field(slot);
    return field + Load<uint32_t>(field);
  }
  TableView Table(int slot) const { return {Target(slot)}; }
};

std::vector<ColumnInfo> SampleColumns() {
  auto text = LogicalType::Varchar();
  return {{"id", LogicalType::Integer()},     {"name", text},
          {"big", LogicalType::BigInt()},     {"price", LogicalType::Decimal(10, 2).value()},
          {"at", LogicalType::TimestampTz()}, {"day", LogicalType::Date()},
          {"tags", LogicalType::List(text)}};
}

TEST(ArrowIpcWriterTest, SchemaMessageMatchesApacheArrowJs) {
  // The same schema written by apache-arrow 21.2.0 for node (tableToIPC of an empty table with
  // Int32, Utf8, Int64, Decimal128(10, 2), Timestamp(us, "UTC"), Date32 and List<Utf8> fields):
  // its schema message, up to the end-of-stream marker.
  constexpr std::string_view kExpected =
      "ffffffff080200001000000000000a0010000e00070008000a00000000000001100000000000040008000800"
      "00000400080000000400000007000000980100005401000020010000e00000009c0000006400000004000000"
      "94feffff1400000000000001180000000000000c440000000400000074616773000000000100000004000000"
      "c0feffff1400000000000001180000000000000514000000040000006974656d0000000000000000f0feffff"
      "f4fefffff0feffff14000000000000011400000000000008180000000300000064617900000000000000060008"
      "000600060000000000000024ffffff1400000000000001140000000000000a18000000020000006174000000"
      "00000008000c000a000400080000000800000000000200030000005554430064ffffff140000000000000118"
      "000000000000071c0000000500000070726963650000000000000008000c0004000800080000000a00000002"
      "000000a0ffffff140000000000000114000000000000021000000003000000626967000000000090ffffff00"
      "00000140000000d0ffffff1400000000000001180000000000000518000000040000006e616d650000000000"
      "00000004000400040000001000180004000b001300140000000c001000000014000000000000011400000000"
      "0000021800000002000000696400000000000008000c000800070008000000000000012000000000000000";
  std::vector<ColumnInfo> columns = SampleColumns();
  EXPECT_EQ(Hex(EncodeArrowSchemaMessage(columns)), kExpected);
}

TEST(ArrowIpcWriterTest, WritesRecordBatchesThatReadBack) {
  vector::VectorBuilder ids(LogicalType::Integer());
  vector::VectorBuilder names(LogicalType::Varchar());
  for (int32_t row = 0; row < 10; ++row) {
    ASSERT_TRUE(ids.Append(row * 7).ok());
    ASSERT_TRUE((row == 3 ? names.AppendNull() : names.AppendString(std::string(row, 'x'))).ok());
  }
  std::vector<vector::Vector> columns = {ids.Finish().value(), names.Finish().value()};
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"id", LogicalType::Integer()}, {"name", LogicalType::Varchar()}});
  // A slice from row 5, so that offsets need rebasing and the bitmap starts mid-byte.
  vector::Batch batch = vector::Batch::Make(schema, columns, 10).value().Slice(2, 5);

  std::string stream;
  ArrowIpcWriter writer([&](std::string_view bytes) {
    stream += bytes;
    return Status::OK();
  });
  std::vector<ColumnInfo> infos = {{"id", LogicalType::Integer()},
                                   {"name", LogicalType::Varchar()}};
  ASSERT_TRUE(writer.WriteSchema(infos).ok());
  size_t batch_start = stream.size();
  ASSERT_TRUE(writer.WriteBatch(batch).ok());
  ASSERT_TRUE(writer.WriteEnd().ok());

  auto* bytes = reinterpret_cast<const uint8_t*>(stream.data());
  const uint8_t* message_start = bytes + batch_start;
  ASSERT_EQ(Load<uint32_t>(message_start), 0xFFFFFFFFu);
  auto metadata_size = Load<int32_t>(message_start + 4);
  ASSERT_EQ((8 + metadata_size) % 8, 0);
  TableView message = TableView::Root(message_start + 8);
  EXPECT_EQ(message.Scalar<int16_t>(0, 0), 4);  // V5.
  EXPECT_EQ(message.Scalar<uint8_t>(1, 0), 3);  // RecordBatch.
  auto body_length = message.Scalar<int64_t>(3, 0);
  const uint8_t* body = message_start + 8 + metadata_size;
  ASSERT_EQ(static_cast<size_t>(body - bytes) + body_length + 8, stream.size());
  EXPECT_EQ(Hex(stream.substr(stream.size() - 8)), "ffffffff00000000");

  TableView record_batch = message.Table(2);
  EXPECT_EQ(record_batch.Scalar<int64_t>(0, 0), 5);
  const uint8_t* nodes = record_batch.Target(1);
  ASSERT_EQ(Load<uint32_t>(nodes), 2u);
  EXPECT_EQ(Load<int64_t>(nodes + 4), 5);   // id: length
  EXPECT_EQ(Load<int64_t>(nodes + 12), 0);  // id: nulls
  EXPECT_EQ(Load<int64_t>(nodes + 20), 5);  // name: length
  EXPECT_EQ(Load<int64_t>(nodes + 28), 1);  // name: nulls
  const uint8_t* buffers = record_batch.Target(2);
  ASSERT_EQ(Load<uint32_t>(buffers), 5u);
  auto buffer = [&](int index) {
    const uint8_t* entry = buffers + 4 + index * 16;
    // Offsets from the start of the body, each a multiple of 8.
    EXPECT_EQ(Load<int64_t>(entry) % 8, 0);
    return std::string_view(reinterpret_cast<const char*>(body + Load<int64_t>(entry)),
                            static_cast<size_t>(Load<int64_t>(entry + 8)));
  };
  EXPECT_EQ(buffer(0).size(), 0u);  // No NULL ids: no bitmap.
  std::string_view id_values = buffer(1);
  ASSERT_EQ(id_values.size(), 20u);
  for (int row = 0; row < 5; ++row) {
    EXPECT_EQ(Load<int32_t>(reinterpret_cast<const uint8_t*>(id_values.data()) + row * 4),
              (row + 2) * 7);
  }
  std::string_view validity = buffer(2);
  ASSERT_EQ(validity.size(), 1u);
  EXPECT_EQ(static_cast<uint8_t>(validity[0]) & 0x1F, 0x1D);  // Row 1 (3 overall) is NULL.
  std::string_view offsets = buffer(3);
  ASSERT_EQ(offsets.size(), 24u);
  std::vector<int32_t> expected_offsets = {0, 2, 2, 6, 11, 17};
  for (size_t row = 0; row < expected_offsets.size(); ++row) {
    EXPECT_EQ(Load<int32_t>(reinterpret_cast<const uint8_t*>(offsets.data()) + row * 4),
              expected_offsets[row]);
  }
  EXPECT_EQ(buffer(4),
            "xx"
            "xxxx"
            "xxxxx"
            "xxxxxx");
}

TEST(ArrowIpcWriterTest, FlattensConstantVectorsAndWritesEmptyBatches) {
  vector::VectorBuilder one(LogicalType::BigInt());
  ASSERT_TRUE(one.Append(int64_t{42}).ok());
  vector::Vector source = one.Finish().value();
  vector::Vector constant = vector::Vector::MakeConstant(source, 0, 3).value();
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"c", LogicalType::BigInt()}});
  std::string stream;
  ArrowIpcWriter writer([&](std::string_view bytes) {
    stream += bytes;
    return Status::OK();
  });
  ASSERT_TRUE(writer.WriteBatch(vector::Batch::Make(schema, {constant}, 3).value()).ok());
  // The last 24 body bytes: an empty bitmap, then 3 int64 values.
  std::string tail = stream.substr(stream.size() - 24);
  for (int row = 0; row < 3; ++row) {
    EXPECT_EQ(Load<int64_t>(reinterpret_cast<const uint8_t*>(tail.data()) + row * 8), 42);
  }
  stream.clear();
  ASSERT_TRUE(
      writer.WriteBatch(vector::Batch::Make(schema, {constant.Slice(0, 0)}, 0).value()).ok());
  TableView message = TableView::Root(reinterpret_cast<const uint8_t*>(stream.data()) + 8);
  EXPECT_EQ(message.Scalar<int64_t>(3, 0), 0);             // No body.
  EXPECT_EQ(message.Table(2).Scalar<int64_t>(0, -1), -1);  // Length 0, left out as the default.
}

}  // namespace
}  // namespace floe::server::http
