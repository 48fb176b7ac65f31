#include "format/compression/codec.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

namespace floe::format {
namespace {

constexpr std::array<std::string_view, 8> kCodecNames = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};

Status Exceeds(CompressionCodec codec, size_t expected) {
  return Status::Corruption("{} data: decompressed size exceeds the expected {} bytes",
                            CompressionCodecName(codec), expected);
}

Status Short(CompressionCodec codec, size_t actual, size_t expected) {
  return Status::Corruption("{} data decompressed to {} bytes, expected {}",
                            CompressionCodecName(codec), actual, expected);
}

Status Malformed(CompressionCodec codec, std::string_view detail) {
  return Status::Corruption("malformed {} data: {}", CompressionCodecName(codec), detail);
}

const char* AsChars(const uint8_t* bytes) {
  return reinterpret_cast<const char*>(bytes);
}
char* AsChars(uint8_t* bytes) {
  return reinterpret_cast<char*>(bytes);
}

class UncompressedCodec final : public Codec {
 public:
  explicit UncompressedCodec(CodecOptions options)
      : Codec(CompressionCodec::kUncompressed, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    output.assign(input.begin(), input.end());
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    if (input.size() > output.size()) {
      return Exceeds(codec(), output.size());
    }
    if (input.size() < output.size()) {
      return Short(codec(), input.size(), output.size());
    }
    if (!input.empty()) {
      std::memcpy(output.data(), input.data(), input.size());
    }
    return Status::OK();
  }
};

class SnappyCodec final : public Codec {
 public:
  explicit SnappyCodec(CodecOptions options) : Codec(CompressionCodec::kSnappy, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    output.resize(snappy::MaxCompressedLength(input.size()));
    size_t length = 0;
    snappy::RawCompress(AsChars(input.data()), input.size(), AsChars(output.data()), &length);
    output.resize(length);
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    size_t length = 0;
    if (!snappy::GetUncompressedLength(AsChars(input.data()), input.size(), &length)) {
      return Malformed(codec(), "bad length preamble");
    }
    if (length > output.size()) {
      return Exceeds(codec(), output.size());
    }
    if (length < output.size()) {
      return Short(codec(), length, output.size());
    }
    if (!snappy::RawUncompress(AsChars(input.data()), input.size(), AsChars(output.data()))) {
      return Malformed(codec(), "bad block");
    }
    return Status::OK();
  }
};

class GzipCodec final : public Codec {
 public:
  explicit GzipCodec(CodecOptions options) : Codec(CompressionCodec::kGzip, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    z_stream stream{};
    int level =
        options().level == CodecOptions::kDefaultLevel ? Z_DEFAULT_COMPRESSION : options().level;
    // Window bits 15 + 16 asks zlib for gzip framing, which Compression.md specifies.
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::Internal("zlib deflateInit2 failed");
    }
    output.resize(deflateBound(&stream, input.size()) + 32);
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    int result = deflate(&stream, Z_FINISH);
    output.resize(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) {
      return Status::Internal("zlib deflate failed: {}", result);
    }
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    z_stream stream{};
    // Window bits 15 + 32 accepts both gzip and zlib headers, as other readers do.
    if (inflateInit2(&stream, 15 + 32) != Z_OK) {
      return Status::Internal("zlib inflateInit2 failed");
    }
    Status status = Inflate(stream, input, output);
    inflateEnd(&stream);
    return status;
  }

 private:
  Status Inflate(z_stream& stream, std::span<const uint8_t> input, std::span<uint8_t> output) {
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    // zlib refuses a null output pointer even when no output space is offered.
    uint8_t empty_output = 0;
    stream.next_out = output.empty() ? &empty_output : output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    while (true) {
      int result = inflate(&stream, Z_NO_FLUSH);
      if (result == Z_STREAM_END) {
        // Concatenated gzip members form one stream (RFC 1952, section 2.2).
        if (stream.avail_in >= 2 && stream.next_in[0] == 0x1f && stream.next_in[1] == 0x8b) {
          inflateReset(&stream);
          continue;
        }
        break;
      }
      if (result == Z_BUF_ERROR && stream.avail_out == 0) {
        return Exceeds(codec(), output.size());
      }
      if (result != Z_OK) {
        return Malformed(codec(), stream.msg != nullptr ? stream.msg : "truncated stream");
      }
    }
    if (stream.avail_in != 0) {
      return Malformed(codec(), "bytes after the end of the stream");
    }
    if (stream.avail_out != 0) {
      return Short(codec(), output.size() - stream.avail_out, output.size());
    }
    return Status::OK();
  }
};

