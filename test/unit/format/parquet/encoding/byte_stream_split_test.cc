#include "format/parquet/encoding/byte_stream_split.h"

#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values) {
  Bytes raw(values.size() * sizeof(T));
  if (!raw.empty()) {
    std::memcpy(raw.data(), values.data(), raw.size());
  }
  Bytes encoded;
  EncodeByteStreamSplit(raw, sizeof(T), encoded);
  ASSERT_EQ(encoded.size(), raw.size());
  std::vector<T> decoded(values.size());
  auto count = static_cast<int64_t>(values.size());
  ASSERT_TRUE(DecodeByteStreamSplit(encoded, sizeof(T), count, 0, count,
                                    reinterpret_cast<uint8_t*>(decoded.data()))
                  .ok());
  EXPECT_EQ(decoded, values);
}

TEST(ByteStreamSplitTest, RoundTripsEveryType) {
  ExpectRoundTrip<float>({});
  ExpectRoundTrip<float>({1.5f, -2.25f, std::numeric_limits<float>::max()});
  ExpectRoundTrip<double>({0.1, -0.0, 1e300});
  ExpectRoundTrip<int32_t>({1, -1, std::numeric_limits<int32_t>::min()});
  ExpectRoundTrip<int64_t>({std::numeric_limits<int64_t>::max(), 12345678901234});
}

TEST(ByteStreamSplitTest, SplitsBytesIntoStreams) {
  // Two 3-byte fixed-length values AAB and CCD: stream 0 holds A C, stream 1 A C, stream 2 B D.
  Bytes values = {'A', 'A', 'B', 'C', 'C', 'D'};
  Bytes encoded;
  EncodeByteStreamSplit(values, 3, encoded);
  EXPECT_EQ(encoded, (Bytes{'A', 'C', 'A', 'C', 'B', 'D'}));
  uint8_t second[3];
  ASSERT_TRUE(DecodeByteStreamSplit(encoded, 3, 2, 1, 1, second).ok());
  EXPECT_EQ(Bytes(second, second + 3), (Bytes{'C', 'C', 'D'}));
}

TEST(ByteStreamSplitTest, RejectsMismatchedSizesAndRanges) {
  Bytes data(10);
  uint8_t output[16];
  EXPECT_EQ(DecodeByteStreamSplit(data, 4, 3, 0, 1, output).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeByteStreamSplit(data, 0, 3, 0, 1, output).code(), StatusCode::kCorruption);
  Bytes eight(8);
  EXPECT_EQ(DecodeByteStreamSplit(eight, 4, 2, 1, 2, output).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeByteStreamSplit(eight, 4, 2, -1, 1, output).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::format::parquet
