// Round trips of every Avro type through container files with each codec, schema attributes,
// and malformed files that must give Corruption rather than crash.
#include "format/avro/avro_file.h"

#include <gtest/gtest.h>

#include "io/file_system.h"
#include "io/memory/memory_file_system.h"

namespace floe::format::avro {
namespace {

constexpr std::string_view kSchema = R"({
  "type": "record", "name": "everything", "namespace": "test",
  "fields": [
    {"name": "n", "type": "null"},
    {"name": "b", "type": "boolean", "field-id": 1},
    {"name": "i", "type": "int", "field-id": 2},
    {"name": "l", "type": "long", "field-id": 3},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "bytes", "type": "bytes"},
    {"name": "s", "type": "string"},
    {"name": "e", "type": {"type": "enum", "name": "colour", "symbols": ["red", "green"]}},
    {"name": "fx", "type": {"type": "fixed", "name": "sixteen", "size": 4}},
    {"name": "opt", "type": ["null", "long"], "default": null, "field-id": 4},
    {"name": "list", "type": {"type": "array", "items": "int", "element-id": 6}, "field-id": 5},
    {"name": "m", "type": {"type": "map", "values": "string", "key-id": 8, "value-id": 9}},
    {"name": "pairs", "type": {"type": "array", "logicalType": "map", "items": {"type": "record",
      "name": "k10_v11", "fields": [{"name": "key", "type": "int", "field-id": 10},
                                    {"name": "value", "type": "bytes", "field-id": 11}]}}},
    {"name": "again", "type": "colour"}
  ]})";

AvroValue Of(auto payload) {
  return AvroValue{.payload = std::move(payload), .branch = 0};
}

AvroValue SampleRecord(int64_t seed) {
  AvroValue::Items list = {Of(int32_t{1}), Of(int32_t(seed))};
  AvroValue::Entries map = {{"k", Of(std::string("v"))}, {"", Of(std::string())}};
  AvroValue pair = Of(AvroValue::Items{Of(int32_t{7}), Of(std::string("\x00\xff", 2))});
  AvroValue optional = seed % 2 == 0 ? AvroValue{.payload = int64_t{seed}, .branch = 1}
                                     : AvroValue{.payload = std::monostate(), .branch = 0};
  return Of(AvroValue::Items{Of(std::monostate()), Of(seed % 3 == 0), Of(int32_t(-seed)),
                             Of(int64_t{seed} << 40), Of(1.5f), Of(-2.25),
                             Of(std::string("by\0tes", 6)),
                             Of(std::string("text ") + std::to_string(seed)), Of(int32_t(seed % 2)),
                             Of(std::string("abcd")), optional, Of(std::move(list)),
                             Of(std::move(map)), Of(AvroValue::Items{pair, pair}), Of(int32_t{1})});
}

std::string WriteFile(const AvroSchema& schema, const std::vector<AvroValue>& values,
                      AvroWriterOptions options, const AvroMetadata& metadata = {}) {
  io::MemoryFileSystem file_system;
  auto stream = file_system.OpenOutputStream("memory://file.avro");
  EXPECT_TRUE(stream.ok());
  auto writer = AvroFileWriter::Open(std::move(*stream), schema, metadata, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  for (const AvroValue& value : values) {
    EXPECT_TRUE((*writer)->Append(value).ok());
  }
  EXPECT_TRUE((*writer)->Close().ok());
  return *file_system.ReadAll("memory://file.avro");
}

Result<std::vector<AvroValue>> ReadValues(std::string bytes) {
  FLOE_ASSIGN_OR_RETURN(auto reader, AvroFileReader::Open(std::move(bytes)));
  std::vector<AvroValue> values;
  AvroValue value;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(bool has_value, reader->NextValue(value));
    if (!has_value) {
      return values;
    }
    values.push_back(value);
  }
}

