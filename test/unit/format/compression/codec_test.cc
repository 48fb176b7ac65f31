#include "format/compression/codec.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace floe::format {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr CompressionCodec kWritableCodecs[] = {
    CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
    CompressionCodec::kBrotli,       CompressionCodec::kZstd,   CompressionCodec::kLz4Raw};

Bytes SampleData(size_t size) {
  Bytes bytes(size);
  std::mt19937 random(7);
  for (size_t i = 0; i < size; ++i) {
    // Half text-like repetition, half noise, so every codec has work to do.
    bytes[i] =
        (i / 64) % 2 == 0 ? static_cast<uint8_t>('a' + i % 7) : static_cast<uint8_t>(random());
  }
  return bytes;
}

std::unique_ptr<Codec> MakeCodec(CompressionCodec kind, CodecOptions options = {}) {
  auto codec = Codec::Make(kind, options);
  EXPECT_TRUE(codec.ok()) << codec.status().ToString();
  return std::move(codec).value();
}

class CodecRoundTripTest : public ::testing::TestWithParam<CompressionCodec> {};

TEST_P(CodecRoundTripTest, RoundTripsBuffersOfManySizes) {
  auto codec = MakeCodec(GetParam());
  for (size_t size : {size_t{0}, size_t{1}, size_t{100}, size_t{65536}, size_t{300000}}) {
    Bytes input = SampleData(size);
    Bytes compressed;
    ASSERT_TRUE(codec->Compress(input, compressed).ok());
    Bytes output;
    Status status = codec->Decompress(compressed, static_cast<int64_t>(size), output);
    ASSERT_TRUE(status.ok()) << CompressionCodecName(GetParam()) << " " << size << ": "
                             << status.ToString();
    EXPECT_EQ(output, input);
  }
}

TEST_P(CodecRoundTripTest, RejectsAWrongExpectedSize) {
  auto codec = MakeCodec(GetParam());
  Bytes input = SampleData(10000);
  Bytes compressed;
  ASSERT_TRUE(codec->Compress(input, compressed).ok());
  Bytes output;
  Status smaller = codec->Decompress(compressed, 9999, output);
  EXPECT_EQ(smaller.code(), StatusCode::kCorruption);
  EXPECT_NE(smaller.message().find("exceeds"), std::string_view::npos) << smaller.ToString();
  Status larger = codec->Decompress(compressed, 10001, output);
  EXPECT_EQ(larger.code(), StatusCode::kCorruption) << larger.ToString();
}

