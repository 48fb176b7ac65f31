#include "format/parquet/encoding/rle_bit_packed.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

std::vector<uint32_t> DecodeAll(const Bytes& data, int width, int64_t count) {
  std::vector<uint32_t> values(static_cast<size_t>(count));
  RleBitPackedDecoder decoder(data, width);
  Status status = decoder.Decode(values.data(), count);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return values;
}

TEST(RleBitPackedTest, DecodesTheSpecificationsBitPackedExample) {
  // Header (1 group << 1) | 1, then 0..7 on three bits as Encodings.md packs them.
  Bytes data = {0x03, 0x88, 0xC6, 0xFA};
  EXPECT_EQ(DecodeAll(data, 3, 8), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleBitPackedTest, DecodesRepeatedRuns) {
  // 100 fours on three bits: header 100 << 1 = 200 as a varint, then the value in one byte;
  // then 3 copies of 0x1234 on 13 bits, whose value takes two bytes.
  Bytes data = {0xC8, 0x01, 0x04};
  EXPECT_EQ(DecodeAll(data, 3, 100), std::vector<uint32_t>(100, 4));
  Bytes wide = {0x06, 0x34, 0x12};
  EXPECT_EQ(DecodeAll(wide, 13, 3), std::vector<uint32_t>(3, 0x1234));
}

TEST(RleBitPackedTest, EncodesRunsAndGroupsAsTheSpecificationDescribes) {
  std::vector<uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};
  Bytes encoded;
  EncodeRleBitPacked(values, 3, encoded);
  EXPECT_EQ(encoded, (Bytes{0x03, 0x88, 0xC6, 0xFA}));
  encoded.clear();
  EncodeRleBitPacked(std::vector<uint32_t>(100, 4), 3, encoded);
  EXPECT_EQ(encoded, (Bytes{0xC8, 0x01, 0x04}));
}

std::vector<uint32_t> RunnyValues(int width, size_t count, uint32_t seed) {
  std::mt19937 random(seed);
  uint32_t mask = width == 32 ? ~0u : (1u << width) - 1;
  std::vector<uint32_t> values;
  while (values.size() < count) {
    uint32_t value = random() & mask;
    size_t run = random() % 4 == 0 ? random() % 40 : 1;
    for (size_t i = 0; i < run && values.size() < count; ++i) {
      values.push_back(value);
    }
  }
  return values;
}

TEST(RleBitPackedTest, RoundTripsEveryWidthInBatches) {
  for (int width = 0; width <= 32; ++width) {
    for (size_t count : {size_t{0}, size_t{1}, size_t{9}, size_t{1000}}) {
      auto values = RunnyValues(width, count, static_cast<uint32_t>(width));
      Bytes encoded;
      EncodeRleBitPacked(values, width, encoded);
      RleBitPackedDecoder decoder(encoded, width);
      std::vector<uint32_t> decoded(count);
      size_t done = 0;
      for (size_t batch = 1; done < count; batch = batch * 3 + 1) {
        size_t take = std::min(batch, count - done);
        ASSERT_TRUE(decoder.Decode(decoded.data() + done, static_cast<int64_t>(take)).ok());
        done += take;
      }
      EXPECT_EQ(decoded, values) << "width " << width << " count " << count;
      EXPECT_EQ(decoder.position(), encoded.size());
    }
  }
}

TEST(RleBitPackedTest, DecodesIntoNarrowTypes) {
  auto values = RunnyValues(7, 500, 9);
  Bytes encoded;
  EncodeRleBitPacked(values, 7, encoded);
  std::vector<uint8_t> bytes(500);
  ASSERT_TRUE(RleBitPackedDecoder(encoded, 7).Decode(bytes.data(), 500).ok());
  std::vector<int16_t> levels(500);
  ASSERT_TRUE(RleBitPackedDecoder(encoded, 7).Decode(levels.data(), 500).ok());
  for (size_t i = 0; i < 500; ++i) {
    EXPECT_EQ(bytes[i], values[i]);
    EXPECT_EQ(levels[i], static_cast<int16_t>(values[i]));
  }
  Bytes wide = {0x02, 0x00, 0x01};  // One 256 on 9 bits.
  uint8_t narrow = 0;
  EXPECT_EQ(RleBitPackedDecoder(wide, 9).Decode(&narrow, 1).code(), StatusCode::kCorruption);
}

TEST(RleBitPackedTest, AcceptsALastGroupCutShort) {
  // One group announced, but only the bytes of the first five 3-bit values are present.
  Bytes data = {0x03, 0x88, 0xC6};
  EXPECT_EQ(DecodeAll(data, 3, 5), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
}

TEST(RleBitPackedTest, RejectsCorruptInput) {
  uint32_t values[16];
  Bytes empty;
  EXPECT_EQ(RleBitPackedDecoder(empty, 3).Decode(values, 1).code(), StatusCode::kCorruption);
  Bytes truncated_header = {0x80, 0x80};
  EXPECT_EQ(RleBitPackedDecoder(truncated_header, 3).Decode(values, 1).code(),
            StatusCode::kCorruption);
  Bytes missing_value = {0x10};
  EXPECT_EQ(RleBitPackedDecoder(missing_value, 3).Decode(values, 1).code(),
            StatusCode::kCorruption);
  Bytes too_wide = {0x10, 0x09};  // 9 does not fit three bits.
  EXPECT_EQ(RleBitPackedDecoder(too_wide, 3).Decode(values, 1).code(), StatusCode::kCorruption);
  Bytes short_run = {0x06, 0x01};  // Three values, then nothing.
  EXPECT_EQ(RleBitPackedDecoder(short_run, 1).Decode(values, 4).code(), StatusCode::kCorruption);
  Bytes any = {0x02, 0x01};
  Status status = RleBitPackedDecoder(any, 33).Decode(values, 1);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("bit width 33"), std::string_view::npos);
}

TEST(RleBitPackedTest, DecodesLegacyBitPacked) {
  // Encodings.md, BIT_PACKED: 0..7 on three bits, most significant bit first.
  Bytes data = {0x05, 0x39, 0x77};
  std::vector<uint32_t> values(8);
  ASSERT_TRUE(DecodeLegacyBitPacked(data, 3, values).ok());
  EXPECT_EQ(values, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  values.resize(9);
  EXPECT_EQ(DecodeLegacyBitPacked(data, 3, values).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
