#include "format/parquet/encoding/delta_binary_packed.h"

#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

template <typename T>
std::vector<T> DecodeAll(const Bytes& data, int64_t count) {
  auto decoder = DeltaBinaryPackedDecoder<T>::Make(data);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  std::vector<T> values(static_cast<size_t>(count));
  Status status = decoder->Decode(values.data(), count);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return values;
}

TEST(DeltaBinaryPackedTest, MatchesTheSpecificationsFirstExample) {
  // Encodings.md example 1: 1..5 has constant delta 1, so every miniblock is 0 bits wide.
  // Header: block 128, 4 miniblocks, 5 values, first value zigzag(1) = 2; block: min delta
  // zigzag(1) = 2 and four zero widths.
  Bytes expected = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
  std::vector<int32_t> values = {1, 2, 3, 4, 5};
  Bytes encoded;
  EncodeDeltaBinaryPacked<int32_t>(values, encoded);
  EXPECT_EQ(encoded, expected);
  EXPECT_EQ(DecodeAll<int32_t>(expected, 5), values);
}

TEST(DeltaBinaryPackedTest, MatchesTheSpecificationsSecondExample) {
  // Encodings.md example 2: 7 5 3 1 2 3 4 5 has deltas -2 -2 -2 1 1 1 1, min delta -2
  // (zigzag 3), relative deltas 0 0 0 3 3 3 3 on two bits: bytes 0xC0 0x3F, then padding to
  // 32 values (8 bytes). Header first value zigzag(7) = 14.
  Bytes expected = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00,
                    0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  std::vector<int64_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  Bytes encoded;
  EncodeDeltaBinaryPacked<int64_t>(values, encoded);
  EXPECT_EQ(encoded, expected);
  EXPECT_EQ(DecodeAll<int64_t>(expected, 8), values);
  auto decoder = DeltaBinaryPackedDecoder<int64_t>::Make(expected);
  std::vector<int64_t> decoded(8);
  ASSERT_TRUE(decoder->Decode(decoded.data(), 8).ok());
  EXPECT_EQ(decoder->position(), expected.size());
}

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values) {
  Bytes encoded;
  EncodeDeltaBinaryPacked<T>(values, encoded);
  auto decoder = DeltaBinaryPackedDecoder<T>::Make(encoded);
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  EXPECT_EQ(decoder->total_values(), static_cast<int64_t>(values.size()));
  std::vector<T> decoded(values.size());
  size_t done = 0;
  for (size_t batch = 1; done < values.size(); batch = batch * 2 + 3) {
    size_t take = std::min(batch, values.size() - done);
    ASSERT_TRUE(decoder->Decode(decoded.data() + done, static_cast<int64_t>(take)).ok());
    done += take;
  }
  EXPECT_EQ(decoded, values);
  EXPECT_EQ(decoder->position(), encoded.size());
}

template <typename T>
void RoundTripEdgeValues() {
  using Limits = std::numeric_limits<T>;
  ExpectRoundTrip<T>({});
  ExpectRoundTrip<T>({Limits::min()});
  ExpectRoundTrip<T>({Limits::min(), Limits::max(), Limits::min(), Limits::max(), 0, -1});
  std::vector<T> descending;
  for (int i = 0; i < 1000; ++i) {
    descending.push_back(static_cast<T>(1000 - 3 * i));
  }
  ExpectRoundTrip<T>(descending);
  std::mt19937_64 random(5);
  std::vector<T> noise(5000);
  for (auto& value : noise) {
    value = static_cast<T>(random());
  }
  ExpectRoundTrip<T>(noise);
  std::vector<T> exact_block(129, 42);
  ExpectRoundTrip<T>(exact_block);
}

TEST(DeltaBinaryPackedTest, RoundTripsInt32EdgeValues) {
  RoundTripEdgeValues<int32_t>();
}
TEST(DeltaBinaryPackedTest, RoundTripsInt64EdgeValues) {
  RoundTripEdgeValues<int64_t>();
}

TEST(DeltaBinaryPackedTest, WrapsLikeTheWriterDid) {
  // min to max is a delta of -1 modulo 2^64 and max to min of +1: both fit in few bits.
  std::vector<int64_t> values = {std::numeric_limits<int64_t>::max(),
                                 std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max()};
  Bytes encoded;
  EncodeDeltaBinaryPacked<int64_t>(values, encoded);
  EXPECT_EQ(DecodeAll<int64_t>(encoded, 3), values);
}

TEST(DeltaBinaryPackedTest, RejectsCorruptInput) {
  Bytes truncated = {0x80, 0x01, 0x04};
  EXPECT_EQ(DeltaBinaryPackedDecoder<int32_t>::Make(truncated).status().code(),
            StatusCode::kCorruption);
  Bytes odd_block = {0x64, 0x04, 0x05, 0x02};  // 100 is not a multiple of 128.
  EXPECT_EQ(DeltaBinaryPackedDecoder<int32_t>::Make(odd_block).status().code(),
            StatusCode::kCorruption);
  Bytes odd_miniblocks = {0x80, 0x01, 0x03, 0x05, 0x02};
  EXPECT_EQ(DeltaBinaryPackedDecoder<int32_t>::Make(odd_miniblocks).status().code(),
            StatusCode::kCorruption);
  // A miniblock 33 bits wide cannot hold int32 deltas.
  Bytes wide = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x21, 0x00, 0x00, 0x00};
  wide.resize(wide.size() + 33 * 4, 0);
  auto decoder = DeltaBinaryPackedDecoder<int32_t>::Make(wide);
  ASSERT_TRUE(decoder.ok());
  std::vector<int32_t> values(5);
  EXPECT_EQ(decoder->Decode(values.data(), 5).code(), StatusCode::kCorruption);
  // The miniblock's bytes are missing.
  Bytes missing = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x08, 0x00, 0x00, 0x00, 0x01};
  decoder = DeltaBinaryPackedDecoder<int32_t>::Make(missing);
  ASSERT_TRUE(decoder.ok());
  EXPECT_EQ(decoder->Decode(values.data(), 5).code(), StatusCode::kCorruption);
  // More values requested than the header announces.
  Bytes example = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
  decoder = DeltaBinaryPackedDecoder<int32_t>::Make(example);
  values.resize(6);
  EXPECT_EQ(decoder->Decode(values.data(), 6).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
