#pragma once

// Avro object container files (Apache Avro specification, "Object Container Files"), written
// from the specification rather than through Apache Avro C (libavro): libavro's C API neither
// lets a writer put its own key/value pairs into the file header (Iceberg stores "schema",
// "partition-spec", "format-version" and more there) nor keeps custom schema attributes such as
// "field-id", which Iceberg readers resolve columns by. Layout and codecs: docs/formats/avro.md.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "format/avro/avro_binary.h"
#include "format/avro/avro_schema.h"
#include "format/avro/avro_value.h"
#include "io/fwd.h"

namespace floe::format::avro {

/// Block compression codecs of container files ("avro.codec").
enum class AvroCodec : uint8_t {
  kNull,
  kDeflate,  // Raw deflate (RFC 1951) without zlib header or checksum.
  kSnappy,   // Snappy followed by the big-endian CRC-32 of the uncompressed bytes.
};

/// Returns the codec's name as written in "avro.codec" ("null", "deflate", "snappy").
std::string_view AvroCodecName(AvroCodec codec);

/// Key/value pairs of the file header, in the order written; values are raw bytes.
using AvroMetadata = std::vector<std::pair<std::string, std::string>>;

struct AvroReaderOptions {
  /// Largest decompressed block accepted: a bound on what a compression bomb can allocate.
  int64_t max_block_size = int64_t{256} << 20;
};

/// One block of a container file: `object_count` objects encoded back to back in `data`.
struct AvroBlock {
  int64_t object_count = 0;
  std::span<const uint8_t> data;
};

/// Reads an Avro container file held whole in memory, block by block.
///
/// Open checks the magic, parses the header and the writer's schema; NextBlock checks each
/// block's sync marker and decompresses it. Malformed input of any kind (truncation, counts or
/// sizes larger than the file, an unknown codec, a bad sync marker or CRC) is Corruption; an
/// unsupported codec name is NotSupported. Not thread-safe; not copyable.
class AvroFileReader {
 public:
  /// Takes the file's bytes and reads its header.
  static Result<std::unique_ptr<AvroFileReader>> Open(std::string bytes,
                                                      AvroReaderOptions options = {});

  AvroFileReader(const AvroFileReader&) = delete;
  AvroFileReader& operator=(const AvroFileReader&) = delete;
  ~AvroFileReader() = default;

  const AvroSchema& schema() const { return schema_; }
  const AvroMetadata& metadata() const { return metadata_; }
  /// Returns the header value for `key`, or nullptr.
  const std::string* FindMetadata(std::string_view key) const;
  AvroCodec codec() const { return codec_; }

  /// Reads the next block into `block`, whose data stays valid until the next call; returns
  /// false at the end of the file.
  Result<bool> NextBlock(AvroBlock& block);

  /// Decodes the next object as a generic value; returns false at the end of the file. Checks
  /// that each block holds exactly the objects it claims.
  Result<bool> NextValue(AvroValue& value);

 private:
  AvroFileReader(std::string bytes, AvroReaderOptions options)
      : bytes_(std::move(bytes)), options_(options) {}

  Status ReadHeader();
  Status Decompress(std::span<const uint8_t> compressed);

  std::string bytes_;
  AvroReaderOptions options_;
  size_t position_ = 0;
  AvroSchema schema_;
  AvroMetadata metadata_;
  AvroCodec codec_ = AvroCodec::kNull;
  std::array<uint8_t, 16> sync_{};
  std::string decompressed_;
  // State of NextValue.
  AvroBlock block_;
  std::unique_ptr<AvroDecoder> block_decoder_;
  int64_t objects_left_ = 0;
};

struct AvroWriterOptions {
  AvroCodec codec = AvroCodec::kDeflate;
  /// A block is written once its encoded objects reach this many bytes.
  int64_t block_size = int64_t{64} << 10;
  /// zlib level for deflate, -1 for zlib's default.
  int deflate_level = -1;
};

/// Writes an Avro container file to an output stream, streaming: objects are buffered only until
/// a block is full.
///
/// Callers either Append generic values or encode objects themselves into encoder() and call
/// FinishObject after each one, which is how manifests are written without intermediate values.
/// Close writes the last block and closes the stream; a writer destroyed without Close aborts
/// the stream. Not thread-safe; not copyable.
class AvroFileWriter {
 public:
  /// Writes the header (magic, "avro.schema", "avro.codec" and `metadata`) to `stream`.
  static Result<std::unique_ptr<AvroFileWriter>> Open(std::unique_ptr<io::OutputStream> stream,
                                                      const AvroSchema& schema,
                                                      const AvroMetadata& metadata,
                                                      AvroWriterOptions options = {});

  AvroFileWriter(const AvroFileWriter&) = delete;
  AvroFileWriter& operator=(const AvroFileWriter&) = delete;
  ~AvroFileWriter();

  const AvroSchema& schema() const { return schema_; }

  /// Encodes `value`; InvalidArgument when it does not match the schema (nothing is written).
  Status Append(const AvroValue& value);

  /// Returns the encoder that the next object is to be written to.
  AvroEncoder& encoder() { return encoder_; }
  /// Marks the bytes written to encoder() since the last call as one object.
  Status FinishObject();

  /// Returns the bytes written to the stream so far (the file size after Close).
  int64_t BytesWritten() const;

  /// Writes the pending block and closes the stream.
  Status Close();

 private:
  AvroFileWriter(std::unique_ptr<io::OutputStream> stream, AvroSchema schema,
                 AvroWriterOptions options);

  Status WriteHeader(const AvroMetadata& metadata);
  Status FlushBlock();
  Status Write(std::string_view bytes);

  std::unique_ptr<io::OutputStream> stream_;
  AvroSchema schema_;
  AvroWriterOptions options_;
  std::array<uint8_t, 16> sync_{};
  AvroEncoder encoder_;
  int64_t pending_objects_ = 0;
  std::string compressed_;
  bool is_closed_ = false;
  int64_t closed_size_ = 0;
};

}  // namespace floe::format::avro
