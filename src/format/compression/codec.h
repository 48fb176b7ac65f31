#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace floe::format {

/// Compression codecs, numbered as CompressionCodec in parquet.thrift.
enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // Deprecated Hadoop-framed LZ4: read only.
  kZstd = 6,
  kLz4Raw = 7,
};

/// Returns the codec's name as parquet.thrift spells it ("ZSTD").
std::string_view CompressionCodecName(CompressionCodec codec);

struct CodecOptions {
  /// Compression level for GZIP, ZSTD and BROTLI; kDefaultLevel picks each library's default.
  static constexpr int kDefaultLevel = INT32_MIN;
  int level = kDefaultLevel;
  /// Largest uncompressed size Decompress accepts, whatever a page header claims: a bound on
  /// the memory a decompression bomb can take.
  int64_t max_decompressed_size = int64_t{1} << 30;
};

/// Compresses and decompresses whole buffers with one codec, as Parquet pages need.
///
/// Decompress knows the uncompressed size from the page header; output that would be larger
/// than that size or than the options' cap is Corruption ("decompressed size exceeds ..."), and
/// so is output that is shorter or any malformed input. A Codec holds no state between calls
/// that affects results; one instance must not be used by two threads at once.
class Codec {
 public:
  /// Returns the codec, NotSupported for LZO, or InvalidArgument for an unknown value.
  static Result<std::unique_ptr<Codec>> Make(CompressionCodec codec, CodecOptions options = {});

  Codec(const Codec&) = delete;
  Codec& operator=(const Codec&) = delete;
  virtual ~Codec() = default;

  CompressionCodec codec() const { return codec_; }

  /// Replaces `output` with the compressed form of `input`. NotSupported for legacy LZ4.
  virtual Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) = 0;

  /// Replaces `output` with exactly `uncompressed_size` bytes decompressed from `input`.
  Status Decompress(std::span<const uint8_t> input, int64_t uncompressed_size,
                    std::vector<uint8_t>& output);

  /// Decompresses `input` into all of `output`; its size is the expected uncompressed size.
  virtual Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) = 0;

 protected:
  Codec(CompressionCodec codec, CodecOptions options) : codec_(codec), options_(options) {}

  const CodecOptions& options() const { return options_; }

 private:
  CompressionCodec codec_;
  CodecOptions options_;
};

}  // namespace floe::format
