// Decompresses arbitrary bytes with one codec. Input: byte 0 picks the codec, bytes 1 and 2
// give the expected uncompressed size (little-endian, times 4), the rest is compressed data.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "format/compression/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using floe::format::Codec;
  using floe::format::CompressionCodec;
  if (size < 3) {
    return 0;
  }
  constexpr CompressionCodec kCodecs[] = {
      CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
      CompressionCodec::kBrotli,       CompressionCodec::kLz4,    CompressionCodec::kZstd,
      CompressionCodec::kLz4Raw};
  auto codec = Codec::Make(kCodecs[data[0] % 7], {.max_decompressed_size = 1 << 18});
  if (!codec.ok()) {
    __builtin_trap();
  }
  int64_t expected = (int64_t{data[1]} | int64_t{data[2]} << 8) * 4;
  std::vector<uint8_t> output;
  (void)(*codec)->Decompress(std::span<const uint8_t>(data + 3, size - 3), expected, output);
  return 0;
}