class ZstdCodec final : public Codec {
 public:
  explicit ZstdCodec(CodecOptions options) : Codec(CompressionCodec::kZstd, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    int level =
        options().level == CodecOptions::kDefaultLevel ? ZSTD_CLEVEL_DEFAULT : options().level;
    output.resize(ZSTD_compressBound(input.size()));
    size_t length = ZSTD_compress(output.data(), output.size(), input.data(), input.size(), level);
    if (ZSTD_isError(length)) {
      return Status::Internal("zstd compression failed: {}", ZSTD_getErrorName(length));
    }
    output.resize(length);
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    // One context serves every call: ZSTD_decompress would allocate and initialise a fresh one
    // (over 100 KiB) per page, which costs as much as decompressing a small page.
    if (decompression_context_ == nullptr) {
      decompression_context_.reset(ZSTD_createDCtx());
      if (decompression_context_ == nullptr) {
        return Status::ResourceExhausted("cannot allocate a zstd decompression context");
      }
    }
    size_t length = ZSTD_decompressDCtx(decompression_context_.get(), output.data(), output.size(),
                                        input.data(), input.size());
    if (ZSTD_isError(length)) {
      if (ZSTD_getErrorCode(length) == ZSTD_error_dstSize_tooSmall) {
        return Exceeds(codec(), output.size());
      }
      return Malformed(codec(), ZSTD_getErrorName(length));
    }
    if (length < output.size()) {
      return Short(codec(), length, output.size());
    }
    return Status::OK();
  }

 private:
  struct ContextDeleter {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
  };
  std::unique_ptr<ZSTD_DCtx, ContextDeleter> decompression_context_;
};

Status DecompressLz4Block(CompressionCodec codec, std::span<const uint8_t> input,
                          std::span<uint8_t> output) {
  int length = LZ4_decompress_safe(AsChars(input.data()), AsChars(output.data()),
                                   static_cast<int>(input.size()), static_cast<int>(output.size()));
  if (length < 0) {
    return Status::Corruption(
        "malformed {} data, or decompressed size exceeds the expected {} bytes",
        CompressionCodecName(codec), output.size());
  }
  if (static_cast<size_t>(length) < output.size()) {
    return Short(codec, static_cast<size_t>(length), output.size());
  }
  return Status::OK();
}

class Lz4RawCodec final : public Codec {
 public:
  explicit Lz4RawCodec(CodecOptions options) : Codec(CompressionCodec::kLz4Raw, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    output.resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(input.size()))));
    int length =
        LZ4_compress_default(AsChars(input.data()), AsChars(output.data()),
                             static_cast<int>(input.size()), static_cast<int>(output.size()));
    if (length <= 0 && !input.empty()) {
      return Status::Internal("LZ4 compression failed");
    }
    output.resize(static_cast<size_t>(length));
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    return DecompressLz4Block(codec(), input, output);
  }
};

uint32_t ReadBigEndian32(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

// Compression.md: the deprecated LZ4 codec means Hadoop's framing, a sequence of blocks each
// led by its big-endian uncompressed and compressed lengths; some writers wrote a bare LZ4
// block instead, so input the framing does not fit is read as one raw block.
bool TryDecompressHadoopLz4(std::span<const uint8_t> input, std::span<uint8_t> output) {
  size_t input_position = 0;
  size_t output_position = 0;
  while (input.size() - input_position >= 8) {
    uint32_t block_uncompressed = ReadBigEndian32(input.data() + input_position);
    uint32_t block_compressed = ReadBigEndian32(input.data() + input_position + 4);
    input_position += 8;
    if (block_compressed > input.size() - input_position ||
        block_uncompressed > output.size() - output_position) {
      return false;
    }
    int length = LZ4_decompress_safe(
        AsChars(input.data() + input_position), AsChars(output.data() + output_position),
        static_cast<int>(block_compressed), static_cast<int>(block_uncompressed));
    if (length < 0 || static_cast<uint32_t>(length) != block_uncompressed) {
      return false;
    }
    input_position += block_compressed;
    output_position += block_uncompressed;
  }
  return input_position == input.size() && output_position == output.size();
}

class HadoopLz4Codec final : public Codec {
 public:
  explicit HadoopLz4Codec(CodecOptions options) : Codec(CompressionCodec::kLz4, options) {}

  Status Compress(std::span<const uint8_t>, std::vector<uint8_t>&) override {
    return Status::NotSupported("writing the deprecated LZ4 codec; use LZ4_RAW");
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    if (TryDecompressHadoopLz4(input, output)) {
      return Status::OK();
    }
    return DecompressLz4Block(codec(), input, output);
  }
};

class BrotliCodec final : public Codec {
 public:
  explicit BrotliCodec(CodecOptions options) : Codec(CompressionCodec::kBrotli, options) {}

  Status Compress(std::span<const uint8_t> input, std::vector<uint8_t>& output) override {
    int quality =
        options().level == CodecOptions::kDefaultLevel ? BROTLI_DEFAULT_QUALITY : options().level;
    size_t length = BrotliEncoderMaxCompressedSize(input.size());
    output.resize(length == 0 ? input.size() + 1024 : length);
    length = output.size();
    if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                               input.data(), &length, output.data())) {
      return Status::Internal("brotli compression failed");
    }
    output.resize(length);
    return Status::OK();
  }

  Status DecompressInto(std::span<const uint8_t> input, std::span<uint8_t> output) override {
    std::unique_ptr<BrotliDecoderState, decltype(&BrotliDecoderDestroyInstance)> state(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), &BrotliDecoderDestroyInstance);
    if (state == nullptr) {
      return Status::ResourceExhausted("cannot create a brotli decoder");
    }
    size_t available_in = input.size();
    const uint8_t* next_in = input.data();
    size_t available_out = output.size();
    uint8_t* next_out = output.data();
    BrotliDecoderResult result = BrotliDecoderDecompressStream(state.get(), &available_in, &next_in,
                                                               &available_out, &next_out, nullptr);
    switch (result) {
      case BROTLI_DECODER_RESULT_SUCCESS:
        break;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        return Exceeds(codec(), output.size());
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        return Malformed(codec(), "truncated stream");
      default:
        return Malformed(codec(), BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get())));
    }
    if (available_in != 0) {
      return Malformed(codec(), "bytes after the end of the stream");
    }
    if (available_out != 0) {
      return Short(codec(), output.size() - available_out, output.size());
    }
    return Status::OK();
  }
};