TEST(AvroFileTest, RoundTripsEveryTypeWithEveryCodec) {
  auto schema = ParseAvroSchema(kSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<AvroValue> values;
  for (int64_t i = 0; i < 1000; ++i) {
    values.push_back(SampleRecord(i));
  }
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy}) {
    std::string bytes =
        WriteFile(*schema, values, {.codec = codec, .block_size = 4096}, {{"user", "value"}});
    auto reader = AvroFileReader::Open(bytes);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->codec(), codec);
    ASSERT_NE((*reader)->FindMetadata("user"), nullptr);
    EXPECT_EQ(*(*reader)->FindMetadata("user"), "value");
    auto read = ReadValues(bytes);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(*read, values) << AvroCodecName(codec);
  }
}

TEST(AvroFileTest, KeepsCustomAttributes) {
  auto schema = ParseAvroSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  auto again = ParseAvroSchema(AvroSchemaToJson(*schema));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->fields[1].field_id(), 1);
  EXPECT_EQ(again->fields[10].field_id(), 4);
  EXPECT_EQ(again->fields[10].default_json, "null");
  EXPECT_EQ(IntAttribute(again->children[11].attributes, "element-id"), 6);
  EXPECT_EQ(IntAttribute(again->children[12].attributes, "key-id"), 8);
  EXPECT_EQ(IntAttribute(again->children[12].attributes, "value-id"), 9);
  EXPECT_EQ(again->children[13].logical_type, "map");
  EXPECT_EQ(again->children[14].type, AvroType::kEnum);
  EXPECT_EQ(again->name, "test.everything");
  EXPECT_EQ(AvroSchemaToJson(*again), AvroSchemaToJson(*schema));
}

TEST(AvroFileTest, RejectsBadSchemas) {
  for (std::string_view json : {"", "{", "\"nothing\"", "{\"type\": \"record\"}",
                                R"({"type": "record", "name": "r", "fields": [{"name": "a"}]})",
                                R"({"type": "fixed", "name": "f", "size": -1})", R"([["null"]])"}) {
    auto schema = ParseAvroSchema(json);
    EXPECT_FALSE(schema.ok()) << json;
    EXPECT_EQ(schema.status().code(), StatusCode::kCorruption) << json;
  }
  std::string deep(200, '[');
  EXPECT_FALSE(ParseAvroSchema(deep + "\"int\"" + std::string(200, ']')).ok());
}

TEST(AvroFileTest, EveryTruncationIsCorruption) {
  auto schema = ParseAvroSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy}) {
    std::string bytes = WriteFile(*schema, {SampleRecord(1), SampleRecord(2)}, {.codec = codec});
    for (size_t length = 0; length < bytes.size(); ++length) {
      auto read = ReadValues(bytes.substr(0, length));
      // Cut right after the header, the file is complete and empty.
      if (read.ok()) {
        EXPECT_TRUE(read->empty()) << length;
        continue;
      }
      EXPECT_EQ(read.status().code(), StatusCode::kCorruption) << length;
    }
  }
}

TEST(AvroFileTest, CorruptBytesNeverCrash) {
  auto schema = ParseAvroSchema(kSchema);
  ASSERT_TRUE(schema.ok());
  std::string bytes = WriteFile(*schema, {SampleRecord(1), SampleRecord(2)}, {});
  for (size_t position = 0; position < bytes.size(); ++position) {
    for (char replacement : {'\x00', '\x7f', '\xff'}) {
      std::string corrupt = bytes;
      corrupt[position] = replacement;
      (void)ReadValues(corrupt);  // Any status will do; no crash and no runaway allocation.
    }
  }
}