TEST_P(CodecRoundTripTest, RejectsTruncatedAndGarbledInput) {
  auto codec = MakeCodec(GetParam());
  Bytes input = SampleData(20000);
  Bytes compressed;
  ASSERT_TRUE(codec->Compress(input, compressed).ok());
  Bytes output;
  Bytes truncated(compressed.begin(), compressed.begin() + compressed.size() / 2);
  EXPECT_EQ(codec->Decompress(truncated, 20000, output).code(), StatusCode::kCorruption);
  std::mt19937 random(3);
  for (int trial = 0; trial < 50; ++trial) {
    Bytes garbled = compressed;
    garbled[random() % garbled.size()] ^= static_cast<uint8_t>(1 + random() % 255);
    Status status = codec->Decompress(garbled, 20000, output);
    // Some flips land in literal bytes and still decode; none may crash.
    if (!status.ok()) {
      EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTripTest, ::testing::ValuesIn(kWritableCodecs),
                         [](const auto& info) {
                           return std::string(CompressionCodecName(info.param));
                         });

TEST(CodecTest, StopsDecompressionBombsAtTheExpectedSize) {
  Bytes zeros(8 << 20, 0);
  for (CompressionCodec kind : kWritableCodecs) {
    auto codec = MakeCodec(kind);
    Bytes compressed;
    ASSERT_TRUE(codec->Compress(zeros, compressed).ok());
    Bytes output;
    Status status = codec->Decompress(compressed, 1000, output);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << CompressionCodecName(kind);
    EXPECT_NE(status.message().find("exceeds"), std::string_view::npos) << status.ToString();
  }
}

TEST(CodecTest, RejectsSizesAboveTheCap) {
  auto codec = MakeCodec(CompressionCodec::kZstd, CodecOptions{.max_decompressed_size = 1000});
  Bytes output;
  Status status = codec->Decompress(Bytes{1, 2, 3}, 1001, output);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("decompressed size exceeds the limit of 1000 bytes"),
            std::string_view::npos)
      << status.ToString();
  EXPECT_EQ(codec->Decompress(Bytes{}, -1, output).code(), StatusCode::kCorruption);
}

TEST(CodecTest, WritesGzipFramingAndReadsZlibToo) {
  auto codec = MakeCodec(CompressionCodec::kGzip);
  Bytes compressed;
  ASSERT_TRUE(codec->Compress(SampleData(10), compressed).ok());
  ASSERT_GE(compressed.size(), 2u);
  EXPECT_EQ(compressed[0], 0x1f);  // RFC 1952 magic.
  EXPECT_EQ(compressed[1], 0x8b);
  // RFC 1950 header 78 01, one stored deflate block of "abc" (RFC 1951), Adler-32 of "abc".
  Bytes zlib = {0x78, 0x01, 0x01, 0x03, 0x00, 0xFC, 0xFF, 'a', 'b', 'c', 0x02, 0x4D, 0x01, 0x27};
  Bytes output;
  ASSERT_TRUE(codec->Decompress(zlib, 3, output).ok());
  EXPECT_EQ(output, (Bytes{'a', 'b', 'c'}));
}

TEST(CodecTest, ReadsConcatenatedGzipMembers) {
  auto codec = MakeCodec(CompressionCodec::kGzip);
  Bytes first;
  Bytes second;
  ASSERT_TRUE(codec->Compress(Bytes{'a', 'b'}, first).ok());
  ASSERT_TRUE(codec->Compress(Bytes{'c'}, second).ok());
  first.insert(first.end(), second.begin(), second.end());
  Bytes output;
  ASSERT_TRUE(codec->Decompress(first, 3, output).ok());
  EXPECT_EQ(output, (Bytes{'a', 'b', 'c'}));
}

TEST(CodecTest, HonoursCompressionLevels) {
  Bytes input = SampleData(100000);
  Bytes fast;
  Bytes strong;
  ASSERT_TRUE(MakeCodec(CompressionCodec::kZstd, {.level = 1})->Compress(input, fast).ok());
  ASSERT_TRUE(MakeCodec(CompressionCodec::kZstd, {.level = 19})->Compress(input, strong).ok());
  EXPECT_LE(strong.size(), fast.size());
  EXPECT_EQ(Codec::Make(CompressionCodec::kZstd, {.level = 100}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Codec::Make(CompressionCodec::kGzip, {.level = 10}).status().code(),
            StatusCode::kInvalidArgument);
}

void AppendBigEndian32(Bytes& bytes, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<uint8_t>(value >> shift));
  }
}

TEST(CodecTest, ReadsHadoopFramedAndRawLegacyLz4) {
  auto raw = MakeCodec(CompressionCodec::kLz4Raw);
  auto legacy = MakeCodec(CompressionCodec::kLz4);
  Bytes first_half = SampleData(3000);
  Bytes second_half(2000, 'q');
  Bytes first_block;
  Bytes second_block;
  ASSERT_TRUE(raw->Compress(first_half, first_block).ok());
  ASSERT_TRUE(raw->Compress(second_half, second_block).ok());
  Bytes framed;
  for (const auto& [block, size] :
       {std::pair{&first_block, 3000u}, std::pair{&second_block, 2000u}}) {
    AppendBigEndian32(framed, size);
    AppendBigEndian32(framed, static_cast<uint32_t>(block->size()));
    framed.insert(framed.end(), block->begin(), block->end());
  }
  Bytes expected = first_half;
  expected.insert(expected.end(), second_half.begin(), second_half.end());
  Bytes output;
  ASSERT_TRUE(legacy->Decompress(framed, 5000, output).ok());
  EXPECT_EQ(output, expected);
  // A bare LZ4 block does not fit the framing and is read as such.
  ASSERT_TRUE(legacy->Decompress(first_block, 3000, output).ok());
  EXPECT_EQ(output, first_half);
  EXPECT_EQ(legacy->Compress(first_half, output).code(), StatusCode::kNotSupported);
}

TEST(CodecTest, RefusesLzoAndUnknownCodecs) {
  EXPECT_EQ(Codec::Make(CompressionCodec::kLzo).status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(Codec::Make(static_cast<CompressionCodec>(42)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CompressionCodecName(CompressionCodec::kLz4Raw), "LZ4_RAW");
}

}  // namespace
}  // namespace floe::format