Status CheckLevel(CompressionCodec codec, int level, int lowest, int highest) {
  if (level != CodecOptions::kDefaultLevel && (level < lowest || level > highest)) {
    return Status::InvalidArgument("{} compression level must lie in [{}, {}]: {}",
                                   CompressionCodecName(codec), lowest, highest, level);
  }
  return Status::OK();
}

}  // namespace

std::string_view CompressionCodecName(CompressionCodec codec) {
  auto index = static_cast<size_t>(codec);
  return index < kCodecNames.size() ? kCodecNames[index] : "UNKNOWN";
}

Result<std::unique_ptr<Codec>> Codec::Make(CompressionCodec codec, CodecOptions options) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      return std::unique_ptr<Codec>(std::make_unique<UncompressedCodec>(options));
    case CompressionCodec::kSnappy:
      return std::unique_ptr<Codec>(std::make_unique<SnappyCodec>(options));
    case CompressionCodec::kGzip:
      FLOE_RETURN_NOT_OK(CheckLevel(codec, options.level, -1, 9));
      return std::unique_ptr<Codec>(std::make_unique<GzipCodec>(options));
    case CompressionCodec::kBrotli:
      FLOE_RETURN_NOT_OK(CheckLevel(codec, options.level, BROTLI_MIN_QUALITY, BROTLI_MAX_QUALITY));
      return std::unique_ptr<Codec>(std::make_unique<BrotliCodec>(options));
    case CompressionCodec::kLz4:
      return std::unique_ptr<Codec>(std::make_unique<HadoopLz4Codec>(options));
    case CompressionCodec::kZstd:
      FLOE_RETURN_NOT_OK(CheckLevel(codec, options.level, ZSTD_minCLevel(), ZSTD_maxCLevel()));
      return std::unique_ptr<Codec>(std::make_unique<ZstdCodec>(options));
    case CompressionCodec::kLz4Raw:
      return std::unique_ptr<Codec>(std::make_unique<Lz4RawCodec>(options));
    case CompressionCodec::kLzo:
      return Status::NotSupported("the LZO compression codec");
  }
  return Status::InvalidArgument("unknown compression codec {}", static_cast<int32_t>(codec));
}

Status Codec::Decompress(std::span<const uint8_t> input, int64_t uncompressed_size,
                         std::vector<uint8_t>& output) {
  if (uncompressed_size < 0) {
    return Status::Corruption("negative uncompressed size {}", uncompressed_size);
  }
  // The cap also keeps sizes within the 32-bit counts that zlib and LZ4 take.
  int64_t cap = std::min<int64_t>(options_.max_decompressed_size, INT32_MAX);
  if (uncompressed_size > cap) {
    return Status::Corruption("{} data: decompressed size exceeds the limit of {} bytes: {}",
                              CompressionCodecName(codec_), cap, uncompressed_size);
  }
  if (input.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::Corruption("{} data of {} bytes is larger than a page can be",
                              CompressionCodecName(codec_), input.size());
  }
  output.resize(static_cast<size_t>(uncompressed_size));
  return DecompressInto(input, output);
}

}  // namespace floe::format