TEST(AvroFileTest, RejectsLyingCountsAndUnknownCodecs) {
  AvroSchema schema = AvroSchema::Primitive(AvroType::kLong);
  std::string bytes =
      WriteFile(schema, {Of(int64_t{1}), Of(int64_t{2})}, {.codec = AvroCodec::kNull});
  // The block follows the 16-byte sync marker at the end of the header; the block's object
  // count is its first byte (2 objects, zig-zag 4).
  size_t header = bytes.size() - 16 - 2 - 1 - 1;
  ASSERT_EQ(bytes[header], 4);
  std::string more = bytes;
  more[header] = 6;  // Claims three objects.
  EXPECT_EQ(ReadValues(more).status().code(), StatusCode::kCorruption);
  std::string fewer = bytes;
  fewer[header] = 2;  // Claims one object, leaving bytes over.
  EXPECT_EQ(ReadValues(fewer).status().code(), StatusCode::kCorruption);
  std::string huge = bytes;
  huge[header] = '\xfe';  // An overlong count varint that runs into the block.
  EXPECT_FALSE(ReadValues(huge).ok());

  std::string codec = bytes;
  size_t at = codec.find("null");
  ASSERT_NE(at, std::string::npos);
  codec.replace(at, 4, "zstd");
  EXPECT_EQ(ReadValues(codec).status().code(), StatusCode::kNotSupported);
}

TEST(AvroFileTest, RejectsHugeLengths) {
  AvroSchema schema = AvroSchema::Primitive(AvroType::kBytes);
  AvroEncoder encoder;
  encoder.WriteLong(int64_t{1} << 60);
  std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(encoder.buffer().data()),
                                encoder.size());
  AvroDecoder decoder(data);
  EXPECT_EQ(ReadAvroValue(schema, decoder).status().code(), StatusCode::kCorruption);
  AvroSchema array = AvroSchema::Array(AvroSchema::Primitive(AvroType::kLong));
  AvroDecoder again(data);
  EXPECT_EQ(ReadAvroValue(array, again).status().code(), StatusCode::kCorruption);
}

TEST(AvroFileTest, ArraysOfZeroWidthItemsAreBoundedInTotalNotPerBlock) {
  AvroSchema array = AvroSchema::Array(AvroSchema::Primitive(AvroType::kNull));
  auto decode = [&](const AvroEncoder& encoder) {
    std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(encoder.buffer().data()),
                                  encoder.size());
    AvroDecoder decoder(data);
    return ReadAvroValue(array, decoder);
  };
  // Forty nulls in two blocks decode, and their re-encoding as one block decodes the same.
  AvroEncoder split;
  split.WriteLong(20);
  split.WriteLong(-20);
  split.WriteLong(0);  // The byte size of a block of nulls.
  split.WriteLong(0);
  auto value = decode(split);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  ASSERT_EQ(std::get<AvroValue::Items>(value->payload).size(), 40u);
  AvroEncoder joined;
  ASSERT_TRUE(WriteAvroValue(array, *value, joined).ok());
  auto again = decode(joined);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *value);

  // Blocks that together claim more nulls than the budget are Corruption, however split.
  AvroEncoder hostile;
  for (int block = 0; block < 4; ++block) {
    hostile.WriteLong(AvroDecoder::kMaxZeroWidthItems / 3);
  }
  hostile.WriteLong(0);
  EXPECT_EQ(decode(hostile).status().code(), StatusCode::kCorruption);
}

TEST(AvroFileTest, WritesLongsAsZigZagVarints) {
  AvroEncoder encoder;
  for (int64_t value :
       {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-64}, int64_t{64}, INT64_MAX, INT64_MIN}) {
    encoder.WriteLong(value);
  }
  EXPECT_EQ(encoder.buffer().substr(0, 6), std::string("\x00\x01\x02\x7f\x80\x01", 6));
  std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(encoder.buffer().data()),
                                encoder.size());
  AvroDecoder decoder(data);
  for (int64_t value :
       {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-64}, int64_t{64}, INT64_MAX, INT64_MIN}) {
    EXPECT_EQ(*decoder.ReadLong(), value);
  }
  EXPECT_TRUE(decoder.at_end());
}

}  // namespace
}  // namespace floe::format::avro
