#include "format/parquet/encoding/plain.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values) {
  Bytes encoded;
  EncodePlain<T>(values, encoded);
  EXPECT_EQ(encoded.size(), values.size() * sizeof(T));
  std::vector<T> decoded(values.size());
  auto consumed = DecodePlain<T>(encoded, decoded);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, encoded.size());
  EXPECT_EQ(decoded, values);
}

TEST(PlainTest, RoundTripsFixedWidthTypes) {
  ExpectRoundTrip<int32_t>({});
  ExpectRoundTrip<int32_t>({0, -1, std::numeric_limits<int32_t>::min(), 7});
  ExpectRoundTrip<int64_t>({std::numeric_limits<int64_t>::max(), -5});
  ExpectRoundTrip<float>({1.5f, -0.0f, std::numeric_limits<float>::infinity()});
  ExpectRoundTrip<double>({3.25, std::numeric_limits<double>::lowest()});
  ExpectRoundTrip<Int96>({Int96{{1, 2, 3}}, Int96{{0xFFFFFFFF, 0, 2440588}}});
}

TEST(PlainTest, StoresLittleEndian) {
  Bytes encoded;
  EncodePlain<int32_t>(std::vector<int32_t>{0x01020304}, encoded);
  EXPECT_EQ(encoded, (Bytes{0x04, 0x03, 0x02, 0x01}));
}

TEST(PlainTest, RoundTripsBooleansFromAnyOffset) {
  std::vector<uint8_t> values;
  for (int i = 0; i < 29; ++i) {
    values.push_back(i % 3 == 0 ? 1 : 0);
  }
  Bytes encoded;
  EncodePlainBooleans(values, encoded);
  EXPECT_EQ(encoded.size(), 4u);
  EXPECT_EQ(encoded[0], 0b01001001);
  std::vector<uint8_t> decoded(20);
  ASSERT_TRUE(DecodePlainBooleans(encoded, 9, decoded).ok());
  EXPECT_EQ(decoded, std::vector<uint8_t>(values.begin() + 9, values.end()));
  std::vector<uint8_t> too_many(24);
  EXPECT_EQ(DecodePlainBooleans(encoded, 9, too_many).code(), StatusCode::kCorruption);
}

TEST(PlainTest, RoundTripsByteArraysAsViews) {
  std::string long_value(100000, 'x');
  std::vector<std::string_view> values = {"", "a", long_value, std::string_view("\0\1", 2)};
  Bytes encoded;
  EncodePlainByteArrays(values, encoded);
  EXPECT_EQ(encoded.size(), 4 * 4 + 1 + long_value.size() + 2);
  std::vector<std::string_view> decoded(values.size());
  auto consumed = DecodePlainByteArrays(encoded, decoded);
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, encoded.size());
  EXPECT_EQ(decoded, values);
  EXPECT_EQ(decoded[2].data(), reinterpret_cast<const char*>(encoded.data()) + 13);
}

TEST(PlainTest, RoundTripsFixedLenByteArrays) {
  std::vector<std::string_view> values = {"abc", "def", std::string_view("\0\0\0", 3)};
  Bytes encoded;
  EncodePlainFixedLenByteArrays(values, encoded);
  std::vector<std::string_view> decoded(3);
  ASSERT_TRUE(DecodePlainFixedLenByteArrays(encoded, 3, decoded).ok());
  EXPECT_EQ(decoded, values);
}

TEST(PlainTest, RejectsShortData) {
  Bytes data = {1, 2, 3, 4, 5};
  std::vector<int64_t> int64s(1);
  EXPECT_EQ(DecodePlain<int64_t>(data, int64s).status().code(), StatusCode::kCorruption);
  Bytes lying = {0xFF, 0xFF, 0xFF, 0x7F, 'a'};
  std::vector<std::string_view> views(1);
  EXPECT_EQ(DecodePlainByteArrays(lying, views).status().code(), StatusCode::kCorruption);
  Bytes truncated_length = {1, 0};
  EXPECT_EQ(DecodePlainByteArrays(truncated_length, views).status().code(),
            StatusCode::kCorruption);
  std::vector<std::string_view> two(2);
  EXPECT_EQ(DecodePlainFixedLenByteArrays(data, 3, two).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodePlainFixedLenByteArrays(data, -1, two).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
