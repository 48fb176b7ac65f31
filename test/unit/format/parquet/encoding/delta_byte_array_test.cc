#include "format/parquet/encoding/delta_byte_array.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/encoding/delta_binary_packed.h"

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

// Views into `long_value` and `long_with_tail`, which the caller keeps alive.
std::vector<std::string_view> Sample(const std::string& long_value,
                                     const std::string& long_with_tail) {
  return {"",
          "apple",
          "applesauce",
          "apply",
          "banana",
          "band",
          "band",
          "",
          "a",
          long_value,
          long_with_tail};
}

TEST(DeltaLengthByteArrayTest, RoundTripsAsViews) {
  std::string long_value(5000, 'q');
  std::string long_with_tail = long_value.substr(0, 500) + "tail";
  auto values = Sample(long_value, long_with_tail);
  Bytes encoded;
  EncodeDeltaLengthByteArray(values, encoded);
  std::vector<std::string_view> decoded(values.size());
  auto consumed = DecodeDeltaLengthByteArray(encoded, decoded);
  ASSERT_TRUE(consumed.ok()) << consumed.status().ToString();
  EXPECT_EQ(*consumed, encoded.size());
  EXPECT_EQ(decoded, values);
}

TEST(DeltaLengthByteArrayTest, MatchesTheSpecificationsExample) {
  // Encodings.md: "Hello", "World", "Foobar", "ABCDEF" have lengths 5 5 6 6, stored with
  // DELTA_BINARY_PACKED (first value zigzag 10, deltas 0 1 0 with min 0 on one bit: 0b010),
  // then "HelloWorldFoobarABCDEF".
  Bytes expected = {0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01,
                    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
  std::string text = "HelloWorldFoobarABCDEF";
  expected.insert(expected.end(), text.begin(), text.end());
  std::vector<std::string_view> values = {"Hello", "World", "Foobar", "ABCDEF"};
  Bytes encoded;
  EncodeDeltaLengthByteArray(values, encoded);
  EXPECT_EQ(encoded, expected);
}

TEST(DeltaLengthByteArrayTest, RejectsLyingLengths) {
  std::vector<std::string_view> values = {"abc", "defg"};
  Bytes encoded;
  EncodeDeltaLengthByteArray(values, encoded);
  encoded.pop_back();
  std::vector<std::string_view> decoded(2);
  EXPECT_EQ(DecodeDeltaLengthByteArray(encoded, decoded).status().code(), StatusCode::kCorruption);
  std::vector<std::string_view> three(3);
  EXPECT_EQ(DecodeDeltaLengthByteArray(encoded, three).status().code(), StatusCode::kCorruption);
  // A negative length: lengths -1 encoded as a first value of zigzag 1.
  Bytes negative = {0x80, 0x01, 0x04, 0x01, 0x01};
  std::vector<std::string_view> one(1);
  EXPECT_EQ(DecodeDeltaLengthByteArray(negative, one).status().code(), StatusCode::kCorruption);
}

TEST(DeltaByteArrayTest, RoundTripsSharedPrefixes) {
  std::string long_value(5000, 'q');
  std::string long_with_tail = long_value.substr(0, 500) + "tail";
  auto values = Sample(long_value, long_with_tail);
  Bytes encoded;
  EncodeDeltaByteArray(values, encoded);
  std::vector<std::string_view> decoded(values.size());
  std::string storage;
  Status status = DecodeDeltaByteArray(encoded, decoded, storage, 1 << 20);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(decoded, values);
}

TEST(DeltaByteArrayTest, MatchesTheSpecificationsExample) {
  // Encodings.md: "axis", "axle", "babble", "babyhood" share prefixes 0 2 0 3, leaving
  // suffixes "axis", "le", "babble", "yhood".
  std::vector<std::string_view> values = {"axis", "axle", "babble", "babyhood"};
  Bytes encoded;
  EncodeDeltaByteArray(values, encoded);
  Bytes expected;
  std::vector<int32_t> prefixes = {0, 2, 0, 3};
  EncodeDeltaBinaryPacked<int32_t>(prefixes, expected);
  std::vector<std::string_view> suffixes = {"axis", "le", "babble", "yhood"};
  EncodeDeltaLengthByteArray(suffixes, expected);
  EXPECT_EQ(encoded, expected);
}

TEST(DeltaByteArrayTest, RejectsBadPrefixesAndExpansion) {
  // The first prefix claims 2 bytes of a value that does not exist.
  Bytes encoded;
  std::vector<int32_t> prefixes = {2};
  EncodeDeltaBinaryPacked<int32_t>(prefixes, encoded);
  std::vector<std::string_view> suffixes = {"x"};
  EncodeDeltaLengthByteArray(suffixes, encoded);
  std::vector<std::string_view> decoded(1);
  std::string storage;
  EXPECT_EQ(DecodeDeltaByteArray(encoded, decoded, storage, 1000).code(), StatusCode::kCorruption);
  // 1000 copies of a 100-byte value take 100 000 bytes from a few hundred.
  std::string hundred(100, 'z');
  std::vector<std::string_view> values(1000, hundred);
  encoded.clear();
  EncodeDeltaByteArray(values, encoded);
  EXPECT_LT(encoded.size(), 1000u);
  decoded.resize(1000);
  Status status = DecodeDeltaByteArray(encoded, decoded, storage, 50000);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("limit of 50000"), std::string_view::npos);
}

}  // namespace
}  // namespace floe::format::parquet
