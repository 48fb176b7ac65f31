#include "format/avro/avro_file.h"

#include <cstring>
#include <random>

#include <snappy.h>
#include <zlib.h>

#include "io/file_system.h"

namespace floe::format::avro {
namespace {

// "Obj" followed by the format version byte 1.
constexpr std::string_view kMagic("Obj\x01", 4);
constexpr size_t kSyncSize = 16;

std::span<const uint8_t> AsSpan(std::string_view bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

Result<AvroCodec> CodecNamed(std::string_view name) {
  if (name.empty() || name == "null") {
    return AvroCodec::kNull;
  }
  if (name == "deflate") {
    return AvroCodec::kDeflate;
  }
  if (name == "snappy") {
    return AvroCodec::kSnappy;
  }
  return Status::NotSupported("Avro codec '{}' is not supported", name);
}

uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Raw deflate (window bits -15): Avro's deflate codec has no zlib header or trailer.
Status Inflate(std::span<const uint8_t> input, int64_t limit, std::string& output) {
  z_stream stream{};
  if (inflateInit2(&stream, -15) != Z_OK) {
    return Status::Internal("cannot initialise zlib");
  }
  stream.next_in = const_cast<Bytef*>(input.data());
  stream.avail_in = static_cast<uInt>(input.size());
  output.clear();
  int result = Z_OK;
  char chunk[16384];
  while (result != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    result = inflate(&stream, Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END) {
      inflateEnd(&stream);
      return Status::Corruption("Avro deflate block is malformed (zlib error {})", result);
    }
    output.append(chunk, sizeof(chunk) - stream.avail_out);
    if (static_cast<int64_t>(output.size()) > limit) {
      inflateEnd(&stream);
      return Status::Corruption("Avro block decompresses to more than {} bytes", limit);
    }
    if (result == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      return Status::Corruption("Avro deflate block is truncated");
    }
  }
  inflateEnd(&stream);
  return Status::OK();
}

Status Deflate(std::string_view input, int level, std::string& output) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("cannot initialise zlib");
  }
  output.resize(deflateBound(&stream, static_cast<uLong>(input.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());
  stream.avail_out = static_cast<uInt>(output.size());
  int result = deflate(&stream, Z_FINISH);
  output.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? Status::OK() : Status::Internal("zlib deflate failed");
}

Status SnappyUncompress(std::span<const uint8_t> input, int64_t limit, std::string& output) {
  if (input.size() < 4) {
    return Status::Corruption("Avro snappy block is shorter than its checksum");
  }
  const char* data = reinterpret_cast<const char*>(input.data());
  size_t size = input.size() - 4;
  size_t length = 0;
  if (!snappy::GetUncompressedLength(data, size, &length) || static_cast<int64_t>(length) > limit) {
    return Status::Corruption("Avro snappy block has a bad length");
  }
  output.resize(length);
  if (!snappy::RawUncompress(data, size, output.data())) {
    return Status::Corruption("Avro snappy block is malformed");
  }
  const uint8_t* crc = input.data() + size;
  uint32_t expected = (uint32_t{crc[0]} << 24) | (uint32_t{crc[1]} << 16) |
                      (uint32_t{crc[2]} << 8) | uint32_t{crc[3]};
  if (Crc32(output) != expected) {
    return Status::Corruption("Avro snappy block fails its CRC-32 check");
  }
  return Status::OK();
}

void SnappyCompress(std::string_view input, std::string& output) {
  output.resize(snappy::MaxCompressedLength(input.size()) + 4);
  size_t length = 0;
  snappy::RawCompress(input.data(), input.size(), output.data(), &length);
  uint32_t crc = Crc32(input);
  output[length] = static_cast<char>(crc >> 24);
  output[length + 1] = static_cast<char>(crc >> 16);
  output[length + 2] = static_cast<char>(crc >> 8);
  output[length + 3] = static_cast<char>(crc);
  output.resize(length + 4);
}

// The header's metadata is a map<bytes>, the schema of which is fixed by the specification.
const AvroSchema& MetadataSchema() {
  static const AvroSchema schema = AvroSchema::Map(AvroSchema::Primitive(AvroType::kBytes));
  return schema;
}

}  // namespace

std::string_view AvroCodecName(AvroCodec codec) {
  switch (codec) {
    case AvroCodec::kNull:
      return "null";
    case AvroCodec::kDeflate:
      return "deflate";
    case AvroCodec::kSnappy:
      return "snappy";
  }
  return "unknown";
}

Result<std::unique_ptr<AvroFileReader>> AvroFileReader::Open(std::string bytes,
                                                             AvroReaderOptions options) {
  std::unique_ptr<AvroFileReader> reader(new AvroFileReader(std::move(bytes), options));
  FLOE_RETURN_NOT_OK(reader->ReadHeader());
  return reader;
}

Status AvroFileReader::ReadHeader() {
  if (!std::string_view(bytes_).starts_with(kMagic)) {
    return Status::Corruption("not an Avro container file: bad magic");
  }
  AvroDecoder decoder(AsSpan(bytes_).subspan(kMagic.size()));
  FLOE_ASSIGN_OR_RETURN(AvroValue map, ReadAvroValue(MetadataSchema(), decoder));
  for (AvroMapEntry& entry : std::get<AvroValue::Entries>(map.payload)) {
    metadata_.emplace_back(std::move(entry.key),
                           std::move(std::get<std::string>(entry.value.payload)));
  }
  FLOE_ASSIGN_OR_RETURN(std::string_view sync, decoder.ReadFixed(kSyncSize));
  std::copy(sync.begin(), sync.end(), sync_.begin());
  position_ = kMagic.size() + decoder.position();
  const std::string* schema_json = FindMetadata("avro.schema");
  if (schema_json == nullptr) {
    return Status::Corruption("Avro file header has no avro.schema");
  }
  FLOE_ASSIGN_OR_RETURN(schema_, ParseAvroSchema(*schema_json));
  const std::string* codec = FindMetadata("avro.codec");
  FLOE_ASSIGN_OR_RETURN(codec_, CodecNamed(codec == nullptr ? "null" : *codec));
  return Status::OK();
}

const std::string* AvroFileReader::FindMetadata(std::string_view key) const {
  for (const auto& [name, value] : metadata_) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

Status AvroFileReader::Decompress(std::span<const uint8_t> compressed) {
  if (codec_ == AvroCodec::kDeflate) {
    return Inflate(compressed, options_.max_block_size, decompressed_);
  }
  return SnappyUncompress(compressed, options_.max_block_size, decompressed_);
}

Result<bool> AvroFileReader::NextBlock(AvroBlock& block) {
  if (position_ == bytes_.size()) {
    return false;
  }
  AvroDecoder decoder(AsSpan(bytes_).subspan(position_));
  FLOE_ASSIGN_OR_RETURN(int64_t count, decoder.ReadLong());
  FLOE_ASSIGN_OR_RETURN(int64_t size, decoder.ReadLong());
  if (count < 0 || size < 0 || static_cast<uint64_t>(size) > decoder.remaining()) {
    return Status::Corruption("Avro block at offset {} has a bad count {} or size {}", position_,
                              count, size);
  }
  FLOE_ASSIGN_OR_RETURN(std::string_view data, decoder.ReadFixed(static_cast<size_t>(size)));
  FLOE_ASSIGN_OR_RETURN(std::string_view sync, decoder.ReadFixed(kSyncSize));
  if (std::memcmp(sync.data(), sync_.data(), kSyncSize) != 0) {
    return Status::Corruption("Avro block at offset {} ends without the sync marker", position_);
  }
  position_ += decoder.position();
  block.object_count = count;
  if (codec_ == AvroCodec::kNull) {
    block.data = AsSpan(data);
  } else {
    FLOE_RETURN_NOT_OK(Decompress(AsSpan(data)));
    block.data = AsSpan(decompressed_);
  }
  // Every object takes at least one byte unless the schema encodes to nothing at all.
  if (static_cast<uint64_t>(count) > block.data.size() &&
      !(schema_.IsZeroWidth() && count <= 1024)) {
    return Status::Corruption("Avro block claims {} objects in {} bytes", count, block.data.size());
  }
  return true;
}

Result<bool> AvroFileReader::NextValue(AvroValue& value) {
  while (objects_left_ == 0) {
    if (block_decoder_ != nullptr && !block_decoder_->at_end()) {
      return Status::Corruption("Avro block has {} bytes after its last object",
                                block_decoder_->remaining());
    }
    FLOE_ASSIGN_OR_RETURN(bool has_block, NextBlock(block_));
    if (!has_block) {
      return false;
    }
    block_decoder_ = std::make_unique<AvroDecoder>(block_.data);
    objects_left_ = block_.object_count;
  }
  FLOE_ASSIGN_OR_RETURN(value, ReadAvroValue(schema_, *block_decoder_));
  --objects_left_;
  return true;
}

AvroFileWriter::AvroFileWriter(std::unique_ptr<io::OutputStream> stream, AvroSchema schema,
                               AvroWriterOptions options)
    : stream_(std::move(stream)), schema_(std::move(schema)), options_(options) {
  std::random_device random;
  for (uint8_t& byte : sync_) {
    byte = static_cast<uint8_t>(random());
  }
}

AvroFileWriter::~AvroFileWriter() {
  if (!is_closed_ && stream_ != nullptr) {
    (void)stream_->Abort();
  }
}

Result<std::unique_ptr<AvroFileWriter>> AvroFileWriter::Open(
    std::unique_ptr<io::OutputStream> stream, const AvroSchema& schema,
    const AvroMetadata& metadata, AvroWriterOptions options) {
  if (stream == nullptr) {
    return Status::InvalidArgument("Avro writer needs an output stream");
  }
  std::unique_ptr<AvroFileWriter> writer(new AvroFileWriter(std::move(stream), schema, options));
  FLOE_RETURN_NOT_OK(writer->WriteHeader(metadata));
  return writer;
}

Status AvroFileWriter::Write(std::string_view bytes) {
  return stream_->Write(io::AsBytes(bytes));
}

Status AvroFileWriter::WriteHeader(const AvroMetadata& metadata) {
  AvroEncoder header;
  header.WriteFixed(kMagic);
  header.WriteLong(static_cast<int64_t>(metadata.size() + 2));
  header.WriteBytes("avro.schema");
  header.WriteBytes(AvroSchemaToJson(schema_));
  header.WriteBytes("avro.codec");
  header.WriteBytes(AvroCodecName(options_.codec));
  for (const auto& [key, value] : metadata) {
    header.WriteBytes(key);
    header.WriteBytes(value);
  }
  header.WriteLong(0);
  header.WriteFixed(std::string_view(reinterpret_cast<const char*>(sync_.data()), kSyncSize));
  return Write(header.buffer());
}

Status AvroFileWriter::Append(const AvroValue& value) {
  size_t mark = encoder_.size();
  Status status = WriteAvroValue(schema_, value, encoder_);
  if (!status.ok()) {
    encoder_.buffer().resize(mark);
    return status;
  }
  return FinishObject();
}

Status AvroFileWriter::FinishObject() {
  ++pending_objects_;
  if (static_cast<int64_t>(encoder_.size()) >= options_.block_size) {
    return FlushBlock();
  }
  return Status::OK();
}

Status AvroFileWriter::FlushBlock() {
  if (pending_objects_ == 0) {
    return Status::OK();
  }
  std::string_view data = encoder_.buffer();
  if (options_.codec == AvroCodec::kDeflate) {
    FLOE_RETURN_NOT_OK(Deflate(data, options_.deflate_level, compressed_));
    data = compressed_;
  } else if (options_.codec == AvroCodec::kSnappy) {
    SnappyCompress(data, compressed_);
    data = compressed_;
  }
  AvroEncoder prefix;
  prefix.WriteLong(pending_objects_);
  prefix.WriteLong(static_cast<int64_t>(data.size()));
  FLOE_RETURN_NOT_OK(Write(prefix.buffer()));
  FLOE_RETURN_NOT_OK(Write(data));
  FLOE_RETURN_NOT_OK(
      Write(std::string_view(reinterpret_cast<const char*>(sync_.data()), kSyncSize)));
  encoder_.Clear();
  pending_objects_ = 0;
  return Status::OK();
}

int64_t AvroFileWriter::BytesWritten() const {
  return is_closed_ ? closed_size_ : stream_->Tell();
}

Status AvroFileWriter::Close() {
  if (is_closed_) {
    return Status::OK();
  }
  FLOE_RETURN_NOT_OK(FlushBlock());
  closed_size_ = stream_->Tell();
  is_closed_ = true;
  return stream_->Close();
}

}  // namespace floe::format::avro
